using System.Globalization;
using Seeding.Definitions;
using Seeding.Running;
using Xunit.Abstractions;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// The five sample services (seeds/*), compiled by the generator into their SeedingRegistry.Service, applied in
/// ServiceOrder with SeedRunner + FirestoreDocumentStore on the emulator. RPCs are counted at the gRPC layer.
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

    private static readonly string[] Methods = ["BatchGetDocuments", "BatchWrite", "Commit", "RunQuery"];

    // A lease far longer than a run, so no renewal commit can land mid-run and every count below is exact.
    private static readonly SeedRunnerOptions Runner = new() { LockTtl = TimeSpan.FromMinutes(10) };

    [Fact]
    public void The_samples_run_in_dependency_order_and_declare_no_match_step()
    {
        Assert.Equal(["tenant", "user", "license", "survey", "audit"], Services.Select(s => s.Service));
        // The expected RPC counts below assume create/upsert steps only (a match step costs one RunQuery per document).
        Assert.DoesNotContain(Services.SelectMany(s => s.Seeds).SelectMany(s => s.Steps), step => step is MatchStep);
    }

    [Fact]
    public async Task Dry_run_on_a_fresh_project_writes_nothing_and_plans_exactly_what_the_real_run_creates()
    {
        var project = FirestoreEmulator.NewProjectId("samples-dry");
        var (store, calls) = await NewStoreAsync(project);
        await using var _ = store;
        var runner = new SeedRunner(store, options: Runner);

        var dry = new List<RunReport>();
        foreach (var service in Services)
        {
            dry.Add(await runner.RunAsync(service, RunRequest.All(dryRun: true)));
        }

        output.WriteLine($"dry run, all samples: {Format(calls.Snapshot())}");
        Assert.Equal(0, calls["Commit"]);
        Assert.Equal(0, calls["BatchWrite"]);
        Assert.Equal(0, calls["RunQuery"]);
        Assert.Empty(await EmulatorDocuments.AllPathsAsync(project)); // no document, no history, no lock
        Assert.All(dry.SelectMany(r => r.Seeds), s => Assert.Equal(SeedOutcome.Planned, s.Outcome));

        var real = new List<RunReport>();
        foreach (var service in Services)
        {
            real.Add(await runner.RunAsync(service, RunRequest.All()));
        }

        // The plan was exact: the same documents, actions and YAML lines, file by file, as the real run.
        Assert.Equal(PlanLines(dry), PlanLines(real));
        Assert.All(real.SelectMany(r => r.Plan), p => Assert.Equal(PlanAction.Create, p.Action));

        // ... and its entries are exactly the documents that exist afterwards (each once), besides the history.
        var stored = await EmulatorDocuments.AllPathsAsync(project);
        var planned = dry.SelectMany(r => r.Plan).Select(p => p.Path.ToString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(planned, stored.Where(p => !p.StartsWith(MigrationHistory.Collection + "/", StringComparison.Ordinal)));
        var history = Services.SelectMany(s => s.Seeds.Where(m => m.IsMigration).Select(m => MigrationHistory.PathOf(s.Service, m).ToString()));
        Assert.Equal(history.Order(StringComparer.Ordinal), stored.Where(p => p.StartsWith(MigrationHistory.Collection + "/", StringComparison.Ordinal)));
        output.WriteLine($"dry run planned {planned.Length} creates; the real run created exactly those {planned.Length} documents and {history.Count()} history records");
    }

    [Fact]
    public async Task First_run_creates_the_samples_and_the_second_costs_one_BatchGet_per_service_and_no_write()
    {
        var project = FirestoreEmulator.NewProjectId("samples");
        var (store, calls) = await NewStoreAsync(project);
        await using var _ = store;
        var runner = new SeedRunner(store, options: Runner);
        output.WriteLine("| service | migrations | run | BatchGetDocuments | BatchWrite | Commit | RunQuery | created |");
        output.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|");

        var first = new Dictionary<string, IReadOnlyDictionary<string, int>>();
        foreach (var service in Services)
        {
            calls.Reset();
            var report = await runner.RunAsync(service, RunRequest.All());
            first[service.Service] = calls.Snapshot();
            Row(service, "first", first[service.Service], report.Created);
            Assert.Equal(service.Seeds.Sum(s => s.Steps.Sum(step => step.Documents.Count)), report.Created);
            Assert.All(report.Seeds, s => Assert.Equal(s.Seed.IsMigration ? SeedOutcome.Applied : SeedOutcome.Ensured, s.Outcome));
        }

        var second = new Dictionary<string, IReadOnlyDictionary<string, int>>();
        foreach (var service in Services)
        {
            calls.Reset();
            var report = await runner.RunAsync(service, RunRequest.All());
            second[service.Service] = calls.Snapshot();
            Row(service, "second", second[service.Service], report.Created);
            Assert.Equal(0, report.Created + report.Updated);
            Assert.All(report.Seeds, s => Assert.Equal(s.Seed.IsMigration ? SeedOutcome.AlreadyApplied : SeedOutcome.Ensured, s.Outcome));
        }

        output.WriteLine($"first run, all samples: {Format(Sum(first.Values))}");
        output.WriteLine($"second run, all samples: {Format(Sum(second.Values))}");
        foreach (var service in Services)
        {
            // First run: read 1 (history + bootstrap), the lease (read + create), read 2 inside the lease; one BatchWrite
            // per step; one Commit per migration (history + lease renewal, atomically) and one to release the lease.
            var migrations = service.Seeds.Count(s => s.IsMigration);
            var steps = service.Seeds.Sum(s => s.Steps.Sum(step => (step.Documents.Count + 499) / 500));
            Assert.Equal(Counts(migrations > 0 ? 3 : 1, steps, migrations > 0 ? migrations + 2 : 0, 0), Counts(first[service.Service]));

            // Second run: one batched read of history and bootstrap documents, nothing else.
            Assert.Equal(Counts(1, 0, 0, 0), Counts(second[service.Service]));
        }

        Assert.Equal(Services.Count, Sum(second.Values)["BatchGetDocuments"]);
    }

    private static IEnumerable<string> PlanLines(IEnumerable<RunReport> reports) =>
        reports.SelectMany(r => r.Seeds.SelectMany(s => s.Plan.Select(p => $"{r.Service} {s.Seed} {p.Path} {p.Action} line {p.Line}")));

    private static (int BatchGet, int BatchWrite, int Commit, int RunQuery) Counts(int batchGet, int batchWrite, int commit, int runQuery) =>
        (batchGet, batchWrite, commit, runQuery);

    private static (int BatchGet, int BatchWrite, int Commit, int RunQuery) Counts(IReadOnlyDictionary<string, int> calls) =>
        (calls.GetValueOrDefault("BatchGetDocuments"), calls.GetValueOrDefault("BatchWrite"), calls.GetValueOrDefault("Commit"), calls.GetValueOrDefault("RunQuery"));

    private static Dictionary<string, int> Sum(IEnumerable<IReadOnlyDictionary<string, int>> counts) =>
        counts.SelectMany(c => c).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));

    public static string Format(IReadOnlyDictionary<string, int> calls) =>
        string.Join(", ", Methods.Select(m => $"{m} {calls.GetValueOrDefault(m)}").Concat(calls.Where(c => !Methods.Contains(c.Key)).Select(c => $"{c.Key} {c.Value}")));

    private void Row(ServiceSeeds service, string run, IReadOnlyDictionary<string, int> calls, int created) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {service.Service} | {service.Seeds.Count(s => s.IsMigration)} | {run} | {calls.GetValueOrDefault("BatchGetDocuments")} | {calls.GetValueOrDefault("BatchWrite")} | {calls.GetValueOrDefault("Commit")} | {calls.GetValueOrDefault("RunQuery")} | {created} |"));
}
