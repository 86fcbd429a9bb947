using System.Collections;
using Seeding.Definitions;
using Seeding.Diffing;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

/// <summary>
/// How the differ holds and reads a large declared state: declared documents streamed (never all in memory), the live
/// reads ahead of the comparison (the first read alone, then a window), and migrations not applied yet reported as pending.
/// </summary>
public class DiffStreamingTests
{
    [Fact]
    public async Task The_differ_decodes_each_declared_document_only_to_compare_it_and_still_folds_overrides()
    {
        var store = new InMemoryDocumentStore();
        static ServiceSeeds Items(TrackedDocuments documents) => Service(
            Migration("0001_items", SeedPhase.Pre, "sha256:1", SeedStep.Create("items", 1, documents)),
            Migration("0002_rename", SeedPhase.Pre, "sha256:2", Upsert("items", Doc("item-00005", ("name", Value.String("renamed"))), Doc("item-09999", ("name", Value.String("last"))))));

        // The run's documents are another instance: the store keeps the values it was given, and only the diff's are counted.
        await new SeedRunner(store).RunAsync(Items(new TrackedDocuments(10_000)), RunRequest.All());
        var documents = new TrackedDocuments(10_000);
        var service = Items(documents);
        await store.WriteBatchAsync([DocumentWrite.Merge(DocumentPath.Parse("items/item-00005"), new Dictionary<string, Value> { ["name"] = Value.String("by hand") })]);

        // At every read, after a full collection, count the declared documents still alive (each holds its own marker).
        var alive = new List<int>();
        var snapshots = new HookedSnapshots(store, (_, _) =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            alive.Add(documents.Alive);
        });
        var result = await new SeedDiffer(store, new SeedRunnerOptions { Capabilities = new StoreCapabilities { Snapshots = snapshots } }).DiffAsync([service], new DiffRequest());

