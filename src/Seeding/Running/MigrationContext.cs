using Microsoft.Extensions.Logging;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>
/// What a C# migration (and the runtime's own backfills) work with: the store, a logger, the dry-run flag, and
/// helpers that page through collections with flat memory, buffer writes into batches and record the plan. In a
/// dry run the same code runs and every write becomes a plan line instead.
/// </summary>
public sealed partial class MigrationContext
{
    private readonly List<(DocumentWrite Write, int PlanIndex)> _pending = [];
    private readonly List<PlannedWrite> _plan = [];

    // Batches sent and not yet awaited (at most the store's MaxWriteBatchesInFlight), the documents they write (a batch
    // touching one of them waits for all to land, so each document's writes stay in order), and the plan lines of
    // batches that failed (not confirmed). Outcomes are applied only when a batch is awaited, on the caller's flow.
    private readonly Queue<(List<(DocumentWrite Write, int PlanIndex)> Batch, Task<IReadOnlyList<WriteOutcome>> Outcomes)> _inFlight = new();
    private readonly HashSet<DocumentPath> _inFlightPaths = [];
    private readonly HashSet<int> _unconfirmed = [];

    // How many batches may be in flight at once: what the store's capabilities say (one when it takes them one at a time).
    private readonly int _batchesInFlight;

    internal MigrationContext(string service, IDocumentStore store, ILogger logger, bool dryRun, IConcurrentWriteBatchStore? concurrentWrites = null)
    {
        _batchesInFlight = Math.Max(1, concurrentWrites?.MaxWriteBatchesInFlight ?? 1);
        Service = service;
        Store = store;
        Logger = logger;
        DryRun = dryRun;
    }

    /// <summary>The service being migrated.</summary>
    public string Service { get; }

    /// <summary>The store, for reads; write through <see cref="WriteAsync"/> so batching, dry run and the plan work.</summary>
    public IDocumentStore Store { get; }

    /// <summary>The runner's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>True when nothing may be written.</summary>
    public bool DryRun { get; }

    /// <summary>What was done (or would be done), in order.</summary>
    public IReadOnlyList<PlannedWrite> Plan => _plan;

    /// <summary>The plan without the writes still queued or in a batch that failed: what the store confirmed, for a failed file's report.</summary>
    internal IReadOnlyList<PlannedWrite> Confirmed
    {
        get
        {
            var unsent = _pending.Select(p => p.PlanIndex).Concat(_inFlight.SelectMany(f => f.Batch.Select(p => p.PlanIndex))).Concat(_unconfirmed).ToHashSet();
            return _plan.Where((_, i) => !unsent.Contains(i)).ToArray();
        }
    }

    /// <summary>The store's commit times of the first and last applied write, which tell later which documents this run created.</summary>
    internal (Timestamp First, Timestamp Last)? WriteWindow { get; private set; }

    /// <summary>Documents whose write was refused by its precondition (changed or created by someone else meanwhile).</summary>
    public int Conflicts { get; private set; }

    /// <summary>Records a document left alone, for the plan and the report.</summary>
    public void Skip(DocumentPath path, PlanAction action = PlanAction.SkipExists, int line = 0) => _plan.Add(new PlannedWrite(path, action, line));

    /// <summary>Records what happened to a document written outside <see cref="WriteAsync"/> (a fenced commit).</summary>
    internal void Record(PlannedWrite entry) => _plan.Add(entry);

    /// <summary>
    /// Queues a write; it is sent with others in one batch (or, in a dry run, only planned). A store that takes several
    /// batches at once (<see cref="StoreCapabilities.ConcurrentWrites"/>) may still be writing it when this returns: call
    /// <see cref="FlushAsync"/> before reading back what was written.
    /// </summary>
    public async Task WriteAsync(DocumentWrite write, PlanAction action, int line = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        _plan.Add(new PlannedWrite(write.Path, action, line));
        if (DryRun)
        {
            return;
        }

        _pending.Add((write, _plan.Count - 1));
        if (_pending.Count >= Store.MaxBatchSize)
        {
            await SendAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends queued writes and waits for every batch in flight. A write whose precondition failed is recorded as
    /// skipped, never retried blindly. When a batch fails, the others in flight are still awaited before it throws.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_pending.Count > 0)
        {
            await SendAsync(cancellationToken).ConfigureAwait(false);
        }

        await LandAsync(0).ConfigureAwait(false);
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var batch = _pending.ToList();
        _pending.Clear();
        var inFlight = _batchesInFlight;
        var overlaps = batch.Exists(p => _inFlightPaths.Contains(p.Write.Path));
        try
        {
            await LandAsync(overlaps ? 0 : inFlight - 1).ConfigureAwait(false);
        }
        catch
        {
            // Never sent: not confirmed either.
            _unconfirmed.UnionWith(batch.Select(p => p.PlanIndex));
            throw;
        }

        Task<IReadOnlyList<WriteOutcome>> outcomes;
        try
        {
            outcomes = Store.WriteBatchAsync(batch.Select(p => p.Write).ToArray(), cancellationToken);
        }
        catch (Exception e)
        {
            // A store that throws before returning its task fails like one whose task faults: when the batch is awaited.
            outcomes = Task.FromException<IReadOnlyList<WriteOutcome>>(e);
        }

        _inFlight.Enqueue((batch, outcomes));
        _inFlightPaths.UnionWith(batch.Select(p => p.Write.Path));
    }

    // Awaits the oldest batches until at most `leave` are in flight; after a failure, all of them, then throws the first.
    private async Task LandAsync(int leave)
    {
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        while (_inFlight.Count > (failure is null ? leave : 0))
        {
            var (batch, task) = _inFlight.Dequeue();
            try
            {
                Apply(batch, await task.ConfigureAwait(false));
            }
            catch (Exception e)
            {
                _unconfirmed.UnionWith(batch.Select(p => p.PlanIndex));
                failure ??= System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                if (_inFlight.Count == 0)
                {
                    _inFlightPaths.Clear();
                }
                else
                {
                    _inFlightPaths.ExceptWith(batch.Select(p => p.Write.Path));
                }
            }
        }

        failure?.Throw();
    }

    private void Apply(List<(DocumentWrite Write, int PlanIndex)> batch, IReadOnlyList<WriteOutcome> outcomes)
    {
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i] is { Applied: true, UpdateTime: { } time })
            {
                WriteWindow = WriteWindow is { } window
                    ? (time < window.First ? time : window.First, time > window.Last ? time : window.Last)
                    : (time, time);
            }

            if (!outcomes[i].Applied)
            {
                // Created or changed by someone else since we read it: report it left alone, never overwrite it.
                var index = batch[i].PlanIndex;
                var plan = _plan[index];
                _plan[index] = plan with { Action = plan.Action == PlanAction.Create ? PlanAction.SkipExists : PlanAction.SkipUnchanged };
                Conflicts++;
            }
        }
    }

    /// <summary>
    /// Every document of a query, page by page (ordered by path, resumed with a cursor), so memory holds one page
    /// whatever the collection's size. The same as <see cref="DocumentStorePaging.QueryAllAsync"/> on <see cref="Store"/>.
    /// </summary>
    public IAsyncEnumerable<DocumentSnapshot> QueryAllAsync(DocumentQuery query, int pageSize = 500, CancellationToken cancellationToken = default) =>
        Store.QueryAllAsync(query, pageSize, cancellationToken);
}
