using System.Globalization;
using System.Text.RegularExpressions;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Concurrency.Tests;

/// <summary>One seed file's outcome in one runner's report, as a thread returns it or a worker process writes it.</summary>
public sealed record SeedLine(string Seed, SeedOutcome Outcome, int Created, int Skipped, int Updated)
{
    public static IEnumerable<SeedLine> From(RunReport report) =>
        report.Seeds.Select(s => new SeedLine(s.Seed.ToString(), s.Outcome, s.Created, s.Skipped, s.Updated));

    public static SeedLine Parse(string line)
    {
        var parts = line.Split(' ');
        return new SeedLine(parts[0], Enum.Parse<SeedOutcome>(parts[1]), Int(parts[2]), Int(parts[3]), Int(parts[4]));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Seed} {Outcome} {Created} {Skipped} {Updated}");

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
}

/// <summary>
/// The migration set N runners race on (service <c>race</c>): creates by id, a match step with random
/// <c>{hex:8}</c> ids, a backfill over more than one page, a C# migration that counts its executions, a bootstrap
/// seed and a post-deploy upsert. Built the way generated code builds it. The store starts with data an existing
/// service wrote (a user the match step must find, resources the backfill must fill or leave alone).
/// </summary>
public static partial class RaceScenario
{
    public const string Service = "race";
    public const int Roles = 30;
    public const int Resources = 700;            // more than one backfill page of 500
    public const string ExistingEmail = "existing@race.test";

    public static readonly string[] Emails = [ExistingEmail, .. Enumerable.Range(1, 5).Select(i => $"user{i}@race.test")];

    /// <summary>Resources without a status (missing or null): the backfill fills these, every third one is archived.</summary>
    public static int Backfilled => Enumerable.Range(0, Resources).Count(i => i % 3 != 0);

    public static ServiceSeeds Seeds() => new(Service, [],
    [
        Migration("0001_roles", SeedPhase.Pre, SeedStep.Create("roles", 2, Enumerable.Range(0, Roles)
            .Select(i => new SeedDocument($"role-{i:D2}", Fields(("level", Value.Integer(i)), ("created_at", Value.ServerTimestamp)), 4 + i)).ToArray())),
        Migration("0002_users", SeedPhase.Pre, SeedStep.CreateMatching("users", 2, Emails
            .Select((e, i) => new SeedDocument(string.Empty, Fields(("email", Value.String(e)), ("name", Value.String($"User {i}"))), 6 + i)).ToArray(),
            ["email"], "user-{hex:8}")),
        Migration("0003_backfill_status", SeedPhase.Pre, SeedStep.Backfill("resources", 2,
            Fields(("status", Value.Null)), Fields(("status", Value.String("active")), ("backfilled_at", Value.ServerTimestamp)))),
        SeedDefinition.FromCode("0004_count_executions", SeedPhase.Pre, "sha256:count-executions", "Migrations/CountExecutions.cs", null, new CountExecutions("0004_count_executions")),
        Migration("0001_flags", SeedPhase.Post, SeedStep.Upsert("config", 2, [new SeedDocument("flags", Fields(("signup", Value.Boolean(true)), ("updated_at", Value.ServerTimestamp)), 4)])),
        new SeedDefinition("system", SeedPhase.Bootstrap, "sha256:system", "bootstrap/system.yaml", null,
            [SeedStep.Create("settings", 2, [new SeedDocument("system", Fields(("owner", Value.String("platform")), ("created_at", Value.ServerTimestamp)), 4)])]),
    ]);

    /// <summary>
    /// Service <c>hold</c> for the kill test: a migration applied and recorded, then one that holds the lease until
    /// <c>release</c> appears in <paramref name="exchange"/> (after writing <c>holding</c> there), then a match step.
    /// </summary>
    public static ServiceSeeds Holding(string exchange) => new("hold", [],
    [
        Migration("0001_roles", SeedPhase.Pre, SeedStep.Create("roles", 2, [new SeedDocument("admin", Fields(("level", Value.Integer(0))), 4)])),
        SeedDefinition.FromCode("0002_hold", SeedPhase.Pre, "sha256:hold", "Migrations/Hold.cs", null, new HoldUntilReleased(exchange)),
        Migration("0003_users", SeedPhase.Pre, SeedStep.CreateMatching("users", 2,
            [new SeedDocument(string.Empty, Fields(("email", Value.String("after@hold.test"))), 4)], ["email"], "user-{hex:8}")),
    ]);

    /// <summary>Service <c>race</c> with one migration: a match step that creates one user under a random id.</summary>
    public static ServiceSeeds OneRandomUser() => new(Service, [],
    [
        Migration("0001_users", SeedPhase.Pre, SeedStep.CreateMatching("users", 2,
            [new SeedDocument(string.Empty, Fields(("email", Value.String("a@race.test"))), 3)], ["email"], "user-{hex:8}")),
    ]);

    /// <summary>What an existing service left in the store before Seeding ever ran.</summary>
    public static async Task SetupAsync(IDocumentStore store)
    {
        var writes = new List<DocumentWrite>
        {
            DocumentWrite.Create(DocumentPath.Create("users", "legacy-1"), Fields(("email", Value.String(ExistingEmail)), ("name", Value.String("Kept as is")))),
        };
        for (var i = 0; i < Resources; i++)
        {
            // Every third resource has a status; of the rest, half have no status field, half a null one.
            var fields = i % 3 == 0 ? Fields(("n", Value.Integer(i)), ("status", Value.String("archived")))
                : i % 2 == 0 ? Fields(("n", Value.Integer(i)))
                : Fields(("n", Value.Integer(i)), ("status", Value.Null));
            writes.Add(DocumentWrite.Create(DocumentPath.Create("resources", $"r{i:D4}"), fields));
        }

        foreach (var batch in writes.Chunk(store.MaxBatchSize))
        {
            Assert.All(await store.WriteBatchAsync(batch), o => Assert.True(o.Applied));
        }
    }

