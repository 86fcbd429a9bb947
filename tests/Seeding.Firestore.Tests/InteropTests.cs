using System.Diagnostics;
using Seeding.Store;
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

        var folder = InteropFolder();
        if (!File.Exists(Path.Combine(folder, "node_modules", "@google-cloud", "firestore", "package.json")))
        {
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, TimeSpan.FromMinutes(4));
        }

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

    private static async Task<string> RunAsync(string file, string[] args, string folder, TimeSpan timeout, params (string Key, string Value)[] env)
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
