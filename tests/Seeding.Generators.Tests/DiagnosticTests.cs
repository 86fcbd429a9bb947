using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Seeding.Generators.Diagnostics;

namespace Seeding.Generators.Tests;

/// <summary>Each diagnostic, reported with its ID at the exact file, line and column (1-based here, as editors show them).</summary>
public sealed class DiagnosticTests
{
    private const string Pre = "migrations/pre/0001_sample.yaml";

    public static TheoryData<string, string, string, int, int> Cases => new()
    {
        { "SEED001", Pre, "create: roles\ndocuments:\n  - { id: a, name: \"unterminated }\n", 3, 20 },
        { "SEED002", Pre, "# nothing but a comment\n", 1, 1 },
        { "SEED003", Pre, "- create: roles\n", 1, 1 },
        { "SEED004", Pre, "description: x\ncreate: roles\ncolour: red\ndocuments: []\n", 3, 1 },
        { "SEED005", Pre, "description: x\ncreate: roles\n", 1, 1 },
        { "SEED006", Pre, "create: roles\ndocuments:\n  - { id: a, x: !foo 1 }\n", 3, 17 },
        { "SEED007", Pre, "create: roles\ndocuments:\n  - id: a\n    at: !timestamp 2024-05-01T12:00:00\n", 4, 9 },
        { "SEED008", Pre, "create: users\ndocuments:\n  - { id: a, <<: {x: 1} }\n", 3, 14 },
        { "SEED009", "migrations/pre/1_initial.yaml", "create: roles\ndocuments: []\n", 1, 1 },
        { "SEED010", "migrations/other/0001_x.yaml", "create: roles\ndocuments: []\n", 1, 1 },
        { "SEED011", "migrations/pre/0001_x.yml", "create: roles\ndocuments: []\n", 1, 1 },
        { "SEED013", Pre, "create: roles\ndocuments:\n  - id: a\n  - id: a\n", 4, 5 },
        { "SEED014", Pre, "create: roles\ndocuments:\n  - { id: a, level: 1 }\n  - { id: b, level: high }\n", 4, 21 },
        { "SEED015", Pre, "create: roles\ndocuments:\n  - id: __bad__\n", 3, 9 },
        { "SEED016", Pre, "create: roles\ndocuments:\n  - id: a\n    __x__: 1\n", 4, 5 },
        { "SEED017", Pre, "create: roles/admin\ndocuments: []\n", 1, 9 },
        { "SEED018", Pre, "create: roles\ndocuments:\n  - id: a\n    deep: " + new string('[', 70) + new string(']', 70) + "\n", 4, 72 },
        { "SEED019", Pre, "create: roles\ndocuments:\n  - { id: a, n: 99999999999999999999 }\n", 3, 17 },
        { "SEED020", Pre, "create: roles\ndocuments:\n  - name: x\n", 3, 5 },
        { "SEED021", Pre, "create: roles\ncreate: users\ndocuments: []\n", 2, 1 },
        { "SEED022", Pre, "create: roles\nupsert: roles\ndocuments: []\n", 2, 1 },
        { "SEED023", Pre, "create: roles\ndocuments:\n  - { id: a, m: [[1]] }\n", 3, 18 },
        { "SEED024", Pre, "create: roles\ndocuments: []\n---\ncreate: users\n", 3, 1 },
        { "SEED025", "seeding.yaml", "service: \"bad name\"\n", 1, 10 },
        { "SEED026", Pre, "create: users\ndocuments:\n  - { id: a, m: { e: !env X } }\n", 3, 22 },
        { "SEED027", Pre, "create: users\nmatch: [email]\nnew_id: user-{hex:2}\ndocuments: []\n", 3, 9 },
        { "SEED029", Pre, "backfill: r\nwhere: { a: null }\nset: { b: 1 }\n", 3, 1 },
    };

