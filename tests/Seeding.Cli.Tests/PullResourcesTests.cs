using System.Text.Json;
using Seeding.Definitions;
using Seeding.Generators.Tests;
using Seeding.Resources;
using Seeding.TestSupport;

namespace Seeding.Cli.Tests;

/// <summary>
/// <c>pull --topics --subscriptions</c> against the Pub/Sub emulator and <c>pull --indexes-file</c> against index files:
/// the pulled file compiles with no diagnostic (the generator run in memory), declares exactly what was read, and a
/// plan against the same emulator finds every resource as it is (no create, no update). Bad input: a clear message, its
/// exit code, and no file.
/// </summary>
public sealed class PullResourcesTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public PullResourcesTests() => File.WriteAllText(Path.Combine(_workspace.Directory, "seeding.yaml"), "service: pulled\ndepends_on: []\n");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Pulled_topics_and_subscriptions_compile_cleanly_and_plan_against_the_same_emulator_as_unchanged()
    {
        var host = await PubSubEmulator.HostAsync();
        var project = PubSubEmulator.NewProjectId("pull");
        using (var admin = await PubSubEmulator.AdminAsync(project))
        {
            Assert.True(await admin.CreateTopicAsync(new TopicSpec("orders") { Labels = Labels(("team", "orders"), ("tier", "1")), MessageRetention = TimeSpan.FromDays(2) }));
            Assert.True(await admin.CreateTopicAsync(new TopicSpec("orders-dead-letter")));
            Assert.True(await admin.CreateSubscriptionAsync(new SubscriptionSpec("orders-writer", "orders")
            {
                Labels = Labels(("team", "orders")),
                AckDeadline = TimeSpan.FromSeconds(45),
                MessageRetention = TimeSpan.FromHours(36),
                Filter = "attributes.kind = \"order\"",
                DeadLetter = new DeadLetterPolicy("orders-dead-letter", 7),
            }));
            Assert.True(await admin.CreateSubscriptionAsync(new SubscriptionSpec("orders-pusher", "orders") { PushEndpoint = "https://orders.example.com/push", AckDeadline = TimeSpan.FromMinutes(10) }));
            Assert.True(await admin.CreateSubscriptionAsync(new SubscriptionSpec("orders-plain", "orders")));
        }

        _workspace.Environment["PUBSUB_EMULATOR_HOST"] = host;
        _workspace.Environment["PUBSUB_PROJECT_ID"] = project;

        // A bootstrap file: there, a declared setting that differs would be an update, so "unchanged" proves every setting.
        var pulled = await _workspace.RunAsync([], "pull", "--topics", "--subscriptions", "--into", "bootstrap/pubsub.yaml");
        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        Assert.Equal($"Wrote bootstrap/pubsub.yaml: 2 topics, 3 subscriptions from pubsub-emulator:{host}/projects/{project}.\n", pulled.Output.Split('\n')[0] + "\n");
        var yaml = await File.ReadAllTextAsync(Path.Combine(_workspace.Directory, "bootstrap", "pubsub.yaml"));
        Assert.Contains($"\n# Pulled by 'seeding pull' from:\n#   pubsub-emulator:{host}/projects/{project}\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("# Read at", yaml, StringComparison.Ordinal);
        // Pub/Sub's defaults (10 s, 7 days, no filter) are left out: the plain subscription is two lines.
        Assert.Contains("  - subscription: orders-plain\n    topic: orders\n  - ", yaml, StringComparison.Ordinal);

        var service = Compile(("bootstrap/pubsub.yaml", yaml));
        var steps = service.Seeds.Single().Steps;
        Assert.Equal(
            [
                "topic orders labels=[team=orders, tier=1] retention=2.00:00:00",
                "topic orders-dead-letter labels=[] retention=",
                "subscription orders-plain topic=orders labels=[] ack= retention= filter=(none) dead_letter= push=(none)",
                "subscription orders-pusher topic=orders labels=[] ack=00:10:00 retention= filter=(none) dead_letter= push=https://orders.example.com/push",
                "subscription orders-writer topic=orders labels=[team=orders] ack=00:00:45 retention=1.12:00:00 filter=attributes.kind = \"order\" " +
                "dead_letter=DeadLetterPolicy { Topic = orders-dead-letter, MaxDeliveryAttempts = 7 } push=(none)",
            ],
            steps.Select(s => s switch
            {
                TopicStep t => ResourceSpecText.Of(t.Spec),
                SubscriptionStep sub => ResourceSpecText.Of(sub.Spec),
                _ => s.ToString()!,
            }));

        var plan = await PlanAsync(service, host, project);
        Assert.Equal(
            ["topic orders skip_unchanged", "topic orders-dead-letter skip_unchanged", "subscription orders-plain skip_unchanged",
             "subscription orders-pusher skip_unchanged", "subscription orders-writer skip_unchanged"],
            plan);

        // The default target: a new pre-deploy migration, numbered like 'new'; there every resource exists.
        var again = await _workspace.RunAsync([], "pull", "--topics", "--subscriptions");
        Assert.True(again.ExitCode == 0, again.ToString());
        var migration = Path.Combine(_workspace.Directory, "migrations", "pre", "0001_pulled_pubsub.yaml");
        var migrationYaml = await File.ReadAllTextAsync(migration);
        // The same project read twice gives the same file, but for the schema line (a path relative to the file).
        Assert.Equal(WithoutFirstLine(yaml), WithoutFirstLine(migrationYaml));
        var migrationPlan = await PlanAsync(Compile(("migrations/pre/0001_pulled_pubsub.yaml", migrationYaml)), host, project);
        Assert.Equal(5, migrationPlan.Count);
        Assert.All(migrationPlan, line => Assert.EndsWith(" skip_exists", line, StringComparison.Ordinal));

        var third = await _workspace.RunAsync([], "pull", "--topics", "--subscriptions", "--output", "json");
        Assert.True(third.ExitCode == 0, third.ToString());
        using var json = JsonDocument.Parse(third.Output);
        // A name the phase has gets the next number, as the document pull does; no read time, so the same bytes.
        Assert.Equal("migrations/pre/0002_pulled_pubsub.yaml", json.RootElement.GetProperty("path").GetString());
        Assert.Equal(["orders", "orders-dead-letter"], json.RootElement.GetProperty("topics").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(migrationYaml, await File.ReadAllTextAsync(Path.Combine(_workspace.Directory, "migrations", "pre", "0002_pulled_pubsub.yaml")));

        // --read-time writes when it was read, in a comment.
        var timed = await _workspace.RunAsync([], "pull", "--topics", "--read-time", "--into", "migrations/post");
        Assert.True(timed.ExitCode == 0, timed.ToString());
        var timedYaml = await File.ReadAllTextAsync(Path.Combine(_workspace.Directory, "migrations", "post", "0001_pulled_pubsub.yaml"));
        Assert.Matches(@"\n# Read at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(--read-time; comments do not change the checksum\)\.\n", timedYaml);
    }

    [Fact]
    public async Task The_samples_indexes_written_by_seeding_indexes_pull_back_into_the_same_specs()
    {
        var user = Path.Combine(TestPaths.RepositoryRoot, "seeds", "user");
        var declared = Compile(
            ("seeding.yaml", "service: user\ndepends_on: []\n"),
            ("migrations/pre/0003_user_indexes.yaml", await File.ReadAllTextAsync(Path.Combine(user, "migrations", "pre", "0003_user_indexes.yaml"))),
            ("migrations/pre/0004_more.yaml", MoreIndexes));
        var written = await _workspace.RunAsync([declared], "indexes", "--file", "firestore.indexes.json");
        Assert.True(written.ExitCode == 0, written.ToString());

        var pulled = await _workspace.RunAsync([], "pull", "--indexes-file", "firestore.indexes.json", "--into", "migrations/pre");
        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        Assert.Equal("Wrote migrations/pre/0001_pulled_indexes.yaml: 4 indexes, 4 field overrides from firestore.indexes.json.\n", pulled.Output.Split('\n')[0] + "\n");
        Assert.Equal(string.Empty, pulled.Error);
        var yaml = await File.ReadAllTextAsync(Path.Combine(_workspace.Directory, "migrations", "pre", "0001_pulled_indexes.yaml"));
        var back = Compile(("migrations/pre/0001_pulled_indexes.yaml", yaml));

        Assert.Equal(Specs(declared), Specs(back));
    }

    [Fact]
    public async Task Entries_an_index_file_holds_that_a_declaration_cannot_say_are_left_out_with_a_note()
    {
        await File.WriteAllTextAsync(Path.Combine(_workspace.Directory, "firestore.indexes.json"), """
            {
              "indexes": [
                { "collectionGroup": "docs", "queryScope": "COLLECTION", "fields": [ { "fieldPath": "a", "order": "ASCENDING" }, { "fieldPath": "embedding", "vectorConfig": { "dimension": 3, "flat": {} } } ] },
                { "collectionGroup": "docs", "queryScope": "COLLECTION", "fields": [ { "fieldPath": "`a.b`", "order": "ASCENDING" }, { "fieldPath": "c", "order": "ASCENDING" } ] },
                { "collectionGroup": "docs", "queryScope": "COLLECTION", "fields": [ { "fieldPath": "x", "order": "ASCENDING" }, { "fieldPath": "y", "order": "DESCENDING" }, { "fieldPath": "__name__", "order": "DESCENDING" } ] }
              ],
              "fieldOverrides": [
                { "collectionGroup": "docs", "fieldPath": "plain", "ttl": false, "indexes": [ { "order": "ASCENDING", "queryScope": "COLLECTION" }, { "order": "DESCENDING", "queryScope": "COLLECTION" }, { "arrayConfig": "CONTAINS", "queryScope": "COLLECTION" } ] }
              ]
            }
            """);

        // A given file that exists is never overwritten, and the temporary file beside it does not stay.
        Directory.CreateDirectory(Path.Combine(_workspace.Directory, "migrations", "pre"));
        var old = Path.Combine(_workspace.Directory, "migrations", "pre", "0001_docs.yaml");
        await File.WriteAllTextAsync(old, "description: old\nupsert: x\n");
        var refused = await _workspace.RunAsync([], "pull", "--indexes-file", "firestore.indexes.json", "--into", "migrations/pre/0001_docs.yaml");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("0001_docs.yaml exists and is never overwritten", refused.Error, StringComparison.Ordinal);
        Assert.Equal("description: old\nupsert: x\n", await File.ReadAllTextAsync(old));
        Assert.Empty(Directory.EnumerateFiles(_workspace.Directory, "*.tmp", SearchOption.AllDirectories));

        var pulled = await _workspace.RunAsync([], "pull", "--indexes-file", "firestore.indexes.json", "--into", "migrations/pre/0002_docs.yaml");

        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        Assert.Equal(
            [
                "note: not pulled: firestore.indexes.json indexes[0] (docs): a vector field (Seeding declares ascending, descending and contains)",
                "note: not pulled: firestore.indexes.json indexes[1] (docs): field path `a.b` has a name holding a '.', which a declaration cannot name",
                "note: not pulled: firestore.indexes.json fieldOverrides[0] (docs.plain): it sets what Firestore does anyway (automatic indexes, no TTL policy)",
            ],
            pulled.Error.TrimEnd('\n').Split('\n'));
        var yaml = await File.ReadAllTextAsync(Path.Combine(_workspace.Directory, "migrations", "pre", "0002_docs.yaml"));
        Assert.EndsWith("steps:\n  - index: docs\n    fields:\n      - x: ascending\n      - \"y\": descending\n", yaml, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_workspace.Directory, "*.tmp", SearchOption.AllDirectories));
        Compile(("migrations/pre/0002_docs.yaml", yaml));
    }

    [Theory]
    [InlineData("{ \"indexes\": [ { \"collectionGroup\": \"users\", \"fields\": [ { \"fieldPath\": \"a\", \"order\": \"UP\" } ] } ] }", "indexes[0].fields[0].order is \"UP\"; expected ASCENDING or DESCENDING")]
    [InlineData("{ \"indexes\": [ { \"collectionGroup\": \"users\", ", "not valid JSON")]
    [InlineData("[]", "the file holds a list; an index file is an object")]
    [InlineData("{ \"fieldOverrides\": [ { \"collectionGroup\": \"a/b\", \"fieldPath\": \"x\", \"ttl\": true } ] }", "fieldOverrides[0].collectionGroup: 'a/b' is a path")]
    public async Task A_malformed_index_file_fails_with_the_place_and_writes_nothing(string content, string expected)
    {
        await File.WriteAllTextAsync(Path.Combine(_workspace.Directory, "firestore.indexes.json"), content);

        var pulled = await _workspace.RunAsync([], "pull", "--indexes-file", "firestore.indexes.json");

        Assert.Equal(1, pulled.ExitCode);
        Assert.StartsWith("error: firestore.indexes.json is not an index file in the Firebase CLI's format", pulled.Error, StringComparison.Ordinal);
        Assert.Contains(expected, pulled.Error, StringComparison.Ordinal);
        AssertNoSeedFile();
    }

    [Fact]
    public async Task A_missing_index_file_no_pubsub_target_and_no_index_api_are_clear_errors_and_write_nothing()
    {
        var missing = await _workspace.RunAsync([], "pull", "--indexes-file", "nowhere.json");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: Could not read the index file nowhere.json: ", missing.Error, StringComparison.Ordinal);

        var noTarget = await _workspace.RunAsync([], "pull", "--topics");
        Assert.Equal(2, noTarget.ExitCode);
        Assert.StartsWith("error: --topics reads Pub/Sub, and this command has no Pub/Sub target: set --pubsub-emulator-host (or PUBSUB_EMULATOR_HOST)", noTarget.Error, StringComparison.Ordinal);

        var sqlite = await _workspace.RunAsync([], "pull", "--indexes");
        Assert.Equal(2, sqlite.ExitCode);
        Assert.Contains("--indexes reads the Firestore Admin API, and here the sqlite:", sqlite.Error, StringComparison.Ordinal);
        Assert.Contains("Pass --indexes-file firestore.indexes.json instead", sqlite.Error, StringComparison.Ordinal);

        var emulator = await _workspace.RunAsync([], "pull", "--indexes", "--emulator-host", "127.0.0.1:9");
        Assert.Equal(2, emulator.ExitCode);
        Assert.Contains("the Firestore emulator has no index API", emulator.Error, StringComparison.Ordinal);

        var bootstrap = await _workspace.RunAsync([], "pull", "--indexes-file", "x.json", "--into", "bootstrap/indexes.yaml");
        Assert.Equal(2, bootstrap.ExitCode);
        Assert.Contains("Index and field_override steps go only in pre-deploy migrations (SEED044)", bootstrap.Error, StringComparison.Ordinal);

        var nothing = await _workspace.RunAsync([], "pull");
        Assert.Equal(2, nothing.ExitCode);

        var both = await _workspace.RunAsync([], "pull", "roles", "--topics");
        Assert.Equal(2, both.ExitCode);
        Assert.StartsWith("error: pull writes documents or resources (--topics, --subscriptions, --indexes) in one run, not both: the collection 'roles' is for documents.", both.Error, StringComparison.Ordinal);

        var documentOption = await _workspace.RunAsync([], "pull", "--indexes-file", "x.json", "--limit", "3");
        Assert.Equal(2, documentOption.ExitCode);
        Assert.Contains("--limit is for documents", documentOption.Error, StringComparison.Ordinal);

        AssertNoSeedFile();
    }

    [Fact]
    public async Task An_empty_project_writes_no_file()
    {
        _workspace.Environment["PUBSUB_EMULATOR_HOST"] = await PubSubEmulator.HostAsync();
        _workspace.Environment["PUBSUB_PROJECT_ID"] = PubSubEmulator.NewProjectId("empty");

        var pulled = await _workspace.RunAsync([], "pull", "--topics", "--subscriptions");

        Assert.Equal(7, pulled.ExitCode);
        Assert.StartsWith("error: Nothing to pull: pubsub-emulator:", pulled.Error, StringComparison.Ordinal);
        Assert.Contains("has none of the resources asked for; no file was written.", pulled.Error, StringComparison.Ordinal);
        AssertNoSeedFile();
    }

    private const string MoreIndexes = """
        steps:
          - index: members
            scope: collection_group
            fields:
              - roles: contains
              - profile.joined-at: descending
          - index: members
            fields:
              - "2nd": ascending
              - name: descending
          - index: audit
            fields:
              - at: descending
              - actor: ascending
          - field_override: members
            field: profile.e-mail
            indexes: [{ order: ascending, scope: collection }, { order: descending, scope: collection_group }]
          - field_override: events
            field: payload
            indexes: []
          - field_override: logs
            field: at
            ttl: true
            indexes: [descending]
        """;

    private void AssertNoSeedFile()
    {
        var files = Directory.EnumerateFiles(_workspace.Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_workspace.Directory, f).Replace('\\', '/'))
            .Where(f => f != "seeding.yaml" && f != "firestore.indexes.json" && !f.StartsWith(".seeding/", StringComparison.Ordinal));
        Assert.Empty(files);
    }

    private async Task<List<string>> PlanAsync(ServiceSeeds service, string host, string project)
    {
        var plan = await _workspace.RunAsync([service], "plan", "--store", "memory", "--pubsub-emulator-host", host, "--pubsub-project", project, "--output", "json");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        using var json = JsonDocument.Parse(plan.Output);
        return json.RootElement.GetProperty("services").EnumerateArray()
            .SelectMany(s => s.GetProperty("seeds").EnumerateArray())
            .SelectMany(s => s.GetProperty("resources").EnumerateArray())
            .Select(r => $"{r.GetProperty("kind").GetString()} {r.GetProperty("name").GetString()} {r.GetProperty("action").GetString()}")
            .ToList();
    }

    // The files through the generator, as a build would: no diagnostic, compiled, its registry loaded.
    private static ServiceSeeds Compile(params (string Path, string Yaml)[] files)
    {
        var all = files.Any(f => f.Path == "seeding.yaml") ? files : [("seeding.yaml", "service: pulled\ndepends_on: []\n"), .. files];
        var run = GeneratorHarness.Run(all).AssertClean();
        return ServiceSeeds.FromAssembly(run.Load());
    }

    private static List<string> Specs(ServiceSeeds service) =>
        service.Seeds.SelectMany(s => s.Steps).Select(s => s switch
        {
            IndexStep i => ResourceSpecText.Of(i.Spec),
            FieldOverrideStep f => ResourceSpecText.Of(f.Spec),
            _ => null,
        }).OfType<string>().Order(StringComparer.Ordinal).ToList();

    private static string WithoutFirstLine(string text) => text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
}
