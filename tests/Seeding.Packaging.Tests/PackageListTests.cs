namespace Seeding.Packaging.Tests;

/// <summary>The packaging test packs and checks every package the repository ships: its list is the src/ projects that set IsPackable.</summary>
public sealed class PackageListTests
{
    [Fact]
    public void Every_packable_project_is_packed_and_checked()
    {
        var packable = Directory.EnumerateFiles(Path.Combine(RepositoryInfo.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(path => File.ReadAllText(path).Contains("<IsPackable>true</IsPackable>", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(RepositoryInfo.Root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(packable, ShippedPackages.PackageProjects.Order(StringComparer.Ordinal));
        Assert.Equal(7, packable.Length);
        Assert.Contains("Seeding.PubSub", ShippedPackages.PackageIds);
    }
}
