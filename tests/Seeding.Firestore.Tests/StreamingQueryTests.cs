using Grpc.Core;
using Seeding.Documents;
using Seeding.Resources;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// A whole query read as one RunQuery server stream (<see cref="IStreamingQueryStore"/>) on the emulator: every document
/// once, in path order, with the query's filters, cursor, end bound and limit; a stream broken mid-way resumes after the
/// last document received, without duplicates or gaps.
/// </summary>
public sealed class StreamingQueryTests
{
    private const int Documents = 2500;

    private static async Task WriteOrdersAsync(FirestoreDocumentStore store)
    {
        foreach (var chunk in Enumerable.Range(0, Documents).Chunk(500))
        {
            await store.CommitAsync(chunk.Select(i => DocumentWrite.Set(P($"orders/o{i:D5}"), F(("n", Value.Integer(i)), ("even", Value.Boolean(i % 2 == 0))))).ToArray());
        }

        // Same collection id elsewhere, and a neighbouring collection: never part of orders.
        await store.CommitAsync([DocumentWrite.Set(P("customers/c1/orders/o00001"), F(("n", Value.Integer(-1)))), DocumentWrite.Set(P("ordersx/o1"), F(("n", Value.Integer(-2))))]);
    }

    private static async Task<List<long>> ReadAsync(IAsyncEnumerable<DocumentSnapshot> documents)
    {
        var seen = new List<long>();
        await foreach (var document in documents)
        {
            seen.Add(document.Fields["n"].AsInteger());
        }

        return seen;
    }

    [Fact]
    public async Task A_collection_of_several_pages_streams_in_one_RunQuery_in_order_with_filters_cursor_and_end_bound()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        await WriteOrdersAsync(store);

        calls.Reset();
        Assert.Equal(Enumerable.Range(0, Documents).Select(i => (long)i), await ReadAsync(store.StreamAsync(new DocumentQuery("orders", []))));
        Assert.Equal(1, calls["RunQuery"]);

        calls.Reset();
        var range = new DocumentQuery("orders", [FieldFilter.EqualTo("even", Value.Boolean(true))], StartAfter: P("orders/o00100")) { EndAt = P("orders/o02001") };
        Assert.Equal(Enumerable.Range(101, 1901).Where(i => i % 2 == 0).Select(i => (long)i), await ReadAsync(store.StreamAsync(range)));
        Assert.Equal(1, calls["RunQuery"]);

        calls.Reset();
        Assert.Equal(Enumerable.Range(0, 1234).Select(i => (long)i), await ReadAsync(store.StreamAsync(new DocumentQuery("orders", [], Limit: 1234))));
        Assert.Equal(1, calls["RunQuery"]);

