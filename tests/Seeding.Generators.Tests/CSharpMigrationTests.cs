using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Generators.Tests.SeedLanguageSamples;

namespace Seeding.Generators.Tests;

/// <summary>C# migrations join the registry, numbering, checksums, lock manifest and incremental pipeline of YAML files.</summary>
public sealed class CSharpMigrationTests
{
    private const string Backfill = "migrations/post/0001_backfill_timestamps.yaml";

    [Fact]
    public async Task ACSharpMigrationJoinsTheRegistryInOrderAndRuns()
    {
        var files = new[] { GeneratorHarness.File(Backfill, BackfillTimestamps), GeneratorHarness.File(ExpiryPath, Expiry) };
        var run = GeneratorHarness.Run(GeneratorHarness.Compilation(MigrateConsents, MigrateConsentsPath), files).AssertClean();
        var registry = SeedLanguageTests.Registry(run);

        Assert.Equal(["0001_backfill_timestamps", "0002_migrate_consents", "0003_expiry_for_pending_recommendations"], registry.Seeds.Select(s => s.Id));
        var migration = registry.Seeds[1];
        Assert.Equal((SeedPhase.Post, MigrateConsentsPath, "Consents to platform_consent"), (migration.Phase, migration.SourcePath, migration.Description));
        Assert.Matches("^sha256:[0-9a-f]{64}$", migration.Checksum);
        Assert.Equal("MigrateConsents", migration.Code!.GetType().Name);
        Assert.Contains("new global::Acme.Users.Migrations.MigrateConsents()", run.Source("SeedingRegistry.g.cs"), StringComparison.Ordinal);

        var store = new InMemoryDocumentStore();
        await store.WriteBatchAsync([DocumentWrite.Set(DocumentPath.Parse("consents/c1"), new Dictionary<string, Value> { ["accepted"] = Value.Boolean(true) })]);
        var report = await new SeedRunner(store).RunAsync(registry, RunRequest.PostDeploy());
        Assert.Equal(1, report.Created);
        Assert.Equal("granted", (await store.GetAllAsync([DocumentPath.Parse("platform_consent/c1")]))[0]!.Fields["state"].AsString());
    }

    [Fact]
    public void TheChecksumIgnoresCommentsAndWhitespaceButNotCode()
    {
        string Checksum(string code) => SeedLanguageTests.Registry(GeneratorHarness.RunWithCode(code).AssertClean()).Seeds.Single().Checksum;
        var original = Checksum(MigrateConsents);
        var reformatted = MigrateConsents.Replace("    {", "  // a comment\n {", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        Assert.Equal(original, Checksum(reformatted));
        Assert.NotEqual(original, Checksum(MigrateConsents.Replace("\"granted\"", "\"given\"", StringComparison.Ordinal)));
    }

    public static TheoryData<string, string, string> Problems => new()
    {
        { "SEED030", "[Migration(\"2_consents\", SeedPhase.Post)]", "not a valid migration id" },
        { "SEED030", "[Migration(\"0002_consents\", SeedPhase.Bootstrap)]", "SeedPhase.Pre or SeedPhase.Post" },
        { "SEED031", "[Migration(\"0002_consents\", SeedPhase.Post)] public sealed class NotAMigration { } //", "does not implement" },
        { "SEED031", "[Migration(\"0002_consents\", SeedPhase.Post)] public sealed class NeedsArgs : IMigration { public NeedsArgs(int x) { } public Task ApplyAsync(MigrationContext c, CancellationToken t) => Task.CompletedTask; } //", "public parameterless constructor" },
        { "SEED012", "[Migration(\"0001_consents\", SeedPhase.Post)]", "used by both '0001_backfill_timestamps' and '0001_consents'" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void DeclarationProblemsAreReportedAtTheAttribute(string id, string attribute, string message)
    {
        var code = "using System.Threading; using System.Threading.Tasks; using Seeding.Definitions; using Seeding.Running;\nnamespace Acme.Users;\n"
            + attribute + " public sealed class M : IMigration { public Task ApplyAsync(MigrationContext c, CancellationToken t) => Task.CompletedTask; }\n";
        var run = GeneratorHarness.RunWithCode(code, (Backfill, BackfillTimestamps));
        // SEED012 is also reported on the YAML file (neither migration is locked): here, the one at the attribute.
        var diagnostic = Assert.Single(run.Diagnostics, d => d.Id == id && d.Location.GetLineSpan().Path.EndsWith("Program.cs", StringComparison.Ordinal));
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal((GeneratorHarness.ProjectDir + "Program.cs", 2, 2), (span.Path, span.StartLinePosition.Line, span.StartLinePosition.Character + 1));
        Assert.Contains(message, diagnostic.GetMessage(), StringComparison.Ordinal);
        if (id != "SEED012")
        {
            Assert.DoesNotContain("FromCode", run.Source("SeedingRegistry.g.cs"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EditingACSharpMigrationLeavesEveryYamlStepCached()
    {
        var files = new[] { GeneratorHarness.File(Backfill, BackfillTimestamps), GeneratorHarness.File(ExpiryPath, Expiry) };
        var compilation = GeneratorHarness.Compilation(MigrateConsents);
        var driver = GeneratorHarness.Driver(files).RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(MigrateConsents.Replace("\"denied\"", "\"refused\"", StringComparison.Ordinal), GeneratorHarness.ParseOptions, tree.FilePath));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in new[] { TrackingNames.SeedFileText, TrackingNames.Parse, TrackingNames.SeedModel, TrackingNames.Summary, TrackingNames.SeedSource, TrackingNames.FileDiagnostics })
        {
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }

        // The checksum changed, the declaration did not: numbering checks stay as they were, the registry is re-emitted.
        Assert.All(result.TrackedSteps[TrackingNames.CSharpDeclarations].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.All(result.TrackedSteps[TrackingNames.CrossFileDiagnostics].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(result.TrackedSteps[TrackingNames.Registry].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
    }
}