        Assert.Equal(1 + 10, alive.Count); // the history read, then ten chunks of 1,000
        // The reads ahead hold paths only; each declared document is decoded when compared and dropped after it. When a
        // read starts, at most each enumeration's current document is alive (this list is not compact data, so the paths'
        // enumeration makes documents too to read their ids): two, never a chunk, let alone 10,000.
        Assert.All(alive, count => Assert.InRange(count, 0, 2));
        var diff = result.Services[0];
        Assert.Equal(10_000, diff.DocumentsCompared);
        var drifted = Assert.Single(diff.Documents);
        Assert.Equal(("items/item-00005", "migrations/pre/0002_rename.yaml"), (drifted.Path.ToString(), drifted.Source));
        Assert.Equal(new FieldDiff("name", FieldDrift.Changed, Value.String("by hand"), Value.String("renamed")), Assert.Single(drifted.Fields));
    }

    [Fact]
    public async Task Reads_run_ahead_of_the_comparison_the_first_alone_one_batch_per_thousand()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(Migration("0001_many", SeedPhase.Pre, "sha256:1", Create("items", Many(2500))));
        await new SeedRunner(store).RunAsync(service, RunRequest.All());

        var sizes = new List<int>();
        var comparedWhenNextReadStarted = new List<bool>();
        var inFlight = 0;
        var inFlightAtStart = new List<int>();
        HookedSnapshots? snapshots = null;
        snapshots = new HookedSnapshots(store, (paths, _) =>
        {
            inFlightAtStart.Add(Interlocked.Increment(ref inFlight));
            sizes.Add(paths.Count);
            if (sizes.Count > 2)
            {
                // The first document chunk has been read: has anything of it been compared yet?
                comparedWhenNextReadStarted.Add(snapshots!.Touched(1));
            }
        }, () => Interlocked.Decrement(ref inFlight));

        var result = await new SeedDiffer(store, new SeedRunnerOptions { Capabilities = new StoreCapabilities { Snapshots = snapshots } }).DiffAsync([service], new DiffRequest());

        Assert.Equal([1, 1000, 1000, 500], sizes); // the history, then one batched read per 1,000 documents
        // The history and the first chunk alone (the first read fixes the snapshot's time), then the window opens: the
        // third chunk is asked for while the second is still being read, both before the first is compared.
        Assert.Equal([1, 1, 1, 2], inFlightAtStart);
        Assert.Equal([false, false], comparedWhenNextReadStarted);
        Assert.True(snapshots.Touched(1) && snapshots.Touched(3)); // and every chunk was compared in the end
        Assert.Equal(2500, result.Services[0].UnchangedDocuments);
    }

    [Fact]
    public async Task What_a_pending_migration_declares_is_pending_not_drift_and_an_applied_ones_edits_are_drift()
    {
        var store = new InMemoryDocumentStore();
        var applied = Migration("0001_roles", SeedPhase.Pre, "sha256:1", Create("roles",
            Doc("admin", ("name", Value.String("Admin")), ("level", Value.Integer(0))),
            Doc("viewer", ("name", Value.String("Viewer")))));
        await new SeedRunner(store).RunAsync(Service(applied), RunRequest.All());
        await store.WriteBatchAsync([DocumentWrite.Merge(DocumentPath.Parse("roles/admin"), new Dictionary<string, Value> { ["level"] = Value.Integer(7) })]);
        var service = Service(applied, Migration("0002_more", SeedPhase.Pre, "sha256:2",
            Create("roles", Doc("editor", ("name", Value.String("Editor")))),
            Upsert("roles", Doc("admin", ("name", Value.String("Administrator"))), Doc("viewer", ("name", Value.String("Reader"))))));

        var diff = (await new SeedDiffer(store, new SeedRunnerOptions { Capabilities = new StoreCapabilities { Snapshots = store } }).DiffAsync([service], new DiffRequest())).Services[0];

        var byPath = diff.Documents.ToDictionary(d => d.Path.ToString());
        Assert.Equal(["roles/admin", "roles/editor", "roles/viewer"], byPath.Keys.Order(StringComparer.Ordinal));
        Assert.True(byPath["roles/editor"] is { Missing: true, Pending: true, Drifted: false });
        Assert.True(byPath["roles/viewer"] is { Pending: true, Drifted: false });
        Assert.Equal(new FieldDiff("name", FieldDrift.Changed, Value.String("Viewer"), Value.String("Reader")) { Pending = true }, Assert.Single(byPath["roles/viewer"].Fields));
        var admin = byPath["roles/admin"];
        Assert.True(admin is { Drifted: true, Pending: false }); // level was edited by hand: drift, pending rename or not
        Assert.Equal(
            [
                new FieldDiff("name", FieldDrift.Changed, Value.String("Admin"), Value.String("Administrator")) { Pending = true },
                new FieldDiff("level", FieldDrift.Changed, Value.Integer(7), Value.Integer(0)),
            ],
            admin.Fields);
        Assert.Equal((1, 2, 0), (diff.DriftedDocuments, diff.PendingDocuments, diff.UnchangedDocuments));
    }

    /// <summary>Documents made as they are read, each with a marker value of its own whose liveness is tracked.</summary>
    private sealed class TrackedDocuments(int count) : IReadOnlyList<SeedDocument>
    {
        private readonly List<WeakReference<Value>> _markers = [];

        public int Alive
        {
            get
            {
                lock (_markers)
                {
                    return _markers.Count(m => m.TryGetTarget(out _));
                }
            }
        }

        public int Count => count;

        public SeedDocument this[int index] => Make(index);

        public IEnumerator<SeedDocument> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return Make(i);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private SeedDocument Make(int i)
        {
            var marker = Value.String($"marker {i}");
            lock (_markers)
            {
                _markers.Add(new WeakReference<Value>(marker));
            }

            return Doc($"item-{i:D5}", ("n", Value.Integer(i)), ("marker", marker));
        }
    }

    /// <summary>
    /// The in-memory store's snapshot with a hook at each GetAll (called when the read starts, another when it ends,
    /// after a yield so the read is really asynchronous), and a record of whether each answer's fields were looked at.
    /// </summary>
    private sealed class HookedSnapshots(InMemoryDocumentStore store, Action<IReadOnlyList<DocumentPath>, int> started, Action? ended = null) : ISnapshotReadStore
    {
        private readonly List<TouchedFields[]> _answers = [];

        private Action<IReadOnlyList<DocumentPath>, int> Started { get; } = started;

        private Action? Ended { get; } = ended;

        public bool Touched(int read)
        {
            lock (_answers)
            {
                return _answers[read].Any(f => f.Touched);
            }
        }

        public async Task<ISnapshotReader> OpenSnapshotAsync(CancellationToken cancellationToken = default) =>
            new Reader(this, await store.OpenSnapshotAsync(cancellationToken));

        private sealed class Reader(HookedSnapshots owner, ISnapshotReader inner) : ISnapshotReader
        {
            public string Consistency => inner.Consistency;

            public Timestamp? ReadTime => inner.ReadTime;

            public async Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default)
            {
                owner.Started(paths, paths.Count);
                await Task.Delay(5, cancellationToken);
                var found = await inner.GetAllAsync(paths, cancellationToken);
                var touched = found.Select(s => new TouchedFields(s.Fields)).ToArray();
                lock (owner._answers)
                {
                    owner._answers.Add(touched);
                }

                owner.Ended?.Invoke();
                return found.Select((s, i) => s.Exists ? DocumentSnapshot.Found(s.Path, touched[i], s.CreateTime!.Value, s.UpdateTime!.Value) : s).ToArray();
            }

            public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

            public Task<long> CountAsync(DocumentQuery query, CancellationToken cancellationToken = default) => inner.CountAsync(query, cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    /// <summary>A document's fields that remember whether anything read them.</summary>
    private sealed class TouchedFields(IReadOnlyDictionary<string, Value> fields) : IReadOnlyDictionary<string, Value>
    {
        public bool Touched { get; private set; }

        public Value this[string key] => Touch()[key];

        public IEnumerable<string> Keys => Touch().Keys;

        public IEnumerable<Value> Values => Touch().Values;

        public int Count => Touch().Count;

        public bool ContainsKey(string key) => Touch().ContainsKey(key);

        public bool TryGetValue(string key, out Value value) => Touch().TryGetValue(key, out value!);

        public IEnumerator<KeyValuePair<string, Value>> GetEnumerator() => Touch().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private IReadOnlyDictionary<string, Value> Touch()
        {
            Touched = true;
            return fields;
        }
    }
}
