using System.Text.RegularExpressions;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Seeding.Generators.Tests;

/// <summary>Same input, same output; a one-value change touches only the lines it must; the checksum tracks content, not form.</summary>
public sealed partial class DeterminismTests
{
    [Fact]
    public void BuildingTwiceGivesIdenticalOutput()
    {
        (string, string)[] files =
        [
            ("seeding.yaml", SeedSamples.ServiceSettings),
            (SeedSamples.InitialRolesPath, SeedSamples.InitialRoles),
            (SeedSamples.DefaultSettingsPath, SeedSamples.DefaultSettings),
            (SeedSamples.ValueKindsPath, SeedSamples.ValueKinds),
        ];
        var first = GeneratorHarness.Run(files).Result.GeneratedSources;
        var second = GeneratorHarness.Run(files.Reverse().ToArray()).Result.GeneratedSources;
        Assert.Equal(first.Select(s => (s.HintName, s.SourceText.ToString())).OrderBy(s => s.HintName), second.Select(s => (s.HintName, s.SourceText.ToString())).OrderBy(s => s.HintName));
    }

    [Fact]
    public void ChangingOneValueChangesOnlyItsDocumentLineAndTheChecksum()
    {
        var before = GeneratorHarness.Run((SeedSamples.InitialRolesPath, SeedSamples.InitialRoles)).Source("Pre0001InitialRoles.g.cs");
        var edited = SeedSamples.InitialRoles.Replace("Tenant Admin,   level: 2", "Tenant Admin,   level: 7", StringComparison.Ordinal);
        var after = GeneratorHarness.Run((SeedSamples.InitialRolesPath, edited)).Source("Pre0001InitialRoles.g.cs");

        var changed = InlineDiffBuilder.Diff(before, after).Lines.Where(l => l.Type != ChangeType.Unchanged).ToList();
        Assert.Equal(4, changed.Count);
        Assert.Single(changed, l => l.Type == ChangeType.Deleted && l.Text.Contains("new(Id: \"tenant-admin\"", StringComparison.Ordinal) && l.Text.Contains("Level: 2L", StringComparison.Ordinal));
        Assert.Single(changed, l => l.Type == ChangeType.Inserted && l.Text.Contains("new(Id: \"tenant-admin\"", StringComparison.Ordinal) && l.Text.Contains("Level: 7L", StringComparison.Ordinal));
        Assert.Equal(2, changed.Count(l => l.Text.TrimStart().StartsWith("checksum: ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("comments and blank lines removed")]
    [InlineData("keys reordered, block style")]
    [InlineData("CRLF line endings")]
    [InlineData("quoted strings and explicit tags")]
    public void ChecksumIgnoresForm(string variant)
    {
        var original = Checksum(SeedSamples.InitialRoles);
        var text = variant switch
        {
            "comments and blank lines removed" => CommentsRegex().Replace(SeedSamples.InitialRoles, string.Empty).Replace("\n\n", "\n", StringComparison.Ordinal),
            "keys reordered, block style" => """
                documents:
                  - level: 0
                    name: Platform Admin
                    id: platform-admin
                  - { name: Tenant Owner, id: tenant-owner, level: 1 }
                  - { id: tenant-admin, name: Tenant Admin, level: 0x2 }
                  - { id: partner-admin, name: Partner Admin, level: +3 }
                  - { id: user, name: User, level: 10 }
                defaults: { created_at: !now }
                key: id
                create: roles
                description: Default roles
                """,
            "CRLF line endings" => SeedSamples.InitialRoles.Replace("\n", "\r\n", StringComparison.Ordinal),
            _ => SeedSamples.InitialRoles.Replace("name: Platform Admin", "name: 'Platform Admin'", StringComparison.Ordinal).Replace("level: 10", "level: !!int 10", StringComparison.Ordinal),
        };
        Assert.Equal(original, Checksum(text));
    }

    [Theory]
    [InlineData("level: 0 }", "level: 0.0 }")]
    [InlineData("level: 10", "level: 11")]
    [InlineData("Default roles", "Default roles!")]
    [InlineData("created_at: !now", "created_at: !timestamp 2024-05-01T12:00:00Z")]
    [InlineData("name: User,", "name: user,")]
    public void ChecksumTracksEveryValue(string from, string to)
    {
        Assert.NotEqual(Checksum(SeedSamples.InitialRoles), Checksum(SeedSamples.InitialRoles.Replace(from, to, StringComparison.Ordinal)));
    }

    private static string Checksum(string yaml)
    {
        var run = GeneratorHarness.Run((SeedSamples.InitialRolesPath, yaml)).AssertClean();
        return ChecksumRegex().Match(run.Source("Pre0001InitialRoles.g.cs")).Groups[1].Value;
    }

    [GeneratedRegex("checksum: \"(sha256:[0-9a-f]{64})\"")]
    private static partial Regex ChecksumRegex();

    [GeneratedRegex(@"[ ]*#[^\n]*")]
    private static partial Regex CommentsRegex();
}
