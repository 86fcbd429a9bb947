using Microsoft.Extensions.Configuration;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

/// <summary>The runtime side of match, !env, when, environments, backfills and C# migrations.</summary>
public class SeedLanguageRunnerTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static SeedDefinition AdminUser(string newId = "user-{hash:8}") => Bootstrap("admin_user",
        SeedStep.CreateMatching("users", 3,
            [new SeedDocument("", new Dictionary<string, Value> { ["first_name"] = Value.String("Platform"), ["status"] = Value.String("active") }, 9,
                [new ConfiguredField("email", "PLATFORM_ADMIN_EMAIL")])],
            ["email"], newId, new StepConditions(When: "PLATFORM_ADMIN_EMAIL")));

    [Fact]
    public async Task A_false_when_is_reported_as_skipped_with_its_reason()
    {
        var store = new InMemoryDocumentStore();
        var report = await new SeedRunner(store).RunAsync(Service(AdminUser()), RunRequest.Bootstrap() with { Configuration = Config() });

        var skipped = Assert.Single(report.Seeds.Single().SkippedSteps);
        Assert.Equal("when: PLATFORM_ADMIN_EMAIL is not set", skipped.Reason);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Match_creates_once_under_a_derived_id_then_finds_the_document_by_query()
    {
        var store = new InMemoryDocumentStore();
        var request = RunRequest.Bootstrap() with { Configuration = Config(("PLATFORM_ADMIN_EMAIL", "admin@example.com")) };

        var first = await new SeedRunner(store).RunAsync(Service(AdminUser()), request);
        var second = await new SeedRunner(store).RunAsync(Service(AdminUser()), request);

        var created = first.Plan.Single();
        Assert.Equal(PlanAction.Create, created.Action);
        Assert.Matches("^users/user-[0-9a-f]{8}$", created.Path.ToString());
        Assert.Equal(new PlannedWrite(created.Path, PlanAction.SkipExists, 9), second.Plan.Single());
        var stored = (await store.GetAllAsync([created.Path]))[0].Fields;
        Assert.Equal("admin@example.com", stored["email"].AsString());
    }

    [Theory]
    [InlineData("user-{hash:8}")]
    [InlineData("user-{hex:8}")]
    public async Task Eight_runners_starting_together_create_one_admin(string newId)
    {
        var store = new InMemoryDocumentStore();
        var request = RunRequest.Bootstrap() with { Configuration = Config(("PLATFORM_ADMIN_EMAIL", "admin@example.com")) };

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new SeedRunner(store).RunAsync(Service(AdminUser(newId)), request))));

        Assert.Single(await store.QueryAsync(new DocumentQuery("users", [FieldFilter.EqualTo("email", Value.String("admin@example.com"))])));
    }

    [Fact]
    public async Task A_missing_configuration_value_fails_naming_the_key_and_line()
    {
        var seed = Bootstrap("admin", SeedStep.Create("users", 1,
            [new SeedDocument("admin", new Dictionary<string, Value>(), 7, [new ConfiguredField("email", "ADMIN_EMAIL")])]));

        var failed = await Assert.ThrowsAsync<SeedRunException>(() =>
            new SeedRunner(new InMemoryDocumentStore()).RunAsync(Service(seed), RunRequest.Bootstrap() with { Configuration = Config() }));
        var error = Assert.IsType<SeedConfigurationException>(failed.InnerException);

        Assert.Equal("resolve", failed.Failed.Failure!.Step);
        Assert.Contains("bootstrap/admin.yaml:7", error.Message);
        Assert.Contains("'ADMIN_EMAIL'", error.Message);
    }

    [Fact]
    public async Task Environments_limit_steps_and_say_why()
    {
        var seed = Bootstrap("demo", SeedStep.Create("tenants", 2, [Doc("demo")], new StepConditions(Environments: ["dev", "staging"])));
        var store = new InMemoryDocumentStore();

        var prod = await new SeedRunner(store).RunAsync(Service(seed), RunRequest.Bootstrap() with { Environment = "production" });
        var dev = await new SeedRunner(store).RunAsync(Service(seed), RunRequest.Bootstrap() with { Environment = "Dev" });

        Assert.Equal("runs only in dev, staging, not in production", prod.Seeds.Single().SkippedSteps.Single().Reason);
        Assert.Equal(1, dev.Created);
    }

    [Fact]
    public async Task Backfill_sets_fields_on_null_or_missing_across_pages_and_converges()
    {
        var store = new InMemoryDocumentStore();
        for (var batch = 0; batch < 3; batch++)
        {
            await store.WriteBatchAsync(Enumerable.Range(batch * 500, 500).Select(i => DocumentWrite.Set(
                DocumentPath.Create("resources", $"r{i:D5}"),
                i % 3 == 0 ? new Dictionary<string, Value> { ["created_at"] = Value.Timestamp(Timestamp.Parse("2020-01-01T00:00:00Z")) }
                : i % 3 == 1 ? new Dictionary<string, Value> { ["created_at"] = Value.Null }
                : new Dictionary<string, Value>())).ToArray());
        }

        var migration = Migration("0001_backfill_timestamps", SeedPhase.Post, "sha256:b",
            SeedStep.Backfill("resources", 2, new Dictionary<string, Value> { ["created_at"] = Value.Null }, new Dictionary<string, Value> { ["created_at"] = Value.ServerTimestamp }));

        var writesBefore = store.WriteCalls;
        var dry = await new SeedRunner(store).RunAsync(Service(migration), RunRequest.PostDeploy(dryRun: true));
        var writesAfterDryRun = store.WriteCalls - writesBefore;
        var real = await new SeedRunner(store).RunAsync(Service(migration), RunRequest.PostDeploy());
        var again = await new SeedRunner(store).RunAsync(Service(Renamed(migration, "0002_backfill_again")), RunRequest.PostDeploy());

        Assert.Equal(1000, dry.Updated);
        Assert.Equal(0, writesAfterDryRun);
        Assert.Equal(1000, real.Updated);
        Assert.Equal(0, again.Updated);
        var all = await store.QueryAsync(new DocumentQuery("resources", []));
        Assert.All(all, d => Assert.Equal(ValueKind.Timestamp, d.Fields["created_at"].Kind));
        Assert.Equal(1000, all.Count(d => d.Fields["created_at"].AsTimestamp() != Timestamp.Parse("2020-01-01T00:00:00Z")));
    }

    [Fact]
    public async Task Backfill_with_equality_and_null_conditions_only_touches_matches()
    {
        var store = new InMemoryDocumentStore();
        await store.WriteBatchAsync([
            DocumentWrite.Set(DocumentPath.Parse("recommendations/a"), new Dictionary<string, Value> { ["status"] = Value.String("pending") }),
            DocumentWrite.Set(DocumentPath.Parse("recommendations/b"), new Dictionary<string, Value> { ["status"] = Value.String("done") }),
            DocumentWrite.Set(DocumentPath.Parse("recommendations/c"), new Dictionary<string, Value> { ["status"] = Value.String("pending"), ["expires_at"] = Value.Timestamp(Timestamp.Parse("2030-01-01T00:00:00Z")) }),
        ]);
        var expiry = Value.Timestamp(Timestamp.Parse("2027-01-01T00:00:00Z"));
        var migration = Migration("0003_expiry", SeedPhase.Post, "sha256:e", SeedStep.Backfill("recommendations", 1,
            new Dictionary<string, Value> { ["status"] = Value.String("pending"), ["expires_at"] = Value.Null },
            new Dictionary<string, Value> { ["expires_at"] = expiry }));

        var report = await new SeedRunner(store).RunAsync(Service(migration), RunRequest.PostDeploy());

        Assert.Equal(["recommendations/a"], report.Plan.Select(p => p.Path.ToString()));
        var docs = await store.GetAllAsync([DocumentPath.Parse("recommendations/a"), DocumentPath.Parse("recommendations/b"), DocumentPath.Parse("recommendations/c")]);
        Assert.Equal(expiry, docs[0].Fields["expires_at"]);
        Assert.False(docs[1].Fields.ContainsKey("expires_at"));
        Assert.NotEqual(expiry, docs[2].Fields["expires_at"]);
    }

    [Fact]
    public async Task A_csharp_migration_gets_the_same_history_batching_and_dry_run()
    {
        var store = new InMemoryDocumentStore();
        foreach (var chunk in Enumerable.Range(0, 700).Chunk(350))
        {
            await store.WriteBatchAsync(chunk.Select(i => DocumentWrite.Set(
                DocumentPath.Create("consents", $"c{i:D4}"), new Dictionary<string, Value> { ["accepted"] = Value.Boolean(i % 2 == 0) })).ToArray());
        }

        var migration = SeedDefinition.FromCode("0002_migrate_consents", SeedPhase.Post, "sha256:code", "migrations/post/0002_migrate_consents.cs", null, new ConsentsToPlatformConsent());

        var writesBefore = store.WriteCalls;
        var plan = await new SeedRunner(store).RunAsync(Service(migration), RunRequest.PostDeploy(dryRun: true));
        var writes = store.WriteCalls - writesBefore;
        var applied = await new SeedRunner(store).RunAsync(Service(migration), RunRequest.PostDeploy());
        var status = await new SeedRunner(store).GetStatusAsync(Service(migration));

        Assert.Equal(700, plan.Plan.Count(p => p.Action == PlanAction.Create));
        Assert.Equal(0, writes);
        Assert.Equal(700, applied.Created);
        Assert.Equal(MigrationState.Applied, status.Single().State);
        var converted = (await store.GetAllAsync([DocumentPath.Parse("platform_consent/c0002")]))[0].Fields;
        Assert.Equal("granted", converted["state"].AsString());
    }

    private static SeedDefinition Renamed(SeedDefinition source, string id) =>
        new(id, source.Phase, source.Checksum, source.SourcePath, source.Description, source.Steps);

    private sealed class ConsentsToPlatformConsent : IMigration
    {
        public async Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken)
        {
            await foreach (var consent in context.QueryAllAsync(new DocumentQuery("consents", []), cancellationToken: cancellationToken))
            {
                var state = consent.Fields["accepted"].AsBoolean() ? "granted" : "denied";
                var target = DocumentPath.Create("platform_consent", consent.Path.Id);
                await context.WriteAsync(DocumentWrite.Create(target, new Dictionary<string, Value> { ["state"] = Value.String(state) }), PlanAction.Create, cancellationToken: cancellationToken);
            }
        }
    }
}