    /// <summary>The other ways the new keys go wrong, each at its position.</summary>
    public static TheoryData<string, string, int, int> LanguageCases => new()
    {
        { "SEED026", "create: users\ndocuments:\n  - { id: !env X }\n", 3, 11 },
        { "SEED026", "backfill: r\nwhere: { a: !env X }\nset: { a: 1 }\n", 2, 13 },
        { "SEED026", "backfill: r\nwhere: { a: null }\nset: { a: !env X }\n", 3, 11 },
        { "SEED005", "create: users\nmatch: [email]\ndocuments: [{ email: a }]\n", 2, 1 },
        { "SEED005", "create: users\nnew_id: u-{hex:8}\ndocuments: [{ email: a }]\n", 2, 1 },
        { "SEED005", "create: users\nmatch: [email]\nnew_id: u-{hash:8}\ndocuments:\n  - { name: a }\n", 5, 5 },
        { "SEED005", "backfill: r\nset: { a: 1 }\n", 1, 1 },
        { "SEED005", "backfill: r\nwhere: { a: null }\n", 1, 1 },
        { "SEED003", "backfill: r\nwhere: { a: { b: 1 } }\nset: { a: 1 }\n", 2, 13 },
        { "SEED003", "create: users\nwhen: X\ndocuments: []\n", 2, 7 },
        { "SEED003", "create: users\nmatch: [email]\nnew_id: u-{hash:8}\ndocuments:\n  - { email: !now }\n", 5, 14 },
        { "SEED022", "upsert: users\nmatch: [email]\nnew_id: u-{hash:8}\ndocuments: []\n", 2, 1 },
        { "SEED022", "backfill: r\nwhere: { a: null }\nset: { a: 1 }\ndocuments: []\n", 4, 1 },
        { "SEED022", "create: r\nbackfill: r\ndocuments: []\n", 2, 1 },
        { "SEED027", "create: users\nmatch: [email]\nnew_id: user\ndocuments: []\n", 3, 9 },
        { "SEED027", "create: users\nmatch: [email]\nnew_id: u/{hex:8}\ndocuments: []\n", 3, 9 },
        { "SEED007", "create: users\ndocuments:\n  - { id: a, e: !env not a key }\n", 3, 17 },
        { "SEED028", "environments: [qa]\ncreate: users\ndocuments: []\n", 1, 16 },
        { "SEED022", "type: Acme.Users.Role\nbackfill: r\nwhere: { a: null }\nset: { a: 1 }\n", 1, 1 },
    };

