using System.Globalization;
using Microsoft.Extensions.Configuration;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using Xunit.Abstractions;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// The five sample services (seeds/*), compiled by the generator into their SeedingRegistry.Service, applied in
/// ServiceOrder with SeedRunner + FirestoreDocumentStore on the emulator. The project starts with data the services'
/// own code wrote earlier (what the samples' backfills and C# migration act on); the run is given an environment and
/// the configuration the samples' <c>environments</c>, <c>when</c> and <c>!env</c> read. RPCs are counted at the gRPC layer.
/// </summary>
public sealed class SamplesEndToEndTests(ITestOutputHelper output)
{
    /// <summary>The samples in dependency order: tenant, user, then license, survey, audit.</summary>
    public static readonly IReadOnlyList<ServiceSeeds> Services = ServiceOrder.Sort(
    [
        Samples.Audit.Seeds.SeedingRegistry.Service,
        Samples.Survey.Seeds.SeedingRegistry.Service,
        Samples.License.Seeds.SeedingRegistry.Service,
        Samples.User.Seeds.SeedingRegistry.Service,
        Samples.Tenant.Seeds.SeedingRegistry.Service,
    ]);

    private const string AdminEmail = "admin@platform.test";

    private static readonly string[] Methods = ["BatchGetDocuments", "BatchWrite", "Commit", "RunQuery"];

    private static readonly IConfiguration Configuration = new ConfigurationBuilder()
        .AddInMemoryCollection([new KeyValuePair<string, string?>("PLATFORM_ADMIN_EMAIL", AdminEmail)])
        .Build();

    // A lease far longer than a run, so no renewal commit can land mid-run and every count below is exact.
    private static readonly SeedRunnerOptions Runner = new() { LockTtl = TimeSpan.FromMinutes(10) };

    /// <summary>What the services wrote before they adopted Seeding.</summary>
    private static readonly (string Path, IReadOnlyDictionary<string, Value> Fields)[] Legacy =
    [
        ("resources/r1", F(("name", Value.String("no created_at")))),
        ("resources/r2", F(("name", Value.String("created_at null")), ("created_at", Value.Null))),
        ("resources/r3", F(("name", Value.String("dated")), ("created_at", Value.Timestamp(Timestamp.Parse("2024-05-01T12:00:00Z"))))),
        ("recommendations/p1", F(("status", Value.String("pending")))),
        ("recommendations/p2", F(("status", Value.String("pending")), ("expires_at", Value.Null))),
        ("recommendations/p3", F(("status", Value.String("done")))),
        ("recommendations/p4", F(("status", Value.String("pending")), ("expires_at", Value.Timestamp(Timestamp.Parse("2026-06-01T00:00:00Z"))))),
        ("consents/c1", F(("accepted", Value.Boolean(true)))),
        ("consents/c2", F(("accepted", Value.Boolean(false)))),
    ];

    private static RunRequest Request(bool dryRun = false) =>
        RunRequest.All(dryRun) with { Environment = "development", Configuration = Configuration };

    [Fact]
    public void The_samples_run_in_dependency_order_and_exercise_the_whole_language()
    {
        Assert.Equal(["tenant", "user", "license", "survey", "audit"], Services.Select(s => s.Service));
        var seeds = Services.SelectMany(s => s.Seeds).ToArray();
        Assert.Contains(seeds.SelectMany(s => s.Steps), step => step is MatchStep { NewId.IsDerived: false });
        Assert.Contains(seeds.SelectMany(s => s.Steps), step => step is BackfillStep);
        Assert.Contains(seeds, s => s.Code is not null);
        Assert.Contains(seeds.SelectMany(s => s.Steps), step => step.Conditions.Environments is { Count: > 0 });
    }

