using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Generators.Tests.SeedLanguageSamples;

namespace Seeding.Generators.Tests;

/// <summary>
/// match/new_id, !env, when, environments and backfills through the public surface: YAML in, generator, compiled
/// assembly, SeedDefinition, and a run on the in-memory store.
/// </summary>
public sealed class SeedLanguageTests
{
    [Fact]
    public void AdminUserCompilesToAMatchStepWithAConfiguredFieldAndACondition()
    {
        var run = GeneratorHarness.Run((PlatformAdminPath, PlatformAdmin)).AssertClean();
        var step = Assert.IsType<MatchStep>(Assert.Single(Definition(run, "BootstrapAdminUser").Steps));

        Assert.Equal(("users", 3, "user-{hex:8}"), (step.Collection, step.Line, step.NewId.Pattern));
        Assert.Equal(["email"], step.MatchFields);
        Assert.Equal("PLATFORM_ADMIN_EMAIL", step.Conditions.When);
        var document = Assert.Single(step.Documents);
        Assert.Equal(("", 9), (document.Id, document.Line));
        Assert.Equal([new ConfiguredField("email", "PLATFORM_ADMIN_EMAIL", Safe: false)], document.Configured);
        Assert.False(document.Fields.ContainsKey("email"));
        Assert.Equal(["first_name", "last_name", "status", "created_at"], document.Fields.Keys);
        SnapshotAssert.Matches("BootstrapAdminUser", run.Source("BootstrapAdminUser.g.cs"));
    }

    [Fact]
    public async Task AdminUserIsSkippedWithoutConfigurationAndCreatedOnceWithIt()
    {
        var registry = Registry(GeneratorHarness.Run((PlatformAdminPath, PlatformAdmin)).AssertClean());
        var store = new InMemoryDocumentStore();

        var skipped = await new SeedRunner(store).RunAsync(registry, RunRequest.Bootstrap() with { Configuration = Config() });
        var configured = RunRequest.Bootstrap() with { Configuration = Config(("PLATFORM_ADMIN_EMAIL", "admin@example.com")) };
        var first = await new SeedRunner(store).RunAsync(registry, configured);
        var second = await new SeedRunner(store).RunAsync(registry, configured);

        Assert.Equal("when: PLATFORM_ADMIN_EMAIL is not set", skipped.Seeds.Single().SkippedSteps.Single().Reason);
        var created = Assert.Single(first.Plan);
        Assert.Equal(PlanAction.Create, created.Action);
        Assert.Matches("^users/user-[0-9a-f]{8}$", created.Path.ToString());
        Assert.Equal(PlanAction.SkipExists, Assert.Single(second.Plan).Action);
        var stored = (await store.GetAllAsync([created.Path]))[0]!.Fields;
        Assert.Equal(("admin@example.com", "Platform"), (stored["email"].AsString(), stored["first_name"].AsString()));
    }

