namespace Seeding.Generators.Tests;

/// <summary>
/// Source folders found from the test binaries, not from [CallerFilePath]: CI builds map source paths
/// (ContinuousIntegrationBuild), which would point snapshot lookups at a folder that does not exist.
/// </summary>
internal static class TestPaths
{
    public static string ProjectDirectory { get; } = FindUp("Seeding.Generators.Tests.csproj");

    public static string RepositoryRoot { get; } = FindUp("Seeding.sln");

    private static string FindUp(string marker)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, marker)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds {marker}.");
    }
}