    [Theory]
    [MemberData(nameof(LanguageCases))]
    public void LanguageProblemsAreReportedAtTheOffendingPosition(string id, string yaml, int line, int column)
    {
        AssertReported(GeneratorHarness.Run((Pre, yaml)), id, Pre, line, column);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsReportedAtTheOffendingPosition(string id, string path, string yaml, int line, int column)
    {
        var run = GeneratorHarness.Run((path, yaml));
        AssertReported(run, id, path, line, column);
    }

    [Fact]
    public void SimilarFileNamesGetDistinctClasses()
    {
        const string Yaml = "create: roles\ndocuments: []\n";
        var run = GeneratorHarness.Run(("bootstrap/a_1.yaml", Yaml), ("bootstrap/a1.yaml", Yaml), ("migrations/pre/0001_2fa_setup.yaml", Yaml)).AssertClean();
        Assert.Equal(["BootstrapA1.g.cs", "BootstrapA_1.g.cs", "Pre0001_2faSetup.g.cs", "SeedingRegistry.g.cs"], run.HintNames);
    }

    [Fact]
    public void DocumentCreatedInTwoFilesOfOnePhaseIsADuplicate()
    {
        var run = GeneratorHarness.Run(
            ("migrations/pre/0001_a.yaml", "create: roles\ndocuments:\n  - id: admin\n"),
            ("migrations/pre/0002_b.yaml", "create: roles\ndocuments:\n  - id: user\n  - id: admin\n"),
            ("migrations/post/0001_c.yaml", "create: roles\ndocuments:\n  - id: admin\n"),
            ("migrations/pre/0003_d.yaml", "upsert: roles\ndocuments:\n  - id: admin\n"));
        AssertReported(run, "SEED013", "migrations/pre/0002_b.yaml", 4, 5);
        Assert.Single(run.Diagnostics);
        Assert.Contains("migrations/pre/0001_a.yaml line 3, column 5", run.Diagnostics[0].GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void TypeConflictNamesBothTypesAndWhereTheFirstAppeared()
    {
        var run = GeneratorHarness.Run((Pre, "create: roles\ndocuments:\n  - { id: a, level: 1 }\n  - { id: b, level: high }\n"));
        var message = Assert.Single(run.Diagnostics).GetMessage();
        Assert.Equal("Field 'level' of collection 'roles' is a string here but an integer at line 3, column 21. Use one type for the field in every document (quote values meant as strings).", message);
    }

    [Fact]
    public void AliasBombStopsWithALimitDiagnostic()
    {
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 8; i++)
        {
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        var run = GeneratorHarness.Run((Pre, yaml.ToString()));
        Assert.Null(run.Result.Exception);
        Assert.Contains(run.Diagnostics, d => d.Id == "SEED018");
    }

    [Fact]
    public void UnreadableFileIsAnInternalErrorOnThatFile()
    {
        var run = GeneratorHarness.Run([new ThrowingText(GeneratorHarness.PathOf(Pre))]);
        Assert.Null(run.Result.Exception);
        AssertReported(run, "SEED999", Pre, 1, 1);
    }

    [Theory]
    [InlineData("<<", "create: users\ndocuments:\n  - { id: a, <<: {x: 1} }\n", 3, 14)]
    public void LaterFormatFeaturesAreNotSupportedYetRatherThanUnknown(string feature, string yaml, int line, int column)
    {
        var run = GeneratorHarness.Run((Pre, yaml));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id is "SEED004" or "SEED006" or "SEED005");
        var diagnostic = AssertReported(run, "SEED008", Pre, line, column);
        Assert.Contains($"'{feature}'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("!ref roles", "!ref")]
    [InlineData("!geo [91, 0]", "!geo")]
    [InlineData("!geo [1]", "!geo")]
    [InlineData("!bytes not*base64", "!bytes")]
    [InlineData("!now later", "!now")]
    [InlineData("!timestamp 2024-13-01T00:00:00Z", "!timestamp")]
    [InlineData("!timestamp 0001-01-01T00:00:00+01:00", "!timestamp")]
    [InlineData("!!int abc", "!!int")]
    public void InvalidTaggedValues(string value, string tag)
    {
        var run = GeneratorHarness.Run((Pre, $"create: roles\ndocuments:\n  - id: a\n    v: {value}\n"));
        var diagnostic = AssertReported(run, "SEED007", Pre, 4, 8);
        Assert.StartsWith($"Invalid {tag} value", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("__id__")]
    public void InvalidDocumentIds(string id)
    {
        var run = GeneratorHarness.Run((Pre, $"create: roles\ndocuments:\n  - id: \"{id}\"\n"));
        AssertReported(run, "SEED015", Pre, 3, 9);
    }

    [Fact]
    public void OverlongDocumentIdIsInvalid()
    {
        var run = GeneratorHarness.Run((Pre, $"create: roles\ndocuments:\n  - id: {new string('é', 751)}\n"));
        AssertReported(run, "SEED015", Pre, 3, 9);
    }

    [Fact]
    public void EveryDescriptorIsDocumented()
    {
        var docs = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "diagnostics.md"));
        foreach (var descriptor in SeedingDiagnostics.Descriptors)
        {
            Assert.Contains($"## {descriptor.Id}", docs, StringComparison.Ordinal);
        }
    }

    internal static Diagnostic AssertReported(GeneratorRun run, string id, string relativePath, int line, int column)
    {
        Assert.Null(run.Result.Exception);
        var all = string.Join("\n", run.Diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage()}"));
        var match = run.Diagnostics.FirstOrDefault(d => d.Id == id);
        Assert.True(match is not null, $"Expected {id}; got:\n{all}");
        var span = match!.Location.GetLineSpan();
        Assert.Equal(GeneratorHarness.PathOf(relativePath), span.Path);
        Assert.True((line, column) == (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1), $"Expected {id} at {line}:{column}; got:\n{all}");
        Assert.Equal(SeedingDiagnostics.ById(id).DefaultSeverity, match.Severity);
        return match;
    }

    private sealed class ThrowingText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => throw new IOException("disk on fire");
    }
}
