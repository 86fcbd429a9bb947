using Seeding.Generators.Diagnostics;

namespace Seeding.Generators.Tests;

/// <summary>
/// A diagnostic's help link works in a user's project: an absolute address of its section in docs/diagnostics.md,
/// built from the one repository property (Directory.Build.props), not a path relative to this repository.
/// </summary>
public sealed class HelpLinkTests
{
    [Fact]
    public void Every_help_link_is_the_absolute_address_of_its_section()
    {
        Assert.NotEmpty(SeedingDiagnostics.Descriptors);
        var docs = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "diagnostics.md"));
        foreach (var descriptor in SeedingDiagnostics.Descriptors)
        {
            Assert.Equal($"https://github.com/seeding-dev/seeding/blob/main/docs/diagnostics.md#{descriptor.Id.ToLowerInvariant()}", descriptor.HelpLinkUri);
            Assert.True(Uri.TryCreate(descriptor.HelpLinkUri, UriKind.Absolute, out _), descriptor.HelpLinkUri);

            // GitHub's anchor for the heading '## SEED001' is '#seed001'.
            Assert.Contains($"\n## {descriptor.Id}\n", docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_reported_diagnostic_carries_the_link()
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_bad.yaml", "create: roles\n"));
        var diagnostic = Assert.Single(run.Diagnostics, d => d.Id == "SEED005");
        Assert.Equal("https://github.com/seeding-dev/seeding/blob/main/docs/diagnostics.md#seed005", diagnostic.Descriptor.HelpLinkUri);
    }
}
