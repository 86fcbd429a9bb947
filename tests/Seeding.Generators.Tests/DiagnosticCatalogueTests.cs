using System.Text.RegularExpressions;
using Seeding.Generators.Diagnostics;

namespace Seeding.Generators.Tests;

/// <summary>The descriptors themselves: each has a message format of its own, and each is tracked in an analyzer release.</summary>
public sealed partial class DiagnosticCatalogueTests
{
    [Fact]
    public void Every_message_format_says_something_besides_its_arguments()
    {
        var bare = SeedingDiagnostics.Descriptors
            .Where(d => Placeholder().Replace(d.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Empty).Count(char.IsLetter) < 3)
            .Select(d => d.Id)
            .ToList();
        Assert.Empty(bare);
    }

    [Fact]
    public void Every_diagnostic_is_listed_once_in_the_analyzer_releases_with_its_severity()
    {
        var folder = Path.Combine(TestPaths.RepositoryRoot, "generators", "Seeding.Generators");
        var rows = File.ReadLines(Path.Combine(folder, "AnalyzerReleases.Shipped.md"))
            .Concat(File.ReadLines(Path.Combine(folder, "AnalyzerReleases.Unshipped.md")))
            .Where(line => line.StartsWith("SEED", StringComparison.Ordinal))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
        Assert.Equal(
            SeedingDiagnostics.Descriptors.Select(d => $"{d.Id} {d.Category} {d.DefaultSeverity}").Order(StringComparer.Ordinal),
            rows.Select(r => $"{r[0]} {r[1]} {r[2]}").Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
