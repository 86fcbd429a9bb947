using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Store;

/// <summary>
/// A thread-safe store in process memory, for fast tests of the runner. It keeps Firestore's semantics for
/// preconditions, merges, server timestamps and queries, and counts round trips so tests can assert the
/// runner's economy. It proves nothing about Firestore itself: the Firestore store has its own emulator suite.
/// </summary>
public sealed partial class InMemoryDocumentStore : IDocumentStore
{
    private readonly object _gate = new();
    private readonly SortedDictionary<DocumentPath, StoredDocument> _documents = new();
    private readonly TimeProvider _time;
    private long _lastCommitMicros;
    private int _readCalls;
    private int _writeCalls;
    private int _queryCalls;

    /// <summary>Creates an empty store.</summary>
    /// <param name="time">The clock for commit times; defaults to the system clock.</param>
    public InMemoryDocumentStore(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => "in-memory";

    /// <inheritdoc />
    public int MaxBatchSize => 500;

    /// <summary>Round trips made so far by <see cref="GetAllAsync"/>.</summary>
    public int ReadCalls => Volatile.Read(ref _readCalls);

    /// <summary>Round trips made so far by <see cref="WriteBatchAsync"/> and <see cref="CommitAsync"/>.</summary>
    public int WriteCalls => Volatile.Read(ref _writeCalls);

    /// <summary>Round trips made so far by <see cref="QueryAsync"/>.</summary>
    public int QueryCalls => Volatile.Read(ref _queryCalls);

    /// <summary>The number of documents stored.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _documents.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _readCalls);
        lock (_gate)
        {
            // The read time is the clock, but never before the last commit: the read sees that commit.
            var readTime = Timestamp.FromUnixMicroseconds(Math.Max(Timestamp.FromDateTimeOffset(_time.GetUtcNow()).UnixMicroseconds, _lastCommitMicros));
            IReadOnlyList<DocumentSnapshot> result = paths.Select(p => Snapshot(p).WithReadTime(readTime)).ToArray();
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckBatchSize(writes);
        Interlocked.Increment(ref _writeCalls);
        lock (_gate)
        {
            var now = NextCommitTime();
            IReadOnlyList<WriteOutcome> outcomes = writes
                .Select(w => PreconditionProblem(w) is null ? Apply(w, now) : new WriteOutcome(w.Path, false, null))
                .ToArray();
            return Task.FromResult(outcomes);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckBatchSize(writes);
        Interlocked.Increment(ref _writeCalls);
        lock (_gate)
        {
            foreach (var write in writes)
            {
                var problem = PreconditionProblem(write);
                if (problem is not null)
                {
                    throw new PreconditionFailedException(write.Path, problem);
                }
            }

            var now = NextCommitTime();
            IReadOnlyList<WriteOutcome> outcomes = writes.Select(w => Apply(w, now)).ToArray();
            return Task.FromResult(outcomes);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        DocumentPath.ValidateCollectionPath(query.Collection);
        Interlocked.Increment(ref _queryCalls);
        lock (_gate)
        {
            IEnumerable<KeyValuePair<DocumentPath, StoredDocument>> matches = _documents
                .Where(p => p.Key.Collection == query.Collection)
                .Where(p => query.StartAfter is null || p.Key.CompareTo(query.StartAfter) > 0)
                .Where(p => query.EndAt is null || p.Key.CompareTo(query.EndAt) <= 0)
                .Where(p => query.Filters.All(f => f.Matches(p.Value.Fields)));
            if (query.Limit is { } limit)
            {
                matches = matches.Take(limit);
            }

            IReadOnlyList<DocumentSnapshot> result = matches.Select(p => p.Value.ToSnapshot(p.Key)).ToArray();
            return Task.FromResult(result);
        }
    }

    private DocumentSnapshot Snapshot(DocumentPath path) =>
        _documents.TryGetValue(path, out var stored) ? stored.ToSnapshot(path) : DocumentSnapshot.Missing(path);

    private string? PreconditionProblem(DocumentWrite write)
    {
        var exists = _documents.TryGetValue(write.Path, out var stored);
        return write.Precondition switch
        {
            { Exists: false } when exists => "the document already exists",
            { Exists: true } when !exists => "the document does not exist",
            { UpdateTime: { } expected } when !exists => $"the document does not exist (expected update time {expected})",
            { UpdateTime: { } expected } when stored!.UpdateTime != expected => $"the document was changed at {stored.UpdateTime}, not at {expected}",
            _ => null,
        };
    }

    private WriteOutcome Apply(DocumentWrite write, Timestamp now)
    {
        var exists = _documents.TryGetValue(write.Path, out var stored);
        switch (write.Kind)
        {
            case WriteKind.Delete:
                _documents.Remove(write.Path);
                return new WriteOutcome(write.Path, true, now);
            case WriteKind.Set:
                _documents[write.Path] = new StoredDocument(ServerValues.Resolve(write.Fields, now), exists ? stored!.CreateTime : now, now);
                return new WriteOutcome(write.Path, true, now);
            default:
                var merged = new Dictionary<string, Value>(exists ? stored!.Fields : new Dictionary<string, Value>(), StringComparer.Ordinal);
                foreach (var (key, value) in ServerValues.Resolve(write.Fields, now))
                {
                    merged[key] = value;
                }

                _documents[write.Path] = new StoredDocument(merged, exists ? stored!.CreateTime : now, now);
                return new WriteOutcome(write.Path, true, now);
        }
    }

    // Commit times strictly increase, as Firestore's do, so update-time preconditions can tell writes apart.
    private Timestamp NextCommitTime()
    {
        var micros = Math.Max(Timestamp.FromDateTimeOffset(_time.GetUtcNow()).UnixMicroseconds, _lastCommitMicros + 1);
        _lastCommitMicros = micros;
        return Timestamp.FromUnixMicroseconds(micros);
    }

    private void CheckBatchSize(IReadOnlyList<DocumentWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count > MaxBatchSize)
        {
            throw new ArgumentException($"A batch holds at most {MaxBatchSize} writes; this one has {writes.Count}. Split it.", nameof(writes));
        }
    }

    private sealed record StoredDocument(IReadOnlyDictionary<string, Value> Fields, Timestamp CreateTime, Timestamp UpdateTime)
    {
        public DocumentSnapshot ToSnapshot(DocumentPath path) => DocumentSnapshot.Found(path, Fields, CreateTime, UpdateTime);
    }
}
