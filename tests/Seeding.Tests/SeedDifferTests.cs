using Microsoft.Extensions.Configuration;
using Seeding.Definitions;
using Seeding.Diffing;
using Seeding.Documents;
using Seeding.Resources;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

/// <summary>The differ on the in-memory store: declared state folded in run order, compared field by field from one snapshot.</summary>
public class SeedDifferTests
{
    private static readonly DocumentPath Admin = DocumentPath.Parse("roles/admin");

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static async Task<DiffResult> DiffAsync(InMemoryDocumentStore store, ServiceSeeds service, DiffRequest? request = null, SeedRunnerOptions? options = null) =>
        await new SeedDiffer(store, (options ?? new SeedRunnerOptions()) with { Capabilities = new StoreCapabilities { Snapshots = store } })
            .DiffAsync([service], request ?? new DiffRequest());

    private static Task WriteAsync(InMemoryDocumentStore store, DocumentPath path, params (string Name, Value Value)[] fields) =>
        store.WriteBatchAsync([DocumentWrite.Set(path, fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal))]);

    [Fact]
    public async Task Right_after_a_run_nothing_drifts_and_now_matches_any_timestamp()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(Migration("0001_roles", SeedPhase.Pre, "sha256:1",
            Create("roles", Doc("admin", ("name", Value.String("Admin")), ("limits", Value.Map([new("seats", Value.Integer(3))])), ("created_at", Value.ServerTimestamp)))));
        await new SeedRunner(store).RunAsync(service, RunRequest.All());

        var result = await DiffAsync(store, service);

        Assert.False(result.HasDrift);
        Assert.Equal(1, result.Services[0].UnchangedDocuments);
        Assert.Empty(result.Services[0].Documents);
    }

    [Fact]
    public async Task A_later_upsert_overrides_an_earlier_create_and_a_later_create_does_not()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(
            Migration("0001_roles", SeedPhase.Pre, "sha256:1", Create("roles", Doc("admin", ("name", Value.String("A")), ("level", Value.Integer(1))))),
            Migration("0002_rename", SeedPhase.Pre, "sha256:2", Upsert("roles", Doc("admin", ("name", Value.String("B"))))),
            Migration("0003_again", SeedPhase.Pre, "sha256:3", Create("roles", Doc("admin", ("name", Value.String("C")), ("level", Value.Integer(9))))));
        await new SeedRunner(store).RunAsync(service, RunRequest.All());
        await WriteAsync(store, Admin, ("name", Value.String("A")), ("level", Value.Integer(1))); // edited by hand after the run

        var document = Assert.Single((await DiffAsync(store, service)).Services[0].Documents);

        Assert.Equal(Admin, document.Path);
        Assert.Equal("migrations/pre/0002_rename.yaml", document.Source);
        var field = Assert.Single(document.Fields);
        Assert.Equal(new FieldDiff("name", FieldDrift.Changed, Value.String("A"), Value.String("B")), field);
    }

    [Fact]
    public async Task A_missing_document_a_changed_field_an_absent_field_and_a_changed_map_key_are_reported_exactly()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(Migration("0001_roles", SeedPhase.Pre, "sha256:1", Create("roles",
            Doc("admin", ("name", Value.String("Admin")), ("level", Value.Integer(0)), ("limits", Value.Map([new("seats", Value.Integer(3)), new("surveys", Value.Integer(5))]))),
            Doc("user", ("name", Value.String("User"))))));
        await new SeedRunner(store).RunAsync(service, RunRequest.All());
        await WriteAsync(store, Admin, ("name", Value.String("Boss")), ("limits", Value.Map([new("seats", Value.Integer(4)), new("surveys", Value.Integer(5)), new("extra", Value.Boolean(true))])));
        await store.WriteBatchAsync([DocumentWrite.Delete(DocumentPath.Parse("roles/user"))]);

        var diff = (await DiffAsync(store, service)).Services[0];

        Assert.Equal(2, diff.DriftedDocuments);
        var admin = diff.Documents.Single(d => d.Path == Admin);
        Assert.False(admin.Missing);
        Assert.Equal(
            [
                new FieldDiff("name", FieldDrift.Changed, Value.String("Boss"), Value.String("Admin")),
                new FieldDiff("level", FieldDrift.Absent, null, Value.Integer(0)),
                new FieldDiff("limits.seats", FieldDrift.Changed, Value.Integer(4), Value.Integer(3)),
                new FieldDiff("limits.extra", FieldDrift.Undeclared, Value.Boolean(true), null),
            ],
            admin.Fields);
        Assert.True(diff.Documents.Single(d => d.Path.ToString() == "roles/user").Missing);
    }

    [Fact]
    public async Task Steps_whose_when_or_environments_do_not_hold_are_left_out_with_the_reason()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(Bootstrap("demo",
            SeedStep.Create("tenants", 3, [Doc("demo", ("name", Value.String("Demo")))], new StepConditions(Environments: ["staging"])),
            SeedStep.Create("flags", 7, [Doc("beta", ("on", Value.Boolean(true)))], new StepConditions(When: "BETA"))));

        var outside = (await DiffAsync(store, service)).Services[0];
        var inside = (await DiffAsync(store, service, new DiffRequest { Environment = "staging", Configuration = Config(("BETA", "true")) })).Services[0];

        Assert.Equal(0, outside.DocumentsCompared);
        Assert.Equal(["runs only in staging; no environment was given (--environment or DOTNET_ENVIRONMENT)", "when: BETA is not set"], outside.NotCompared.Select(n => n.Reason));
        Assert.Equal(2, inside.DocumentsCompared);
        Assert.All(inside.Documents, d => Assert.True(d.Missing));
        Assert.Empty(inside.NotCompared);
    }

    [Fact]
    public async Task An_env_value_is_compared_with_configuration_and_never_shown()
    {
        var store = new InMemoryDocumentStore();
        var secret = new SeedDocument("admin", new Dictionary<string, Value> { ["name"] = Value.String("Admin") }, 4,
            [new ConfiguredField("email", "ADMIN_EMAIL"), new ConfiguredField("region", "REGION", Safe: true)]);
        var service = Service(Bootstrap("admin", SeedStep.Upsert("users", 2, [secret])));
        var users = DocumentPath.Parse("users/admin");
        await WriteAsync(store, users, ("name", Value.String("Admin")), ("email", Value.String("old@example.com")), ("region", Value.String("eu")));

        var request = new DiffRequest { Configuration = Config(("ADMIN_EMAIL", "new@example.com"), ("REGION", "us")) };
        var document = Assert.Single((await DiffAsync(store, service, request)).Services[0].Documents);
        var clean = await DiffAsync(store, service, new DiffRequest { Configuration = Config(("ADMIN_EMAIL", "old@example.com"), ("REGION", "eu")) });

        Assert.Equal(
            [
                new FieldDiff("email", FieldDrift.Changed, null, null) { Redacted = true },
                new FieldDiff("region", FieldDrift.Changed, Value.String("eu"), Value.String("us")),
            ],
            document.Fields);
        Assert.False(clean.HasDrift);
    }

    [Fact]
    public async Task A_match_step_reports_none_one_or_several_with_redacted_values()
    {
        var store = new InMemoryDocumentStore();
        var admin = new SeedDocument("", new Dictionary<string, Value> { ["role"] = Value.String("admin") }, 9, [new ConfiguredField("email", "ADMIN_EMAIL")]);
        var service = Service(Bootstrap("admin_user", SeedStep.CreateMatching("users", 3, [admin], ["email"], "user-{hash:8}")));
        var request = new DiffRequest { Configuration = Config(("ADMIN_EMAIL", "a@example.com")) };

        var none = Assert.Single((await DiffAsync(store, service, request)).Services[0].Matches);
        await WriteAsync(store, DocumentPath.Parse("users/u1"), ("email", Value.String("a@example.com")));
        var one = Assert.Single((await DiffAsync(store, service, request)).Services[0].Matches);
        await WriteAsync(store, DocumentPath.Parse("users/u2"), ("email", Value.String("a@example.com")));
        var several = await DiffAsync(store, service, request);

        Assert.Equal((MatchFound.None, true, "email = (redacted)"), (none.Found, none.Drifted, none.Match));
        Assert.Equal((MatchFound.One, false, "users/u1"), (one.Found, one.Drifted, one.Path?.ToString()));
        Assert.Equal(MatchFound.Several, Assert.Single(several.Services[0].Matches).Found);
        Assert.Equal(1, several.DriftCount);
    }

    [Fact]
    public async Task Unmanaged_fields_are_listed_only_when_asked_and_never_drift()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(Migration("0001_roles", SeedPhase.Pre, "sha256:1", Create("roles", Doc("admin", ("name", Value.String("Admin"))))));
        await WriteAsync(store, Admin, ("name", Value.String("Admin")), ("note", Value.String("added by hand")));

        var quiet = await DiffAsync(store, service);
        var shown = await DiffAsync(store, service, new DiffRequest { ShowUnmanaged = true });

        Assert.Empty(quiet.Services[0].Documents);
        var document = Assert.Single(shown.Services[0].Documents);
        Assert.Equal([new FieldDiff("note", FieldDrift.Unmanaged, Value.String("added by hand"), null)], document.Fields);
        Assert.False(document.Drifted);
        Assert.False(shown.HasDrift);
        Assert.Equal(1, shown.Services[0].UnchangedDocuments);
    }

    [Fact]
    public async Task A_backfill_reports_the_documents_it_has_not_reached_by_count_or_by_scan()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(Migration("0001_backfill", SeedPhase.Post, "sha256:1",
            SeedStep.Backfill("recommendations", 2, new Dictionary<string, Value> { ["status"] = Value.String("pending"), ["expires_at"] = Value.Null },
                new Dictionary<string, Value> { ["expires_at"] = Value.String("2027") }),
            SeedStep.Backfill("plans", 6, new Dictionary<string, Value> { ["tier"] = Value.String("free") }, new Dictionary<string, Value> { ["tier"] = Value.String("basic") })));
        await WriteAsync(store, DocumentPath.Parse("recommendations/a"), ("status", Value.String("pending")));
        await WriteAsync(store, DocumentPath.Parse("recommendations/b"), ("status", Value.String("pending")), ("expires_at", Value.Null));
        await WriteAsync(store, DocumentPath.Parse("recommendations/c"), ("status", Value.String("pending")), ("expires_at", Value.String("2027")));
        await WriteAsync(store, DocumentPath.Parse("recommendations/d"), ("status", Value.String("done")));
        await WriteAsync(store, DocumentPath.Parse("plans/p1"), ("tier", Value.String("free")));
        await WriteAsync(store, DocumentPath.Parse("plans/p2"), ("tier", Value.String("basic")));

        var before = (await DiffAsync(store, service)).Services[0].Backfills;
        await new SeedRunner(store).RunAsync(service, RunRequest.All());
        var after = (await DiffAsync(store, service)).Services[0].Backfills;

        Assert.Equal([(2L, "scan"), (1L, "count")], before.Select(b => (b.Remaining, b.Method)));
        Assert.All(after, b => Assert.Equal(0, b.Remaining));
    }

    [Fact]
    public async Task A_topic_whose_retention_changed_is_reported_and_a_missing_target_is_said()
    {
        var store = new InMemoryDocumentStore();
        var pubSub = new RecordingPubSub();
        var declared = new TopicSpec("audit-events") { MessageRetention = TimeSpan.FromDays(7) };
        var service = Service(Migration("0002_topics", SeedPhase.Pre, "sha256:1", SeedStep.Topic(3, declared)));
        pubSub.Topics["audit-events"] = declared with { MessageRetention = TimeSpan.FromDays(1) };

        var differs = Assert.Single((await DiffAsync(store, service, options: new SeedRunnerOptions { PubSub = pubSub })).Services[0].Resources);
        var noTarget = Assert.Single((await DiffAsync(store, service)).Services[0].Resources);

        Assert.Equal((ResourceDrift.Differs, new SettingDifference("message_retention", "1d", "7d")), (differs.State, Assert.Single(differs.Settings)));
        Assert.Equal(ResourceDrift.NoTarget, noTarget.State);
        Assert.Contains("PUBSUB_EMULATOR_HOST", noTarget.Note, StringComparison.Ordinal);
        Assert.False(noTarget.Drifted);
    }

    [Fact]
    public async Task A_subscription_on_another_topic_with_other_labels_and_dead_letter_shows_each_setting_live_and_declared()
    {
        var pubSub = new RecordingPubSub();
        var declared = new SubscriptionSpec("audit-writer", "audit-events")
        {
            Labels = new Dictionary<string, string> { ["team"] = "audit" },
            AckDeadline = TimeSpan.FromSeconds(60),
            DeadLetter = new DeadLetterPolicy("audit-dead", 10),
            PushEndpoint = "https://audit.example.com/push",
        };
        var service = Service(Bootstrap("audit", SeedStep.Subscription(4, declared)));
        pubSub.Subscriptions["audit-writer"] = declared with
        {
            Topic = "legacy-events",
            Labels = new Dictionary<string, string> { ["team"] = "ops", ["owner"] = "platform" },
            AckDeadline = TimeSpan.FromSeconds(90),
            DeadLetter = new DeadLetterPolicy("audit-dead", 5),
            PushEndpoint = null,
        };

        var differs = Assert.Single((await DiffAsync(new InMemoryDocumentStore(), service, options: new SeedRunnerOptions { PubSub = pubSub })).Services[0].Resources);

        // Labels show the declared keys only (others are kept, never compared); the topic, which cannot change, comes first.
        Assert.Equal(ResourceDrift.Differs, differs.State);
        Assert.Equal(
            [
                new SettingDifference("topic", "legacy-events", "audit-events"),
                new SettingDifference("labels", "{ team: ops }", "{ team: audit }"),
                new SettingDifference("ack_deadline", "90s", "1m"),
                new SettingDifference("dead_letter", "{ topic: audit-dead }", "{ topic: audit-dead, max_delivery_attempts: 10 }"),
                new SettingDifference("push_endpoint", null, "\"https://audit.example.com/push\""),
            ],
            differs.Settings);
    }

    [Fact]
    public async Task A_field_override_and_a_failed_index_show_their_settings_live_and_declared_and_held_ones_nothing()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        var index = new IndexSpec("users", IndexScope.Collection, [new IndexField("tenant_id", IndexOrder.Ascending), new IndexField("email", IndexOrder.Ascending)]);
        var ttl = new FieldOverrideSpec("sessions", "expires_at") { Ttl = true, Indexes = [new FieldIndex(IndexOrder.Ascending, IndexScope.Collection)] };
        var held = new FieldOverrideSpec("sessions", "user_id") { Indexes = [new FieldIndex(IndexOrder.Descending, IndexScope.CollectionGroup)] };
        var service = Service(Migration("0003_indexes", SeedPhase.Pre, "sha256:1", SeedStep.Index(3, index), SeedStep.FieldOverride(8, ttl), SeedStep.FieldOverride(12, held)));
        store.Indexes.Add(new IndexState(index, IndexBuildState.NeedsRepair));
        store.Fields[held.ToString()] = held with { Ttl = false };

        var result = await new SeedDiffer(store, new SeedRunnerOptions { Capabilities = new StoreCapabilities { Snapshots = store.Documents, Indexes = store } })
            .DiffAsync([service], new DiffRequest());

        var resources = result.Services[0].Resources;
        Assert.Equal([ResourceDrift.Differs, ResourceDrift.Differs, ResourceDrift.Same], resources.Select(r => r.State));
        Assert.Equal([new SettingDifference("state", "needs_repair", "ready")], resources[0].Settings);
        // The fake's automatic indexing: ascending, descending and contains, no TTL policy.
        Assert.Equal(
            [new SettingDifference("ttl", "false", "true"), new SettingDifference("indexes", "[ascending, descending, contains]", "[ascending]")],
            resources[1].Settings);
        Assert.Empty(resources[2].Settings);
        Assert.Equal(2, result.DriftCount);
    }

    [Fact]
    public async Task It_reads_one_batch_per_thousand_documents_from_one_snapshot()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(Migration("0001_many", SeedPhase.Pre, "sha256:1", Create("items", Many(2500))));
        await new SeedRunner(store).RunAsync(service, RunRequest.All());
        var readsBefore = store.ReadCalls;

        var result = await DiffAsync(store, service);

        // The migration's history document (is it pending?), then 2,500 documents in three batches.
        Assert.Equal(4, store.ReadCalls - readsBefore);
        Assert.Equal(2500, result.Services[0].UnchangedDocuments);
        Assert.NotNull(result.ReadTime);
        Assert.Contains("lock", result.Consistency, StringComparison.Ordinal);
    }
}
