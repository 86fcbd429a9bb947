using System.Reflection;
using Seeding.Generators.Diagnostics;

namespace Seeding.Generators.Tests;

/// <summary>
/// A diagnostic's help link works in a user's project: an absolute address of its section in docs/diagnostics.md, built
/// from the one repository property (Directory.Build.props), or no link at all while that property is empty, so that no
/// link leads to a repository that does not exist.
/// </summary>
public sealed class HelpLinkTests
{
    // The property as this build saw it; empty (the default) until the project has a public repository.
    private static readonly string Repository = typeof(HelpLinkTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SeedingRepositoryUrlForTests").Value ?? string.Empty;

    private static string? Expected(string id) =>
        Repository.Length == 0 ? null : $"{Repository.TrimEnd('/')}/blob/main/docs/diagnostics.md#{id.ToLowerInvariant()}";

    [Fact]
    public void Every_help_link_is_the_absolute_address_of_its_section_or_absent_without_a_repository()
    {
        Assert.NotEmpty(SeedingDiagnostics.Descriptors);
        var docs = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "diagnostics.md"));
        foreach (var descriptor in SeedingDiagnostics.Descriptors)
        {
            // Roslyn keeps an absent link as null or empty.
            Assert.Equal(Expected(descriptor.Id) ?? string.Empty, descriptor.HelpLinkUri ?? string.Empty);
            if (Repository.Length > 0)
            {
                Assert.True(Uri.TryCreate(descriptor.HelpLinkUri, UriKind.Absolute, out _), descriptor.HelpLinkUri);
            }

            // GitHub's anchor for the heading '## SEED001' is '#seed001'.
            Assert.Contains($"\n## {descriptor.Id}\n", docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_reported_diagnostic_carries_the_link_or_none()
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_bad.yaml", "create: roles\n"));
        var diagnostic = Assert.Single(run.Diagnostics, d => d.Id == "SEED005");
        Assert.Equal(Expected("SEED005") ?? string.Empty, diagnostic.Descriptor.HelpLinkUri ?? string.Empty);
    }

    [Fact]
    public void No_link_leads_to_the_placeholder_repository()
    {
        // The address the project used before it had a repository; it does not exist.
        foreach (var file in Directory.EnumerateFiles(TestPaths.RepositoryRoot, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)
                         || f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
                     .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)
                         && !f.Contains("/node_modules/", StringComparison.Ordinal) && !f.Contains("/TestResults/", StringComparison.Ordinal)
                         && !f.EndsWith("HelpLinkTests.cs", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain("seeding-dev/seeding", File.ReadAllText(file), StringComparison.Ordinal);
        }
    }
}
