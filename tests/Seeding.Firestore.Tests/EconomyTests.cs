using Seeding.Store;
using Seeding.Values;
using Xunit.Abstractions;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>Round-trip economy measured at the gRPC layer: one RPC per chunk, never one per document.</summary>
public sealed class EconomyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GetAll_of_300_documents_is_one_BatchGetDocuments_call()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        var paths = Enumerable.Range(0, 300).Select(i => P($"docs/{i}")).ToArray();
        await store.WriteBatchAsync(paths.Take(150).Select(p => DocumentWrite.Create(p, F(("v", Value.Integer(1))))).ToArray());
        calls.Reset();

        var result = await store.GetAllAsync(paths);

        Assert.Equal(150, result.Count(r => r.Exists));
        Assert.Equal(1, calls["BatchGetDocuments"]);
        Assert.Single(calls.Snapshot());
        output.WriteLine($"GetAll 300 paths -> {calls["BatchGetDocuments"]} BatchGetDocuments");
    }

    [Fact]
    public async Task Creating_1200_documents_in_batches_of_500_is_three_BatchWrite_calls()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        var writes = Enumerable.Range(0, 1200).Select(i => DocumentWrite.Create(P($"bulk/{i:D5}"), F(("i", Value.Integer(i)), ("at", Value.ServerTimestamp)))).ToArray();

        var outcomes = new List<WriteOutcome>();
        foreach (var batch in writes.Chunk(store.MaxBatchSize))
        {
            outcomes.AddRange(await store.WriteBatchAsync(batch));
        }

        Assert.All(outcomes, o => Assert.True(o.Applied));
        Assert.Equal(3, calls["BatchWrite"]);
        Assert.Single(calls.Snapshot());
        output.WriteLine($"1200 creates -> {calls["BatchWrite"]} BatchWrite");

        calls.Reset();
        var read = await store.GetAllAsync(writes.Select(w => w.Path).ToArray());
        Assert.All(read, r => Assert.True(r.Exists));
        Assert.Equal(2, calls["BatchGetDocuments"]); // 1200 paths in chunks of 1000
    }
}
