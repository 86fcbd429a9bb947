using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.StoreContract;

/// <summary>
/// The behaviour every <see cref="IDocumentStore"/> must show, written once and run against each backend
/// (in-memory, SQLite, the Firestore emulator). Subclass it, implement <see cref="CreateStoreAsync"/>, and the
/// facts below run against your store.
/// </summary>
/// <remarks>
/// xunit creates one instance of the class per test, so each test gets its own store from
/// <see cref="CreateStoreAsync"/>. Every test also writes only under root collections whose names start with a
/// per-test random prefix (<see cref="Collection"/>), so a shared database (such as one emulator) is fine.
/// Stores that are <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> are disposed after each test.
/// </remarks>
public abstract partial class DocumentStoreContract : IAsyncLifetime
{
    private readonly string _prefix = "contract_" + Guid.NewGuid().ToString("N")[..12];
    private IDocumentStore? _store;

    /// <summary>The store under test; created before each test.</summary>
    protected IDocumentStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Returns an empty store, isolated from other tests (a fresh database or a unique namespace).</summary>
    protected abstract Task<IDocumentStore> CreateStoreAsync();

    /// <summary>Releases the store after a test; by default disposes it when it is disposable.</summary>
    protected virtual async Task DisposeStoreAsync(IDocumentStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store);
        }
    }

    /// <summary>A root collection name unique to this test.</summary>
    protected string Collection(string name) => _prefix + "_" + name;

    /// <summary>The path of <paramref name="id"/> in this test's collection <paramref name="collection"/>.</summary>
    protected DocumentPath Doc(string collection, string id) => DocumentPath.Create(Collection(collection), id);

    // ---------------------------------------------------------------- basics

    [Fact]
    public void Store_has_a_name_and_a_positive_batch_size()
    {
        Assert.False(string.IsNullOrWhiteSpace(Store.Name));
        Assert.True(Store.MaxBatchSize > 0);
    }

    [Fact]
    public async Task GetAll_returns_one_snapshot_per_path_in_request_order_including_missing_documents()
    {
        var b = Doc("items", "b");
        var d = Doc("items", "d");
        await Set(b, F(("name", Value.String("bee"))));
        await Set(d, F(("name", Value.String("dee"))));

        var a = Doc("items", "a");
        var c = Doc("items", "c");
        var missingElsewhere = Doc("nowhere", "b");
        var snapshots = await Store.GetAllAsync([d, a, b, c, missingElsewhere]);

        Assert.Equal([d, a, b, c, missingElsewhere], snapshots.Select(s => s.Path));
        Assert.Equal([true, false, true, false, false], snapshots.Select(s => s.Exists));
        Assert.Equal(Value.String("dee"), snapshots[0].Fields["name"]);
        Assert.Equal(Value.String("bee"), snapshots[2].Fields["name"]);
        Assert.Empty(snapshots[1].Fields);
        Assert.Null(snapshots[1].CreateTime);
        Assert.Null(snapshots[1].UpdateTime);
        Assert.NotNull(snapshots[0].CreateTime);
        Assert.NotNull(snapshots[0].UpdateTime);
    }

    [Fact]
    public async Task GetAll_of_no_paths_returns_nothing()
    {
        Assert.Empty(await Store.GetAllAsync([]));
    }

    [Fact]
    public async Task GetAll_reads_more_documents_than_one_batch_holds()
    {
        var written = Enumerable.Range(0, Store.MaxBatchSize).Select(i => Doc("many", $"d{i:D4}")).ToArray();
        var outcomes = await Store.WriteBatchAsync(written.Select(p => DocumentWrite.Set(p, F(("id", Value.String(p.Id))))).ToArray());
        Assert.All(outcomes, o => Assert.True(o.Applied));

        // Interleave missing paths, so the result order cannot come from the database's own order.
        var asked = Enumerable.Reverse(written).SelectMany((p, i) => i % 5 == 0 ? new[] { p, Doc("many", $"missing{i:D4}") } : [p]).ToArray();
        var snapshots = await Store.GetAllAsync(asked);

        Assert.Equal(asked, snapshots.Select(s => s.Path));
        foreach (var snapshot in snapshots)
        {
            var isMissing = snapshot.Path.Id.StartsWith("missing", StringComparison.Ordinal);
            Assert.Equal(!isMissing, snapshot.Exists);
            if (!isMissing)
            {
                Assert.Equal(Value.String(snapshot.Path.Id), snapshot.Fields["id"]);
            }
        }
    }

    // ---------------------------------------------------------------- limits and cancellation

    [Fact]
    public async Task A_batch_of_MaxBatchSize_writes_is_accepted()
    {
        var writes = Enumerable.Range(0, Store.MaxBatchSize)
            .Select(i => DocumentWrite.Create(Doc("full", $"d{i:D4}"), F(("i", Value.Integer(i)))))
            .ToArray();

        var outcomes = await Store.CommitAsync(writes);

        Assert.Equal(writes.Length, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Applied));
        Assert.Equal(writes.Length, (await Store.QueryAsync(new DocumentQuery(Collection("full"), []))).Count);
    }

    [Fact]
    public async Task Batches_larger_than_MaxBatchSize_are_refused_and_write_nothing()
    {
        var writes = Enumerable.Range(0, Store.MaxBatchSize + 1)
            .Select(i => DocumentWrite.Set(Doc("big", $"d{i:D4}"), F(("i", Value.Integer(i)))))
            .ToArray();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.WriteBatchAsync(writes));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CommitAsync(writes));

        Assert.Empty(await Store.QueryAsync(new DocumentQuery(Collection("big"), [])));
    }

    [Fact]
    public async Task Cancelled_calls_throw_and_change_nothing()
    {
        var path = Doc("items", "x");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.WriteBatchAsync([DocumentWrite.Set(path, F(("v", Value.Integer(1))))], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CommitAsync([DocumentWrite.Set(path, F(("v", Value.Integer(1))))], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetAllAsync([path], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.QueryAsync(new DocumentQuery(Collection("items"), []), cancelled.Token));

        Assert.False((await Get(path)).Exists);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Builds a field dictionary.</summary>
    protected static IReadOnlyDictionary<string, Value> F(params (string Key, Value Value)[] fields)
    {
        var result = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            result.Add(key, value);
        }

        return result;
    }

    /// <summary>Writes a document with a plain set and checks it was applied.</summary>
    protected async Task Set(DocumentPath path, IReadOnlyDictionary<string, Value> fields)
    {
        var outcomes = await Store.WriteBatchAsync([DocumentWrite.Set(path, fields)]);
        Assert.True(outcomes[0].Applied, $"set {path} was not applied");
    }

    /// <summary>Writes a document with a plain set and reads it back.</summary>
    protected async Task<DocumentSnapshot> SetAndGet(DocumentPath path, IReadOnlyDictionary<string, Value> fields)
    {
        await Set(path, fields);
        return await Get(path);
    }

    /// <summary>Reads one document.</summary>
    protected async Task<DocumentSnapshot> Get(DocumentPath path) => (await Store.GetAllAsync([path])).Single();

    /// <summary>Runs a query and returns the ids of the results, in order.</summary>
    protected async Task<IReadOnlyList<string>> Ids(DocumentQuery query) =>
        (await Store.QueryAsync(query)).Select(s => s.Path.Id).ToArray();

    /// <summary>Writes the fields, reads them back by path and by query, checks both agree, and returns them.</summary>
    protected async Task<IReadOnlyDictionary<string, Value>> RoundTrip(IReadOnlyDictionary<string, Value> fields)
    {
        var path = Doc("roundtrip", "doc");
        await Set(path, fields);
        var read = await Get(path);
        Assert.True(read.Exists);
        var queried = Assert.Single(await Store.QueryAsync(new DocumentQuery(path.Collection, [])));
        AssertFields(read.Fields, queried.Fields);
        return read.Fields;
    }

    /// <summary>Checks that the fields come back exactly as written.</summary>
    protected async Task AssertRoundTrip(IReadOnlyDictionary<string, Value> fields) => AssertFields(fields, await RoundTrip(fields));

    /// <summary>
    /// Checks two field sets are the same: same kinds, integers and doubles never confused, doubles compared by
    /// bits (so -0.0 differs from 0.0), except that any NaN equals any NaN (a backend may canonicalize NaN's payload).
    /// </summary>
    protected static void AssertFields(IReadOnlyDictionary<string, Value> expected, IReadOnlyDictionary<string, Value> actual)
    {
        foreach (var (key, value) in expected)
        {
            Assert.True(actual.TryGetValue(key, out var other), $"field '{key}' is missing; got {Value.Map(actual)}");
            Assert.True(Same(value, other!), $"field '{key}': expected {value} but found {other}");
        }

        var extra = actual.Keys.Except(expected.Keys, StringComparer.Ordinal).ToArray();
        Assert.True(extra.Length == 0, $"unexpected fields: {string.Join(", ", extra)}");
    }

    private static bool Same(Value left, Value right)
    {
        if (left.Kind != right.Kind)
        {
            return false;
        }

        return left.Kind switch
        {
            ValueKind.Double when double.IsNaN(left.AsDouble()) => double.IsNaN(right.AsDouble()),
            ValueKind.Array => left.AsArray().Count == right.AsArray().Count && left.AsArray().Zip(right.AsArray()).All(p => Same(p.First, p.Second)),
            ValueKind.Map => left.AsMap().Count == right.AsMap().Count
                && left.AsMap().All(p => right.AsMap().TryGetValue(p.Key, out var r) && Same(p.Value, r)),
            _ => left.Equals(right),
        };
    }
}
