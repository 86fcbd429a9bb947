using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace Seeding.Packaging.Tests;

/// <summary>The packages the repository ships, and what a gallery and a consumer must find in each.</summary>
public static class ShippedPackages
{
    /// <summary>Every package the repository ships, by project.</summary>
    public static readonly string[] PackageProjects =
    [
        "src/Seeding/Seeding.csproj",
        "src/Seeding.Sqlite/Seeding.Sqlite.csproj",
        "src/Seeding.Firestore/Seeding.Firestore.csproj",
        "src/Seeding.PubSub/Seeding.PubSub.csproj",
        "src/Seeding.Hosting/Seeding.Hosting.csproj",
        "src/Seeding.Cli/Seeding.Cli.csproj",
        "src/Seeding.Cli/Tool/Seeding.Cli.Tool.csproj",
    ];

    /// <summary>The package ids, one per project (the project file's name).</summary>
    public static IEnumerable<string> PackageIds => PackageProjects.Select(Path.GetFileNameWithoutExtension)!;

    /// <summary>What a gallery and a consumer see in each package: metadata, readme, and the Seeding package's layout.</summary>
    public static void AssertContents(string feed, string version)
    {
        foreach (var id in PackageIds)
        {
            using var package = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
            var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open()).Root!;
            string? Meta(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            var repository = nuspec.Descendants().SingleOrDefault(e => e.Name.LocalName == "repository");
            var repositoryUrl = RepositoryInfo.RepositoryUrl.Length > 0 ? RepositoryInfo.RepositoryUrl : null;
            Assert.Equal("MIT", Meta("license"));
            Assert.Equal("README.md", Meta("readme"));
            Assert.Contains("README.md", entries);
            // Only a real repository is named (SeedingRepositoryUrl, empty until there is one).
            Assert.Equal(repositoryUrl, repository?.Attribute("url")?.Value);
            Assert.Equal(repositoryUrl, Meta("projectUrl"));
            Assert.False(string.IsNullOrWhiteSpace(Meta("description")), id);
            Assert.Contains("seeding", Meta("tags") ?? string.Empty);
            if (id == "Seeding")
            {
                foreach (var expected in new[]
                {
                    "lib/net10.0/Seeding.dll", "analyzers/dotnet/cs/Seeding.Generators.dll", "analyzers/dotnet/cs/YamlDotNet.dll",
                    "build/Seeding.props", "buildTransitive/Seeding.props", "schema/seed-file.schema.json", "schema/seeding.schema.json",
                })
                {
                    Assert.True(entries.Contains(expected), $"{id} lacks {expected}: {string.Join(", ", entries.Order())}");
                }
            }

            if (id == "Seeding.Hosting")
            {
                // The one package a service adds brings both stores and the Pub/Sub target.
                var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")?.Value).ToHashSet();
                Assert.Superset(new HashSet<string?> { "Seeding", "Seeding.Sqlite", "Seeding.Firestore", "Seeding.PubSub" }, dependencies);
            }

            if (id == "Seeding.Cli.Tool")
            {
                // The tool's own symbols only: no .pdb (or .xml) of the libraries it carries.
                Assert.Equal(["tools/net10.0/any/Seeding.Cli.Tool.pdb"], entries.Where(e => e.EndsWith(".pdb", StringComparison.Ordinal)).ToArray());
                Assert.DoesNotContain(entries, e => e.StartsWith("tools/", StringComparison.Ordinal) && e.EndsWith(".xml", StringComparison.Ordinal) && !e.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>A solution of the package projects (and the generator the Seeding package carries), in the temporary folder.</summary>
    public static string WriteSolution(string root)
    {
        var solution = new StringBuilder("<Solution>\n");
        foreach (var project in PackageProjects.Prepend("generators/Seeding.Generators/Seeding.Generators.csproj"))
        {
            var path = Path.GetRelativePath(root, Path.Combine(RepositoryInfo.Root, project)).Replace('\\', '/');
            solution.Append("  <Project Path=\"").Append(path).Append("\" />\n");
        }

        var file = Path.Combine(root, "packages.slnx");
        File.WriteAllText(file, solution.Append("</Solution>\n").ToString());
        return file;
    }
}