        // QueryAllAsync, which every reader of a whole collection uses, takes the stream: one call, not one per page.
        calls.Reset();
        Assert.Equal(Enumerable.Range(0, Documents).Select(i => (long)i), await ReadAsync(store.QueryAllAsync(new DocumentQuery("orders", []), pageSize: 100)));
        Assert.Equal(1, calls["RunQuery"]);
    }

    [Fact]
    public async Task A_stream_broken_mid_way_resumes_after_the_last_document_received_without_duplicates_or_gaps()
    {
        var breaker = new StreamBreaker("RunQuery", after: 700, breaks: 2);
        var (store, calls) = await NewStoreAsync(null, breaker);
        await using var _ = store;
        await WriteOrdersAsync(store);
        calls.Reset();

        var seen = await ReadAsync(store.StreamAsync(new DocumentQuery("orders", [])));

        Assert.Equal(Enumerable.Range(0, Documents).Select(i => (long)i), seen);
        Assert.Equal(2, breaker.Broken);
        Assert.Equal(3, calls["RunQuery"]);
        Assert.Equal(2, store.RetryCount);
    }

    [Fact]
    public async Task A_resumed_stream_keeps_the_filters_the_end_bound_and_what_is_left_of_the_limit()
    {
        var breaker = new StreamBreaker("RunQuery", after: 300, breaks: 3);
        var (store, calls) = await NewStoreAsync(null, breaker);
        await using var _ = store;
        await WriteOrdersAsync(store);
        calls.Reset();

        var query = new DocumentQuery("orders", [FieldFilter.EqualTo("even", Value.Boolean(false))], Limit: 1000, StartAfter: P("orders/o00010")) { EndAt = P("orders/o02400") };
        var seen = await ReadAsync(store.StreamAsync(query));

        Assert.Equal(Enumerable.Range(11, 2390).Where(i => i % 2 == 1).Take(1000).Select(i => (long)i), seen);
        Assert.Equal(3, breaker.Broken);
        Assert.Equal(4, calls["RunQuery"]);
    }

    [Fact]
    public async Task A_stream_broken_by_a_permanent_fault_fails_with_the_store_message_and_is_not_resumed()
    {
        var breaker = new StreamBreaker("RunQuery", after: 200, breaks: 1) { Code = StatusCode.PermissionDenied };
        var (store, calls) = await NewStoreAsync(null, breaker);
        await using var _ = store;
        await WriteOrdersAsync(store);
        calls.Reset();

        var seen = new List<long>();
        var error = await Assert.ThrowsAsync<FirestoreStoreException>(async () =>
        {
            await foreach (var document in store.StreamAsync(new DocumentQuery("orders", [])))
            {
                seen.Add(document.Fields["n"].AsInteger());
            }
        });

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.StartsWith("RunQuery failed: Permission denied", error.Message);
        Assert.Equal(1, calls["RunQuery"]);
        Assert.True(seen.Count < Documents, $"{seen.Count} documents before the break");
        Assert.Equal(Enumerable.Range(0, seen.Count).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task The_first_message_of_a_stream_may_take_FirstResultTimeout_while_later_ones_keep_CallTimeout()
    {
        // The emulator answers a RunQuery only once it has read the whole result: here each stream's first message
        // comes 1.5 s late, past a 0.5 s CallTimeout but within FirstResultTimeout.
        var delay = new FirstMessageDelay("RunQuery", TimeSpan.FromSeconds(1.5));
        var options = await FirestoreEmulator.OptionsAsync();
        options.CallTimeout = TimeSpan.FromSeconds(0.5);
        options.FirstResultTimeout = TimeSpan.FromSeconds(30);
        options.Interceptors.Add(delay);
        await using var store = new FirestoreDocumentStore(options);
        await WriteOrdersAsync(store);

        Assert.Equal(Enumerable.Range(0, Documents).Select(i => (long)i), await ReadAsync(store.StreamAsync(new DocumentQuery("orders", []))));
        Assert.Equal(1, delay.Delayed);
        Assert.Equal(0, store.RetryCount);
    }

    [Fact]
    public async Task A_stream_with_no_first_message_within_FirstResultTimeout_fails_naming_that_limit()
    {
        var delay = new FirstMessageDelay("RunQuery", TimeSpan.FromSeconds(30));
        var options = await FirestoreEmulator.OptionsAsync();
        options.FirstResultTimeout = TimeSpan.FromSeconds(0.3);
        options.MaxAttempts = 2;
        options.Interceptors.Add(delay);
        await using var store = new FirestoreDocumentStore(options);
        await WriteOrdersAsync(store);

        var error = await Assert.ThrowsAsync<FirestoreStoreException>(async () => await ReadAsync(store.StreamAsync(new DocumentQuery("orders", []))));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("no first answer within FirstResultTimeout (0.3 s)", error.Message);
        Assert.Equal(2, delay.Delayed); // tried again once, as MaxAttempts says
    }

    [Fact]
    public void FirstResultTimeout_defaults_to_ten_minutes_on_the_emulator_and_to_CallTimeout_in_production()
    {
        var emulator = new FirestoreStoreOptions { ProjectId = "demo-p", EmulatorHost = "127.0.0.1:8080", CallTimeout = TimeSpan.FromSeconds(7) };
        var production = new FirestoreStoreOptions { ProjectId = "my-project", CallTimeout = TimeSpan.FromSeconds(7) };

        Assert.Equal(TimeSpan.FromMinutes(10), emulator.FirstResultTimeoutActive);
        Assert.Equal(TimeSpan.FromSeconds(7), production.FirstResultTimeoutActive);
        production.FirstResultTimeout = TimeSpan.FromSeconds(90);
        Assert.Equal(TimeSpan.FromSeconds(90), production.FirstResultTimeoutActive);
        production.FirstResultTimeout = TimeSpan.Zero;
        Assert.Contains("FirstResultTimeout", Assert.Throws<CloudSettingException>(production.Validate).Message);
    }
}
