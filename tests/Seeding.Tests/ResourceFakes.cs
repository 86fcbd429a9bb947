using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Seeding.Documents;
using Seeding.PubSub;
using Seeding.Resources;
using Seeding.Running;
using Seeding.Store;

namespace Seeding.Tests;

/// <summary>
/// An in-test stand-in for Pub/Sub's admin API that records every call, so runner tests can say exactly what the
/// runner asked for. Like the real client it answers asynchronously, takes concurrent calls (each waits
/// <see cref="CallDelay"/>, so calls of one batch overlap; <see cref="MaxInFlight"/> says how many did) and fails with
/// <see cref="PubSubException"/>. The real client is tested against Google's emulator in Seeding.PubSub.Tests.
/// </summary>
internal sealed class RecordingPubSub : IPubSubAdmin
{
    private readonly Lock _gate = new();
    private readonly List<string> _calls = [];
    private readonly List<(object Spec, IReadOnlyCollection<string> Settings)> _updates = [];
    private int _inFlight;
    private int _maxInFlight;

    public ConcurrentDictionary<string, TopicSpec> Topics { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, SubscriptionSpec> Subscriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>Every call so far, in the order they started, e.g. <c>GetTopic audit-events</c>, <c>UpdateSubscription audit-writer ack_deadline</c> (a copy).</summary>
    public List<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>What each update was given: the spec and the settings to write (a copy).</summary>
    public List<(object Spec, IReadOnlyCollection<string> Settings)> Updates
    {
        get
        {
            lock (_gate)
            {
                return [.. _updates];
            }
        }
    }

    /// <summary>The most calls that were in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>How long each call takes; zero answers at the next turn of the scheduler.</summary>
    public TimeSpan CallDelay { get; init; }

    /// <summary>When true, a create finds the resource created meanwhile by another runner (ALREADY_EXISTS).</summary>
    public bool CreatedConcurrently { get; set; }

    /// <summary>When set, every create fails with this message (Pub/Sub refused or was unreachable).</summary>
    public string? FailCreates { get; set; }

    /// <summary>When set, the create of this topic fails (Pub/Sub refused it).</summary>
    public string? FailingTopic { get; init; }

    public string Name => "recording Pub/Sub";

    public Task<TopicSpec?> GetTopicAsync(string topic, CancellationToken cancellationToken = default) =>
        CallAsync($"GetTopic {topic}", () => Topics.GetValueOrDefault(topic), cancellationToken);

    public Task<bool> CreateTopicAsync(TopicSpec topic, CancellationToken cancellationToken = default) =>
        CallAsync($"CreateTopic {topic.Name}", () =>
        {
            ThrowIfRefused(topic.Name == FailingTopic ? $"refused {topic.Name}" : FailCreates);
            return !CreatedConcurrently && Topics.TryAdd(topic.Name, topic);
        }, cancellationToken);

    public Task UpdateTopicAsync(TopicSpec topic, IReadOnlyCollection<string> settings, CancellationToken cancellationToken = default) =>
        CallAsync($"UpdateTopic {topic.Name} {string.Join(",", settings)}", () =>
        {
            lock (_gate)
            {
                _updates.Add((topic, settings));
            }

            Topics[topic.Name] = topic;
            return true;
        }, cancellationToken);

    public Task<SubscriptionSpec?> GetSubscriptionAsync(string subscription, CancellationToken cancellationToken = default) =>
        CallAsync($"GetSubscription {subscription}", () => Subscriptions.GetValueOrDefault(subscription), cancellationToken);

    public Task<bool> CreateSubscriptionAsync(SubscriptionSpec subscription, CancellationToken cancellationToken = default) =>
        CallAsync($"CreateSubscription {subscription.Name}", () =>
        {
            ThrowIfRefused(FailCreates);
            return !CreatedConcurrently && Subscriptions.TryAdd(subscription.Name, subscription);
        }, cancellationToken);

    public Task UpdateSubscriptionAsync(SubscriptionSpec subscription, IReadOnlyCollection<string> settings, CancellationToken cancellationToken = default) =>
        CallAsync($"UpdateSubscription {subscription.Name} {string.Join(",", settings)}", () =>
        {
            lock (_gate)
            {
                _updates.Add((subscription, settings));
            }

            Subscriptions[subscription.Name] = subscription;
            return true;
        }, cancellationToken);

    // As the real client fails for good: a PubSubException with the gRPC status.
    private static void ThrowIfRefused(string? failure)
    {
        if (failure is not null)
        {
            throw new PubSubException(failure, Grpc.Core.StatusCode.PermissionDenied);
        }
    }

    private async Task<T> CallAsync<T>(string call, Func<T> answer, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }

        var now = Interlocked.Increment(ref _inFlight);
        for (var max = MaxInFlight; now > max && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max; max = MaxInFlight)
        {
        }

        try
        {
            if (CallDelay > TimeSpan.Zero)
            {
                await Task.Delay(CallDelay, cancellationToken);
            }
            else
            {
                await Task.Yield();
            }

            return answer();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}

/// <summary>
/// An in-memory document store that also manages indexes the way the Firestore Admin API does (operations that
/// build, may fail, and are waited for), recording every admin call. The real Admin client is tested against an
/// in-process fake of the gRPC service in Seeding.Firestore.Tests.
/// </summary>
internal sealed class IndexManagingStore(InMemoryDocumentStore documents) : IDocumentStore, IIndexAdmin
{
    /// <summary>A runner given this store's index admin explicitly, as the host and the CLI give Firestore's.</summary>
    public SeedRunner Runner(SeedRunnerOptions? options = null, ILogger<SeedRunner>? logger = null) =>
        new(this, logger, (options ?? new SeedRunnerOptions()) with { Capabilities = new StoreCapabilities { Indexes = this } });

    private int _operations;

    public InMemoryDocumentStore Documents { get; } = documents;

    public List<IndexState> Indexes { get; } = [];

    public Dictionary<string, FieldOverrideSpec> Fields { get; } = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    /// <summary>Operations started and not yet waited for, by name.</summary>
    public Dictionary<string, (Action Complete, Action Fail)> Pending { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When set, waiting for an operation fails with this message (the build failed on Google's side), and the index it
    /// was building is left in NEEDS_REPAIR, as Firestore leaves it.
    /// </summary>
    public string? FailBuilds { get; set; }

    /// <summary>
    /// Indexes (by <see cref="IndexSpec.ToString"/>) that another runner is building: each list counts one down, and the
    /// list that reaches zero sees the index READY.
    /// </summary>
    public Dictionary<string, int> BuiltAfterLists { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Indexes another runner creates between this runner's list and its create: the create finds them (ALREADY_EXISTS)
    /// in the given state.
    /// </summary>
    public List<IndexState> CreatedMeanwhile { get; } = [];

    /// <summary>Called on every list, after the lists are counted (e.g. to cancel the run while it waits).</summary>
    public Action? OnList { get; set; }

    public string? IndexesUnavailableReason { get; set; }

    public string Name => "index-managing in-memory";

    public int MaxBatchSize => Documents.MaxBatchSize;

    public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
        Documents.GetAllAsync(paths, cancellationToken);

    public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        Documents.WriteBatchAsync(writes, cancellationToken);

    public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        Documents.CommitAsync(writes, cancellationToken);

    public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
        Documents.QueryAsync(query, cancellationToken);

    public Task<IReadOnlyList<IndexState>> ListIndexesAsync(string collectionGroup, CancellationToken cancellationToken = default)
    {
        Calls.Add($"ListIndexes {collectionGroup}");
        for (var i = 0; i < Indexes.Count; i++)
        {
            var key = Indexes[i].Index.ToString();
            if (Indexes[i].Index.CollectionGroup == collectionGroup && BuiltAfterLists.TryGetValue(key, out var left))
            {
                BuiltAfterLists[key] = --left;
                if (left <= 0)
                {
                    Indexes[i] = Indexes[i] with { State = IndexBuildState.Ready };
                    BuiltAfterLists.Remove(key);
                }
            }
        }

        OnList?.Invoke();
        return Task.FromResult<IReadOnlyList<IndexState>>(Indexes.Where(i => i.Index.CollectionGroup == collectionGroup).ToArray());
    }

    public Task<IndexOperation> CreateIndexAsync(IndexSpec index, CancellationToken cancellationToken = default)
    {
        Calls.Add($"CreateIndex {index}");
        Indexes.AddRange(CreatedMeanwhile.Where(i => i.Index.SameIndexAs(index)));
        CreatedMeanwhile.RemoveAll(i => i.Index.SameIndexAs(index));
        if (Indexes.Any(i => i.Index.SameIndexAs(index)))
        {
            return Task.FromResult(new IndexOperation(null, AlreadyExisted: true));
        }

        var state = new IndexState(index, IndexBuildState.Creating);
        Indexes.Add(state);
        return Task.FromResult(Start(
            () => Indexes[Indexes.IndexOf(state)] = state with { State = IndexBuildState.Ready },
            () => Indexes[Indexes.IndexOf(state)] = state with { State = IndexBuildState.NeedsRepair }));
    }

    public Task<FieldOverrideSpec> GetFieldAsync(string collectionGroup, string fieldPath, CancellationToken cancellationToken = default)
    {
        Calls.Add($"GetField {collectionGroup}.{fieldPath}");
        var automatic = new FieldOverrideSpec(collectionGroup, fieldPath)
        {
            Indexes = [new(IndexOrder.Ascending, IndexScope.Collection), new(IndexOrder.Descending, IndexScope.Collection), new(IndexOrder.Contains, IndexScope.Collection)],
            Ttl = false,
        };
        return Task.FromResult(Fields.GetValueOrDefault($"{collectionGroup}.{fieldPath}", automatic));
    }

    public Task<IndexOperation> UpdateFieldAsync(FieldOverrideSpec field, CancellationToken cancellationToken = default)
    {
        Calls.Add($"UpdateField {field}");
        return Task.FromResult(Start(() => Fields[field.ToString()] = field, () => { }));
    }

    public Task WaitAsync(IndexOperation operation, CancellationToken cancellationToken = default)
    {
        Calls.Add($"Wait {operation.Name}");
        Pending.Remove(operation.Name!, out var outcome);
        if (FailBuilds is { } message)
        {
            outcome.Fail?.Invoke();
            throw new IndexOperationFailedException(operation.Name!, message);
        }

        outcome.Complete?.Invoke();
        return Task.CompletedTask;
    }

    private IndexOperation Start(Action complete, Action fail)
    {
        var name = $"projects/p/databases/(default)/operations/op-{++_operations}";
        Pending[name] = (complete, fail);
        return new IndexOperation(name, AlreadyExisted: false);
    }
}

/// <summary>Collects log entries, to check what a run says and at which level.</summary>
internal sealed class CollectingLogger : ILogger<SeedRunner>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>
/// The system clock with every timer a thousand times shorter, recording what each one-shot timer was asked to wait: a
/// run's waits take milliseconds while the test reads the delays it asked for.
/// </summary>
internal sealed class FastTime : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan && (period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero))
        {
            Delays.Enqueue(dueTime);
        }

        return System.CreateTimer(callback, state, Shorter(dueTime), Shorter(period));
    }

    private static TimeSpan Shorter(TimeSpan time) => time == Timeout.InfiniteTimeSpan ? time : time / 1000;
}
