using System.Diagnostics;
using Seeding.Definitions;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// The independent check: Google's official Node.js client reads what Seeding wrote (every value kind), and writes
/// documents the way an existing service would, which Seeding then reads and queries. Both sides talk to the emulator.
/// </summary>
public sealed class InteropTests
{
    [Fact]
    public async Task The_official_node_client_and_seeding_read_each_others_documents()
    {
        var project = FirestoreEmulator.NewProjectId("interop");
        var (store, _) = await NewStoreAsync(project);
        await using var _ = store;
        var fields = AllKinds().Append(new("server_time", Value.ServerTimestamp)).ToDictionary(StringComparer.Ordinal);
        Assert.True((await store.CommitAsync([DocumentWrite.Create(P("from_seeding/all"), fields)]))[0].Applied);

        var folder = await NodeClientAsync();
        var output = await RunAsync("node", ["interop.js", project], folder, TimeSpan.FromMinutes(2), ("FIRESTORE_EMULATOR_HOST", await FirestoreEmulator.HostAsync()));
        Assert.Contains("interop ok", output);

        var read = await store.GetAllAsync([P("from_node/svc1"), P("from_node/svc2"), P("from_node/svc1/events/e1")]);
        var svc1 = read[0].Fields;
        var at = svc1["at"];
        Assert.Equal(ValueKind.Timestamp, at.Kind);
        var expected = F(
            ("name", Value.String("Ünïcode 🚀")),
            ("count", Value.Integer(42)),
            ("big", Value.Integer(9_007_199_254_740_993)),
            ("ratio", Value.Double(0.5)),
            ("nan", Value.Double(double.NaN)),
            ("minus_inf", Value.Double(double.NegativeInfinity)),
            ("active", Value.Boolean(true)),
            ("tenant", Value.String("t1")),
            ("deleted", Value.Null),
            ("precise", Value.Timestamp(Timestamp.FromUnixMicroseconds(1_714_564_800_123_456))), // Firestore keeps microseconds
            ("at", at),
            ("loc", Value.GeoPoint(new GeoPoint(52.52, 13.405))),
            ("owner", Value.Reference(P("users/u1"))),
            ("blob", Value.Bytes(new byte[] { 1, 2, 3 })),
            ("tags", Value.Array(Value.String("a"), Value.String("b"))),
            ("profile", Value.Map(F(("address", Value.Map(F(("city", Value.String("Zürich"))))), ("dotted.key", Value.Integer(1))))),
            ("empty", Value.Map(F())),
            ("list_empty", Value.Array()));
        Assert.Equal(expected.Keys.Order(), svc1.Keys.Order());
        Assert.All(expected, f => Assert.True(f.Value.Equals(svc1[f.Key]), $"{f.Key}: expected {f.Value}, read {svc1[f.Key]}"));
        Assert.Equal(Value.String("merged"), read[1].Fields["note"]);
        Assert.Equal(Value.String("created"), read[2].Fields["kind"]);

        string[] Ids(IReadOnlyList<DocumentSnapshot> docs) => docs.Select(d => d.Path.Id).ToArray();
        Assert.Equal(["svc1", "svc2"], Ids(await store.QueryAsync(new DocumentQuery("from_node", [FieldFilter.EqualTo("tenant", Value.String("t1"))]))));
        Assert.Equal(["svc1", "svc2"], Ids(await store.QueryAsync(new DocumentQuery("from_node", [FieldFilter.IsNullValue("deleted")]))));
        Assert.Equal(["svc1"], Ids(await store.QueryAsync(new DocumentQuery("from_node", [FieldFilter.EqualTo("owner", Value.Reference(P("users/u1")))]))));
        Assert.Equal(["e1"], Ids(await store.QueryAsync(new DocumentQuery("from_node/svc1/events", []))));
    }

