using System.Reflection;

namespace Seeding.Cli.Tests;

/// <summary>Paths of this repository and its builds, stamped into the test assembly by its project file.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The built <c>seeding</c> tool.</summary>
    public static string Tool { get; } = Metadata("SeedingToolPath");

    /// <summary>The generator as built with this test run.</summary>
    public static string Generator { get; } = Metadata("SeedingGeneratorPath");

    /// <summary>The generator's YAML parser, which it needs beside it as an analyzer.</summary>
    public static string YamlDotNet { get; } = Metadata("YamlDotNetPath");

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No {key} metadata.");
}