    [Fact]
    public async Task Dry_run_on_a_fresh_project_writes_nothing_and_plans_exactly_what_the_real_run_does()
    {
        var project = FirestoreEmulator.NewProjectId("samples-dry");
        var (store, calls) = await NewStoreAsync(project);
        await using var _ = store;
        var legacy = await WriteLegacyAsync(store);
        var runner = Runners.For(store, Runner);
        calls.Reset();

        var dry = new List<RunReport>();
        foreach (var service in Services)
        {
            dry.Add(await runner.RunAsync(service, Request(dryRun: true)));
        }

        output.WriteLine($"dry run, all samples: {Format(calls.Snapshot())}");
        Assert.Equal(0, calls["Commit"]);
        Assert.Equal(0, calls["BatchWrite"]);
        Assert.Equal(Legacy.Select(l => l.Path).Order(StringComparer.Ordinal), await EmulatorDocuments.AllPathsAsync(project)); // no document, history or lock
        Assert.All(dry.SelectMany(r => r.Seeds), s => Assert.Equal(SeedOutcome.Planned, s.Outcome));

        var real = new List<RunReport>();
        foreach (var service in Services)
        {
            real.Add(await runner.RunAsync(service, Request()));
        }

        // The plan was exact: the same documents, actions and YAML lines, file by file, as the real run (a random
        // new_id differs by nature: compared as its rule).
        Assert.Equal(PlanLines(dry), PlanLines(real));

        // Its creates are exactly the documents that exist afterwards besides the legacy data, history and leases ...
        var stored = await EmulatorDocuments.AllPathsAsync(project);
        var created = stored.Except(legacy.Keys.Select(p => p.ToString())).Where(p => !IsBookkeeping(p)).ToArray();
        Assert.Equal(Paths(real, PlanAction.Create), created);
        // ... and its updates exactly the legacy documents that changed: the backfills' targets, nothing else.
        var after = await store.GetAllAsync(legacy.Keys.ToArray());
        var changed = after.Where(a => a.UpdateTime != legacy[a.Path].UpdateTime).Select(a => a.Path.ToString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Paths(real, PlanAction.Update), changed);
        Assert.Equal(["recommendations/p1", "recommendations/p2", "resources/r1", "resources/r2"], changed);
        var history = Services.SelectMany(s => s.Seeds.Where(m => m.IsMigration).Select(m => MigrationHistory.PathOf(s.Service, m).ToString()));
        Assert.Equal(history.Order(StringComparer.Ordinal), stored.Where(p => p.StartsWith(MigrationHistory.Collection + "/", StringComparison.Ordinal)));
        output.WriteLine($"the dry run planned {created.Length} creates and {changed.Length} updates; the real run did exactly those and recorded {history.Count()} migrations");

        // Each created document holds exactly what its YAML declares (!now became the commit's timestamp).
        var declared = Services.SelectMany(s => s.Seeds).SelectMany(s => s.Steps).Where(step => step is CreateStep or UpsertStep)
            .SelectMany(step => step.Documents.Select(d => (Path: DocumentPath.Create(step.Collection, d.Id), d.Fields)))
            .Where(d => created.Contains(d.Path.ToString()))
            .ToArray();
        Assert.NotEmpty(declared);
        var snapshots = await store.GetAllAsync(declared.Select(d => d.Path).ToArray());
        Assert.All(declared.Zip(snapshots), pair =>
        {
            var ((path, fields), snapshot) = pair;
            Assert.Equal(fields.Keys.Order(StringComparer.Ordinal), snapshot.Fields.Keys.Order(StringComparer.Ordinal));
            Assert.All(fields, f => Assert.True(
                f.Value.ContainsServerTimestamp() ? snapshot.Fields[f.Key].Kind == f.Value.Kind : f.Value.Equals(snapshot.Fields[f.Key]),
                $"{path}.{f.Key}: declared {f.Value}, stored {snapshot.Fields[f.Key]}"));
        });

        // The configured admin was created once under its new_id rule; the C# migration converted every consent.
        var admin = Assert.Single(await store.QueryAsync(new DocumentQuery("users", [FieldFilter.EqualTo("email", Value.String(AdminEmail))])));
        Assert.Matches("^user-[0-9a-f]{8}$", admin.Path.Id);
        Assert.Equal(["granted", "denied"], (await store.GetAllAsync([P("platform_consent/c1"), P("platform_consent/c2")])).Select(c => c.Fields["state"].AsString()));
    }

