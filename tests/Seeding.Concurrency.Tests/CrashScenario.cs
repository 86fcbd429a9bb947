using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// Service <c>crash</c>: a migration of 1,300 creates (batches of 500, 500 and 300) then a small one, over a store
/// that already holds one of the first migration's documents (written by the service before Seeding ran).
/// </summary>
public static class CrashScenario
{
    public const string Service = "crash";
    public const int Items = 1300;
    public const int Tags = 20;
    public const string LegacyItem = "i0007";

    public static readonly DocumentPath Legacy = DocumentPath.Create("items", LegacyItem);

    /// <summary>The lease of the crash runs: 1 s, renewed every 0.33 s while the holder lives, so a rerun waits at most 1 s.</summary>
    public static SeedRunnerOptions Lease(string owner) => Program.RunnerOptions(owner) with { LockTtl = TimeSpan.FromSeconds(1), LockPollInterval = TimeSpan.FromMilliseconds(50) };

    public static ServiceSeeds Seeds() => new(Service, [],
    [
        Migration("0001_items", SeedStep.Create("items", 2, Enumerable.Range(0, Items).Select(i => new SeedDocument(
            $"i{i:D4}", RaceScenario.Fields(("n", Value.Integer(i)), ("name", Value.String($"item {i}")), ("created_at", Value.ServerTimestamp)), 3 + i)).ToArray())),
        Migration("0002_tags", SeedStep.Create("tags", 2, Enumerable.Range(0, Tags).Select(i => new SeedDocument(
            $"t{i:D2}", RaceScenario.Fields(("label", Value.String($"tag {i}")), ("weight", Value.Double(i / 4.0))), 3 + i)).ToArray())),
    ]);

    public static async Task SetupAsync(IDocumentStore store) =>
        await store.CommitAsync([DocumentWrite.Create(Legacy, RaceScenario.Fields(("legacy", Value.Boolean(true))))]);

    /// <summary>
    /// The documents of <paramref name="actual"/> equal those of <paramref name="expected"/> field by field: same ids,
    /// same fields, same values; server times (different runs, different times) only need to be times on both sides.
    /// </summary>
    public static async Task AssertSameDataAsync(IDocumentStore expected, IDocumentStore actual)
    {
        foreach (var collection in new[] { "items", "tags" })
        {
            var want = await RaceScenario.AllAsync(expected, collection);
            var got = await RaceScenario.AllAsync(actual, collection);
            Assert.Equal(want.Select(d => d.Path), got.Select(d => d.Path));
            for (var i = 0; i < want.Count; i++)
            {
                Assert.Equal(want[i].Fields.Keys.Order(StringComparer.Ordinal), got[i].Fields.Keys.Order(StringComparer.Ordinal));
                foreach (var (key, value) in want[i].Fields)
                {
                    if (key == "created_at")
                    {
                        Assert.Equal(ValueKind.Timestamp, got[i].Fields[key].Kind);
                    }
                    else
                    {
                        Assert.True(value.Equals(got[i].Fields[key]), $"{got[i].Path}.{key}: {got[i].Fields[key]}, expected {value}");
                    }
                }
            }
        }

        var wantHistory = await RaceScenario.AllAsync(expected, MigrationHistory.Collection);
        var gotHistory = await RaceScenario.AllAsync(actual, MigrationHistory.Collection);
        Assert.Equal(wantHistory.Select(h => h.Path), gotHistory.Select(h => h.Path)); // one record per migration
        Assert.Equal(wantHistory.Select(h => h.Fields["checksum"]), gotHistory.Select(h => h.Fields["checksum"]));
    }

    private static SeedDefinition Migration(string id, SeedStep step) =>
        new(id, SeedPhase.Pre, $"sha256:{id}", $"migrations/pre/{id}.yaml", null, [step]);
}