    [Fact]
    public async Task Seeding_skips_the_users_a_node_service_wrote_and_backfills_its_resources_as_node_reads_them()
    {
        var project = FirestoreEmulator.NewProjectId("legacy");
        var (store, calls) = await NewStoreAsync(project);
        await using var _ = store;
        var folder = await NodeClientAsync();
        var emulator = ("FIRESTORE_EMULATOR_HOST", await FirestoreEmulator.HostAsync());
        Assert.Contains("interop ok", await RunAsync("node", ["interop.js", project, "legacy-write"], folder, TimeSpan.FromMinutes(2), emulator));

        // What the service's YAML would say: users matched by email (new ones get user-{hex:8}), the system user by
        // id, and created_at backfilled where it is missing or null.
        var service = new ServiceSeeds("legacy", [],
        [
            new SeedDefinition("0001_users", SeedPhase.Pre, "sha256:users", "migrations/pre/0001_users.yaml", null,
            [
                SeedStep.CreateMatching("users", 2,
                [
                    new SeedDocument(string.Empty, F(("email", Value.String("ada@legacy.test")), ("name", Value.String("Ada Lovelace"))), 6),
                    new SeedDocument(string.Empty, F(("email", Value.String("grace@legacy.test")), ("name", Value.String("Grace"))), 7),
                ], ["email"], "user-{hex:8}"),
            ]),
            new SeedDefinition("0002_system_user", SeedPhase.Pre, "sha256:system", "migrations/pre/0002_system_user.yaml", null,
                [SeedStep.Create("users", 2, [new SeedDocument("system", F(("email", Value.String("system@platform.invalid")), ("name", Value.String("System"))), 4)])]),
            new SeedDefinition("0003_backfill_created_at", SeedPhase.Pre, "sha256:backfill", "migrations/pre/0003_backfill_created_at.yaml", null,
                [SeedStep.Backfill("resources", 2, F(("created_at", Value.Null)), F(("created_at", Value.ServerTimestamp), ("backfilled", Value.Boolean(true))))]),
        ]);
        calls.Reset();
        var report = await Runners.For(store).RunAsync(service, RunRequest.PreDeploy());

        string[] Plan(int seed) => report.Seeds[seed].Plan.Select(p => $"{p.Action} {p.Path}").ToArray();
        var created = Assert.Single(report.Seeds[0].Plan, p => p.Action == PlanAction.Create).Path;
        Assert.Matches("^user-[0-9a-f]{8}$", created.Id);
        Assert.Equal(["SkipExists users/u-legacy-1", $"Create {created}"], Plan(0));
        Assert.Equal(["SkipExists users/system"], Plan(1));
        Assert.Equal(["Update resources/r1", "Update resources/r2", "Update resources/r4"], Plan(2));
        Assert.All(report.Seeds, s => Assert.Equal(SeedOutcome.Applied, s.Outcome));
        // A match step costs a query per document (and, for a random new id, one more under the lease). The backfill: one
        // keys-only page to split the 4 resources (the emulator has no PartitionQuery) into 4 partitions, one page each.
        Assert.Equal(1 + 2 + 1 + 4, calls["RunQuery"]);

        Assert.Contains("interop ok", await RunAsync("node", ["interop.js", project, "legacy-check"], folder, TimeSpan.FromMinutes(2), emulator));
    }

    /// <summary>The interop folder with the official client installed (npm ci once, from the lock file).</summary>
    internal static Task<string> NodeClientAsync() => NodePackages.EnsureInstalledAsync(InteropFolder());

    private static string InteropFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "interop");
            if (File.Exists(Path.Combine(candidate, "interop.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"The interop folder (with interop.js) was not found above {AppContext.BaseDirectory}.");
    }

    internal static async Task<string> RunAsync(string file, string[] args, string folder, TimeSpan timeout, params (string Key, string Value)[] env)
    {
        var info = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', args)}' did not finish within {timeout}.");
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"'{file} {string.Join(' ', args)}' exited with {process.ExitCode}:\n{output}");
        return output;
    }
}