    [Fact]
    public async Task First_run_applies_the_samples_and_the_second_costs_one_BatchGet_per_service_and_no_write()
    {
        var project = FirestoreEmulator.NewProjectId("samples");
        var (store, calls) = await NewStoreAsync(project);
        await using var _ = store;
        await WriteLegacyAsync(store);
        var runner = Runners.For(store, Runner);
        output.WriteLine("| service | run | BatchGetDocuments | BatchWrite | Commit | RunQuery | created | updated |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");

        var first = new Dictionary<string, (IReadOnlyDictionary<string, int> Calls, RunReport Report)>();
        foreach (var service in Services)
        {
            calls.Reset();
            var report = await runner.RunAsync(service, Request());
            first[service.Service] = (calls.Snapshot(), report);
            Row(service, "first", first[service.Service].Calls, report);
            Assert.All(report.Seeds, s => Assert.Equal(s.Seed.IsMigration ? SeedOutcome.Applied : SeedOutcome.Ensured, s.Outcome));
            Assert.True(report.Created > 0, $"{service.Service} created nothing");
        }

        var second = new Dictionary<string, (IReadOnlyDictionary<string, int> Calls, RunReport Report)>();
        foreach (var service in Services)
        {
            calls.Reset();
            var report = await runner.RunAsync(service, Request());
            second[service.Service] = (calls.Snapshot(), report);
            Row(service, "second", second[service.Service].Calls, report);
            Assert.Equal(0, report.Created + report.Updated);
            Assert.All(report.Seeds, s => Assert.Equal(s.Seed.IsMigration ? SeedOutcome.AlreadyApplied : SeedOutcome.Ensured, s.Outcome));
        }

        output.WriteLine($"first run, all samples: {Format(Sum(first.Values.Select(v => v.Calls)))}");
        output.WriteLine($"second run, all samples: {Format(Sum(second.Values.Select(v => v.Calls)))}");
        foreach (var service in Services)
        {
            // First run: read 1 (history + bootstrap), the lease (read + take), read 2 inside the lease. Commit: take the
            // lease, one per migration (history + renewal, atomically), one per random-id create (fenced with a
            // renewal), release. Writes are batched per step, never one per document.
            var (calls1, report) = first[service.Service];
            var migrations = service.Seeds.Count(s => s.IsMigration);
            var fenced = report.Seeds.Sum(s => s.Plan.Count(p => p.Action == PlanAction.Create && IsRandomMatch(s.Seed, p.Path)));
            var leased = migrations > 0 || fenced > 0;
            // A backfill adds its partitions' reads and commits (header, claims, one commit per page with its checkpoint):
            // RunnerEconomyTests counts those exactly; here they come on top.
            var backfills = service.Seeds.Sum(s => s.Steps.Count(step => step is BackfillStep));
            var expected = (migrations > 0 ? 3 : leased ? 2 : 1, (leased ? 2 : 0) + migrations + fenced);
            var actual = (calls1.GetValueOrDefault("BatchGetDocuments"), calls1.GetValueOrDefault("Commit"));
            if (backfills == 0)
            {
                Assert.Equal(expected, actual);
            }
            else
            {
                // Per backfill at least: the header read, one claim read and the final one; the records, a claim and a page.
                Assert.InRange(actual.Item1, expected.Item1 + 3 * backfills, int.MaxValue);
                Assert.InRange(actual.Item2, expected.Item2 + 3 * backfills, int.MaxValue);
            }

            var batches = service.Seeds.Sum(s => s.Steps.Count + (s.Code is null ? 0 : 1));
            Assert.InRange(calls1.GetValueOrDefault("BatchWrite"), 1, batches);
            if (!service.Seeds.Any(s => s.Code is not null || s.Steps.Any(step => step is MatchStep or BackfillStep)))
            {
                Assert.Equal(0, calls1.GetValueOrDefault("RunQuery"));
            }

            // Second run: one batched read of history and bootstrap documents and no write; a query only for a
            // bootstrap match step that runs (its documents are found by query, not by id).
            var (calls2, again) = second[service.Service];
            // (A report holds each seed as it ran: steps left out by when/environments are no longer in it.)
            var matchQueries = again.Seeds.Where(s => !s.Seed.IsMigration).Sum(s => s.Seed.Steps.OfType<MatchStep>().Sum(m => m.Documents.Count));
            Assert.Equal((1, 0, 0, matchQueries), Counts(calls2));
        }

        Assert.Equal(Services.Count, Sum(second.Values.Select(v => v.Calls))["BatchGetDocuments"]);
        Assert.Equal(1, second["user"].Calls.GetValueOrDefault("RunQuery")); // the configured admin, matched by email
    }

