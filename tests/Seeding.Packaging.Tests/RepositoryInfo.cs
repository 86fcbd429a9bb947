using System.Reflection;

namespace Seeding.Packaging.Tests;

/// <summary>Paths and settings of this repository, stamped into the test assembly by its project file.</summary>
public static class RepositoryInfo
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string SamplesHost { get; } = Metadata("SamplesHostPath");

    /// <summary>The configuration this test run was built in (the package projects were built in it too).</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The one repository property (Directory.Build.props) every link is built from.</summary>
    public static string RepositoryUrl { get; } = Metadata("SeedingRepositoryUrl");

    private static string Metadata(string key) =>
        typeof(RepositoryInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No {key} metadata.");
}
