using Grpc.Core;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using Xunit.Abstractions;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// Faults injected between the store and the emulator: calls fail before being sent, or after the server applied
/// them (a lost response). Retries must converge with every write applied exactly once and reported as applied.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WriteBatch_converges_through_lost_requests_and_lost_responses()
    {
        var faults = new FaultInjector(beforeShare: 0.25, afterShare: 0.35, seed: 7);
        var (store, calls) = await NewStoreAsync(null, faults);
        await using var _ = store;
        var writes = Enumerable.Range(0, 600).Select(i => DocumentWrite.Create(P($"f/{i:D4}"), F(("i", Value.Integer(i)), ("at", Value.ServerTimestamp)))).ToArray();

        var outcomes = new List<WriteOutcome>();
        foreach (var batch in writes.Chunk(50))
        {
            outcomes.AddRange(await store.WriteBatchAsync(batch));
        }

        output.WriteLine($"injected before={faults.InjectedBefore} after={faults.InjectedAfter}; calls: {string.Join(", ", calls.Snapshot())}");
        Assert.True(faults.InjectedAfter > 0, "the test must exercise lost responses");
        Assert.All(outcomes, o => Assert.True(o.Applied, $"{o.Path} was reported as not applied"));
        faults.Enabled = false; // no faults for the checks
        var all = new List<DocumentSnapshot>();
        await foreach (var document in store.QueryAllAsync(new DocumentQuery("f", []), 250))
        {
            all.Add(document);
        }

        Assert.Equal(600, all.Count);
        Assert.Equal(Enumerable.Range(0, 600).Select(i => (long)i), all.Select(d => d.Fields["i"].AsInteger()));
        // Each create landed once: it was never overwritten by a replay (create time == update time).
        Assert.All(all, d => Assert.Equal(d.CreateTime, d.UpdateTime));
    }

    [Fact]
    public async Task Protected_commit_whose_response_was_lost_is_reported_as_applied()
    {
        var faults = new FaultInjector(beforeShare: 0, afterShare: 1.0) { Methods = ["Commit"], MaxFaults = 1 };
        var (store, calls) = await NewStoreAsync(null, faults);
        await using var _ = store;
        var writes = new[] { DocumentWrite.Create(P("c/a"), F(("v", Value.Integer(1)))), DocumentWrite.Create(P("c/b"), F(("v", Value.Integer(2)))) };

        // The first attempt lands but its answer is lost; the replay is refused (ALREADY_EXISTS), then read back.
        var outcomes = await store.CommitAsync(writes);

        Assert.All(outcomes, o => Assert.True(o.Applied));
        Assert.Equal(1, faults.InjectedAfter);
        Assert.Equal(2, calls["Commit"]);
        Assert.Equal(1, calls["BatchGetDocuments"]);
        var read = await store.GetAllAsync([P("c/a"), P("c/b")]);
        Assert.Equal(outcomes.Select(o => o.UpdateTime), read.Select(r => r.UpdateTime));
    }

    [Fact]
    public async Task Unprotected_commit_is_not_replayed_after_an_uncertain_failure()
    {
        var faults = new FaultInjector(beforeShare: 1.0, afterShare: 0) { Methods = ["Commit"] };
        var (store, calls) = await NewStoreAsync(null, faults);
        await using var _ = store;

        var e = await Assert.ThrowsAsync<FirestoreStoreException>(() => store.CommitAsync([DocumentWrite.Set(P("c/a"), F(("v", Value.Integer(1))))]));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("may or may not have been applied", e.Message);
        Assert.Equal(1, calls["Commit"]);
    }

    [Fact]
    public async Task Reads_retry_and_give_up_with_a_message_naming_the_emulator_host()
    {
        var faults = new FaultInjector(beforeShare: 1.0, afterShare: 0);
        var (store, calls) = await NewStoreAsync(null, faults);
        await using var _ = store;

        var e = await Assert.ThrowsAsync<FirestoreStoreException>(() => store.GetAllAsync([P("c/a")]));

        Assert.Equal(6, calls["BatchGetDocuments"]);
        Assert.Contains("FIRESTORE_EMULATOR_HOST", e.Message);
        Assert.Contains("6 attempt", e.Message);
    }

    [Fact]
    public async Task Cancellation_stops_the_retry_loop()
    {
        var faults = new FaultInjector(beforeShare: 1.0, afterShare: 0);
        var (store, _) = await NewStoreAsync(null, faults);
        await using var _ = store;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAllAsync([P("c/a")], cts.Token));
    }
}