    private static async Task<Dictionary<DocumentPath, DocumentSnapshot>> WriteLegacyAsync(FirestoreDocumentStore store)
    {
        var outcomes = await store.WriteBatchAsync(Legacy.Select(l => DocumentWrite.Create(P(l.Path), l.Fields)).ToArray());
        Assert.All(outcomes, o => Assert.True(o.Applied));
        return (await store.GetAllAsync(Legacy.Select(l => P(l.Path)).ToArray())).ToDictionary(s => s.Path);
    }

    private static bool IsBookkeeping(string path) =>
        path.StartsWith(MigrationHistory.Collection + "/", StringComparison.Ordinal) || path.StartsWith("seeding_locks/", StringComparison.Ordinal);

    // A document created by a match step with a random new_id: its id differs between any two runs by design.
    private static bool IsRandomMatch(SeedDefinition seed, DocumentPath path) =>
        seed.Steps.OfType<MatchStep>().Any(m => !m.NewId.IsDerived && m.Collection == path.Collection);

    private static IEnumerable<string> PlanLines(IEnumerable<RunReport> reports) =>
        reports.SelectMany(r => r.Seeds.SelectMany(s => s.Plan.Select(p =>
        {
            var path = p.Action == PlanAction.Create && IsRandomMatch(s.Seed, p.Path)
                ? $"{p.Path.Collection}/({s.Seed.Steps.OfType<MatchStep>().First(m => m.Collection == p.Path.Collection).NewId.Pattern})"
                : p.Path.ToString();
            return $"{r.Service} {s.Seed} {path} {p.Action} line {p.Line}";
        })));

    private static string[] Paths(IEnumerable<RunReport> reports, PlanAction action) =>
        reports.SelectMany(r => r.Plan).Where(p => p.Action == action).Select(p => p.Path.ToString()).Order(StringComparer.Ordinal).ToArray();

    private static (int BatchGet, int BatchWrite, int Commit, int RunQuery) Counts(IReadOnlyDictionary<string, int> calls) =>
        (calls.GetValueOrDefault("BatchGetDocuments"), calls.GetValueOrDefault("BatchWrite"), calls.GetValueOrDefault("Commit"), calls.GetValueOrDefault("RunQuery"));

    private static Dictionary<string, int> Sum(IEnumerable<IReadOnlyDictionary<string, int>> counts) =>
        counts.SelectMany(c => c).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));

    public static string Format(IReadOnlyDictionary<string, int> calls) =>
        string.Join(", ", Methods.Select(m => $"{m} {calls.GetValueOrDefault(m)}").Concat(calls.Where(c => !Methods.Contains(c.Key)).Select(c => $"{c.Key} {c.Value}")));

    private void Row(ServiceSeeds service, string run, IReadOnlyDictionary<string, int> calls, RunReport report) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {service.Service} | {run} | {calls.GetValueOrDefault("BatchGetDocuments")} | {calls.GetValueOrDefault("BatchWrite")} | {calls.GetValueOrDefault("Commit")} | {calls.GetValueOrDefault("RunQuery")} | {report.Created} | {report.Updated} |"));
}