    [Fact]
    public void ConfiguredValuesNeverReachGeneratedCode()
    {
        var run = GeneratorHarness.Run((PlatformAdminPath, PlatformAdmin.Replace("status: active", "status: active\n    secret: !env SECRET_TOKEN", StringComparison.Ordinal))).AssertClean();
        var source = run.Source("BootstrapAdminUser.g.cs");
        Assert.Contains("new(\"secret\", \"SECRET_TOKEN\", Safe: false)", source, StringComparison.Ordinal);
        Assert.Contains("string? Secret", source, StringComparison.Ordinal);
        Assert.Contains("Secret: null", source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackfillsCompileToBackfillStepsAndRun()
    {
        var run = GeneratorHarness.Run((BackfillTimestampsPath, BackfillTimestamps), (ExpiryPath, Expiry)).AssertClean();
        var timestamps = Assert.IsType<BackfillStep>(Assert.Single(Definition(run, "Post0001BackfillTimestamps").Steps));
        var expiry = Assert.IsType<BackfillStep>(Assert.Single(Definition(run, "Post0003ExpiryForPendingRecommendations").Steps));
        Assert.Equal(("resources", 3, Value.Null), (timestamps.Collection, timestamps.Line, timestamps.Where["created_at"]));
        Assert.Equal([Value.ServerTimestamp, Value.ServerTimestamp], timestamps.Set.Values);
        Assert.Equal(Value.String("pending"), expiry.Where["status"]);
        var expiresAt = Value.Timestamp(Timestamp.Parse("2027-01-01T00:00:00Z"));
        Assert.Equal(expiresAt, expiry.Set["expires_at"]);
        SnapshotAssert.Matches("Post0003ExpiryForPendingRecommendations", run.Source("Post0003ExpiryForPendingRecommendations.g.cs"));

        var store = new InMemoryDocumentStore();
        await store.WriteBatchAsync([
            DocumentWrite.Set(DocumentPath.Parse("recommendations/a"), new Dictionary<string, Value> { ["status"] = Value.String("pending") }),
            DocumentWrite.Set(DocumentPath.Parse("recommendations/b"), new Dictionary<string, Value> { ["status"] = Value.String("done") }),
            DocumentWrite.Set(DocumentPath.Parse("resources/r"), new Dictionary<string, Value>()),
        ]);
        var report = await new SeedRunner(store).RunAsync(Registry(run), RunRequest.PostDeploy());

        Assert.Equal(["resources/r", "recommendations/a"], report.Plan.Select(p => p.Path.ToString()));
        var docs = await store.GetAllAsync([DocumentPath.Parse("recommendations/a"), DocumentPath.Parse("recommendations/b"), DocumentPath.Parse("resources/r")]);
        Assert.Equal(expiresAt, docs[0]!.Fields["expires_at"]);
        Assert.False(docs[1]!.Fields.ContainsKey("expires_at"));
        Assert.Equal(ValueKind.Timestamp, docs[2]!.Fields["updated_at"].Kind);
    }

    [Fact]
    public void TheSeedFormatExampleEnvironmentNamesAreKnownWithoutSeedingYaml()
    {
        // seed-format.md writes `environments: [dev, staging]`; the default list accepts the common short names too.
        var run = GeneratorHarness.Run(("bootstrap/demo.yaml", "environments: [dev, staging]\ncreate: tenants\ndocuments:\n  - { id: demo }\n")).AssertClean();
        Assert.Equal(["dev", "staging"], Definition(run, "BootstrapDemo").Steps.Single().Conditions.Environments!);
    }

    [Fact]
    public async Task EnvironmentsAndWhenApplyPerStepAndAreCheckedAgainstSeedingYaml()
    {
        var run = GeneratorHarness.Run((DemoTenantPath, DemoTenant)).AssertClean();
        var steps = Definition(run, "BootstrapDemoTenant").Steps;
        Assert.All(steps, s => Assert.Equal(["development", "staging"], s.Conditions.Environments!));
        Assert.Equal([null, null, "DEMO_SUPPORT_EMAIL"], steps.Select(s => s.Conditions.When));
        Assert.Equal([new ConfiguredField("support_email", "DEMO_SUPPORT_EMAIL", Safe: true)], steps[2].Documents[0].Configured);

        var store = new InMemoryDocumentStore();
        var production = await new SeedRunner(store).RunAsync(Registry(run), RunRequest.Bootstrap() with { Environment = "production", Configuration = Config() });
        var development = await new SeedRunner(store).RunAsync(Registry(run), RunRequest.Bootstrap() with { Environment = "Development", Configuration = Config() });
        Assert.Equal(3, production.Seeds.Single().SkippedSteps.Count);
        Assert.Equal(2, development.Created);
        Assert.Equal("when: DEMO_SUPPORT_EMAIL is not set", development.Seeds.Single().SkippedSteps.Single().Reason);

        var custom = GeneratorHarness.Run(("seeding.yaml", "service: user\nenvironments: [dev, prod]\n"), (DemoTenantPath, DemoTenant));
        DiagnosticTests.AssertReported(custom, "SEED028", DemoTenantPath, 2, 16);
        Assert.Equal(2, custom.Diagnostics.Count(d => d.Id == "SEED028"));
        Assert.Contains("This service knows: dev, prod", custom.Diagnostics[0].GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void ConditionsGivenOnTheFileAndOnAStepConflict()
    {
        const string Yaml = "when: !env A\nsteps:\n  - when: !env B\n    create: roles\n    documents: [{ id: a }]\n";
        DiagnosticTests.AssertReported(GeneratorHarness.Run(("bootstrap/x.yaml", Yaml)), "SEED022", "bootstrap/x.yaml", 3, 5);
    }

    [Fact]
    public void ReferencesToDocumentsSeededNowhereInTheProjectWarn()
    {
        var ok = GeneratorHarness.Run((DemoTenantPath, DemoTenant));
        Assert.DoesNotContain(ok.Diagnostics, d => d.Id == "SEED032");

        var yaml = "create: tenants\ndocuments:\n  - { id: t, roles: [!ref roles/owner], owner: !ref roles/owner }\n";
        var run = GeneratorHarness.Run(("bootstrap/tenants.yaml", yaml));
        var warning = DiagnosticTests.AssertReported(run, "SEED032", "bootstrap/tenants.yaml", 3, 21);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(2, run.Diagnostics.Count);
        Assert.NotNull(run.Load().GetType("Acme.Users.Seeds.BootstrapTenants"));

        // Seeded by a migration: not SEED032, but SEED048 (bootstrap may run before it), tested in BootstrapReferenceTests.
        var seededElsewhere = GeneratorHarness.Run(("bootstrap/tenants.yaml", yaml), ("migrations/pre/0001_roles.yaml", "upsert: roles\ndocuments: [{ id: owner }]\n"));
        Assert.DoesNotContain(seededElsewhere.Diagnostics, d => d.Id == "SEED032");
    }

    [Fact]
    public void TheReferenceWarningsSeverityIsConfigurableProjectWide()
    {
        var yaml = "create: tenants\ndocuments:\n  - { id: t, owner: !ref roles/owner }\n";
        var options = GeneratorHarness.Compilation().Options.WithSpecificDiagnosticOptions(
            new Dictionary<string, Microsoft.CodeAnalysis.ReportDiagnostic> { ["SEED032"] = Microsoft.CodeAnalysis.ReportDiagnostic.Error });
        var run = GeneratorHarness.Run(GeneratorHarness.Compilation().WithOptions(options), [GeneratorHarness.File("bootstrap/tenants.yaml", yaml)]);
        var reported = Assert.Single(run.DriverDiagnostics);
        Assert.Equal(("SEED032", Microsoft.CodeAnalysis.DiagnosticSeverity.Error), (reported.Id, reported.Severity));

        var suppressed = options.WithSpecificDiagnosticOptions(
            new Dictionary<string, Microsoft.CodeAnalysis.ReportDiagnostic> { ["SEED032"] = Microsoft.CodeAnalysis.ReportDiagnostic.Suppress });
        Assert.Empty(GeneratorHarness.Run(GeneratorHarness.Compilation().WithOptions(suppressed), [GeneratorHarness.File("bootstrap/tenants.yaml", yaml)]).DriverDiagnostics);
    }

    [Fact]
    public void IndexEntryHeavyDocumentsAreAFirestoreLimit()
    {
        var yaml = "create: roles\ndocuments:\n  - id: a\n    big: [" + string.Join(",", Enumerable.Repeat("1", 40_000)) + "]\n";
        var diagnostic = DiagnosticTests.AssertReported(GeneratorHarness.Run((Pre, yaml)), "SEED023", Pre, 3, 5);
        Assert.Contains("40,004 index entries", diagnostic.GetMessage(), StringComparison.Ordinal);

        var fine = "create: roles\ndocuments:\n  - id: a\n    big: [" + string.Join(",", Enumerable.Repeat("1", 39_990)) + "]\n";
        GeneratorHarness.Run((Pre, fine)).AssertClean();
    }

    private const string Pre = "migrations/pre/0001_sample.yaml";

    internal static SeedDefinition Definition(GeneratorRun run, string className) =>
        (SeedDefinition)run.Load().GetType("Acme.Users.Seeds." + className)!.GetProperty("Definition")!.GetValue(null)!;

    internal static ServiceSeeds Registry(GeneratorRun run)
    {
        var attribute = run.Load().GetCustomAttribute<SeedingServiceAttribute>()!;
        return (ServiceSeeds)attribute.Registry.GetProperty("Service")!.GetValue(null)!;
    }

    /// <summary>A configuration holding only the given keys (environment variables play no part).</summary>
    internal static IConfiguration Config(params (string Key, string Value)[] values) => new DictionaryConfiguration(values.ToDictionary(v => v.Key, v => v.Value));

    private sealed class DictionaryConfiguration(Dictionary<string, string> values) : IConfiguration
    {
        public string? this[string key]
        {
            get => values.TryGetValue(key, out var value) ? value : null;
            set => throw new NotSupportedException();
        }

        public IEnumerable<IConfigurationSection> GetChildren() => [];

        public IChangeToken GetReloadToken() => throw new NotSupportedException();

        public IConfigurationSection GetSection(string key) => throw new NotSupportedException();
    }
}
