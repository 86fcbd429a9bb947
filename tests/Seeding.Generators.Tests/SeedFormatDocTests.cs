using System.Text.RegularExpressions;

namespace Seeding.Generators.Tests;

/// <summary>docs/seed-format.md stays true: every YAML example starting with a '# path' comment compiles, all together.</summary>
public sealed partial class SeedFormatDocTests
{
    [Fact]
    public void EveryExampleCompilesWithoutDiagnostics()
    {
        var markdown = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "seed-format.md"));
        var examples = YamlBlock().Matches(markdown)
            .Select(m => m.Groups[1].Value)
            .Select(yaml => (Path: PathComment().Match(yaml).Groups[1].Value, Yaml: yaml))
            .Where(e => e.Path.Length > 0)
            .ToArray();

        var run = GeneratorHarness.Run(examples).AssertClean();

        Assert.Equal(10, examples.Length);
        var registry = SeedLanguageTests.Registry(run);
        Assert.Equal("user", registry.Service);
        Assert.Equal(examples.Length - 1, registry.Seeds.Count);
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex("^# ([a-z0-9_/.]+\\.yaml)\\n")]
    private static partial Regex PathComment();
}