    /// <summary>Checks the store and the runners' reports after <paramref name="runners"/> runners raced.</summary>
    public static async Task VerifyAsync(IDocumentStore store, IReadOnlyList<IReadOnlyList<SeedLine>> reports, int runners)
    {
        Assert.Equal(runners, reports.Count);
        var seeds = Seeds().Seeds;
        var lines = reports.SelectMany(r => r).ToArray();
        foreach (var seed in seeds)
        {
            var mine = lines.Where(l => l.Seed == seed.ToString()).ToArray();
            Assert.Equal(runners, mine.Length);
            if (seed.IsMigration)
            {
                // Each migration applied by exactly one runner; the others found it in history.
                Assert.Single(mine, l => l.Outcome == SeedOutcome.Applied);
                Assert.Equal(runners - 1, mine.Count(l => l.Outcome == SeedOutcome.AlreadyApplied));
            }
        }

        int Created(string seed) => lines.Where(l => l.Seed == seed).Sum(l => l.Created);
        Assert.Equal(Roles, Created("pre/0001_roles"));
        Assert.Equal(Emails.Length - 1, Created("pre/0002_users"));
        Assert.Equal(Backfilled, lines.Where(l => l.Seed == "pre/0003_backfill_status").Sum(l => l.Updated));
        Assert.Equal(1, Created("post/0001_flags"));
        Assert.Equal(1, Created("bootstrap/system")); // create-only: the other runners' creates became skips

        // History: exactly one record per migration.
        var history = await AllAsync(store, MigrationHistory.Collection);
        Assert.Equal(
            seeds.Where(s => s.IsMigration).Select(s => MigrationHistory.PathOf(Service, s).Id).Order(StringComparer.Ordinal),
            history.Select(h => h.Path.Id));

        // No duplicates: 30 roles, one user per email (the existing one kept under its id), one execution of the C# migration.
        Assert.Equal(Roles, (await AllAsync(store, "roles")).Count);
        var users = await AllAsync(store, "users");
        Assert.Equal(Emails.Order(StringComparer.Ordinal), users.Select(u => u.Fields["email"].AsString()).Order(StringComparer.Ordinal));
        Assert.Equal(Value.String("Kept as is"), users.Single(u => u.Path.Id == "legacy-1").Fields["name"]);
        Assert.All(users.Where(u => u.Path.Id != "legacy-1"), u => Assert.Matches(NewUserId(), u.Path.Id));
        Assert.Single(await AllAsync(store, CountExecutions.Collection));

        var resources = await AllAsync(store, "resources");
        Assert.Equal(Resources, resources.Count);
        Assert.All(resources, r =>
        {
            var archived = r.Fields["n"].AsInteger() % 3 == 0;
            Assert.Equal(Value.String(archived ? "archived" : "active"), r.Fields["status"]);
            Assert.Equal(!archived, r.Fields.ContainsKey("backfilled_at"));
        });

        Assert.Single(await AllAsync(store, "settings"));
        Assert.Single(await AllAsync(store, "config"));
        // The lease was released: its document stays (so fencing tokens keep growing) but has expired.
        var lease = Assert.Single(await AllAsync(store, "seeding_locks"));
        Assert.True(lease.Fields["expires_at"].AsTimestamp().ToDateTimeOffset() <= DateTimeOffset.UtcNow, "the lease was released");
        Assert.Equal(string.Empty, lease.Fields["owner"].AsString());
    }

    public static async Task<List<DocumentSnapshot>> AllAsync(IDocumentStore store, string collection)
    {
        var all = new List<DocumentSnapshot>();
        DocumentPath? cursor = null;
        while (true)
        {
            var page = await store.QueryAsync(new DocumentQuery(collection, [], 500, cursor));
            all.AddRange(page);
            if (page.Count < 500)
            {
                return all;
            }

            cursor = page[^1].Path;
        }
    }

    public static IReadOnlyDictionary<string, Value> Fields(params (string Key, Value Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    private static SeedDefinition Migration(string id, SeedPhase phase, SeedStep step) =>
        new(id, phase, $"sha256:{id}", $"migrations/{phase.ToString().ToLowerInvariant()}/{id}.yaml", null, [step]);

    [GeneratedRegex("^user-[0-9a-f]{8}$")]
    public static partial Regex NewUserId();
}

/// <summary>A C# migration that leaves one document (random id) per execution: two executions would show as two.</summary>
public sealed class CountExecutions(string migration) : IMigration
{
    public const string Collection = "executions";

    public Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken) => context.WriteAsync(
        DocumentWrite.Create(DocumentPath.Create(Collection, Guid.NewGuid().ToString("N")), RaceScenario.Fields(
            ("migration", Value.String(migration)), ("process", Value.Integer(Environment.ProcessId)), ("at", Value.ServerTimestamp))),
        PlanAction.Create,
        cancellationToken: cancellationToken);
}

/// <summary>
/// Holds the lease: says so with a <c>holding</c> file, waits for a <c>release</c> file, then counts its execution.
/// A runner killed while waiting here dies holding the lease, deterministically.
/// </summary>
public sealed class HoldUntilReleased(string exchange) : IMigration
{
    public async Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(exchange, "holding"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        while (!File.Exists(Path.Combine(exchange, "release")))
        {
            await Task.Delay(20, cancellationToken);
        }

        await new CountExecutions("0002_hold").ApplyAsync(context, cancellationToken);
    }
}
