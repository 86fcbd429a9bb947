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
    private readonly List<Queued> _pending = [];

    // The plan: the first lines of each step listed, the rest counted (RunRequest.PlanLimit), so memory stays flat.
    private readonly PlanRecorder _plan;

    // Batches sent and not yet awaited (at most the store's MaxWriteBatchesInFlight), the documents they write (a batch
    // touching one of them waits for all to land, so each document's writes stay in order), and the plan lines of
    // batches that failed (not confirmed). Outcomes are applied only when a batch is awaited, on the caller's flow.
    private readonly Queue<(List<Queued> Batch, Task<IReadOnlyList<WriteOutcome>> Outcomes)> _inFlight = new();
    private readonly HashSet<DocumentPath> _inFlightPaths = [];
    private readonly List<Queued> _unconfirmed = [];

    // The run's write budget (--max-writes-per-second), shared by every context of the runner; null: unlimited.
    private readonly WriteBudget? _budget;

    /// <summary>The run's write budget (see <see cref="SeedRunnerOptions.MaxWritesPerSecond"/>); null: unlimited.</summary>
    internal WriteBudget? Budget => _budget;

    // How many batches may be in flight at once: what the store's capabilities say (one when it takes them one at a time).
    private readonly int _batchesInFlight;

    internal MigrationContext(
        string service, IDocumentStore store, ILogger logger, bool dryRun, IConcurrentWriteBatchStore? concurrentWrites = null, int planLimit = int.MaxValue, WriteBudget? budget = null)
    {
        _plan = new PlanRecorder(planLimit);
        _budget = budget;
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

    /// <summary>
    /// What was done (or would be done), in order: the first <see cref="RunRequest.PlanLimit"/> documents of each step;
    /// the rest are counted in the file's report (<see cref="SeedReport.PlanOmitted"/>), not listed.
    /// </summary>
    public IReadOnlyList<PlannedWrite> Plan => _plan.Lines;

    /// <summary>The whole plan (listed lines, per-action counts, omissions), for the file's report.</summary>
    internal PlanSummary Summary() => new(_plan.Lines, _plan.Counts(), _plan.Omissions);

    /// <summary>The plan without the writes still queued or in a batch that failed: what the store confirmed, for a failed file's report.</summary>
    internal PlanSummary Confirmed
    {
        get
        {
            var unsent = _pending.Concat(_inFlight.SelectMany(f => f.Batch)).Concat(_unconfirmed).ToArray();
            var listed = unsent.Where(q => q.PlanIndex >= 0).Select(q => q.PlanIndex).ToHashSet();
            var counts = _plan.Counts().ToDictionary(c => c.Key, c => c.Value - unsent.Count(q => q.Action == c.Key));
            return new PlanSummary(_plan.Lines.Where((_, i) => !listed.Contains(i)).ToArray(), counts, _plan.Omissions);
        }
    }

    /// <summary>The store's commit times of the first and last applied write, which tell later which documents this run created.</summary>
    internal (Timestamp First, Timestamp Last)? WriteWindow { get; private set; }

    /// <summary>Receives a dry run's writes with their plan index, when the plan is being saved (<see cref="Plans.SavedPlan"/>).</summary>
    internal Action<DocumentWrite, int>? Capture { get; set; }

    /// <summary>Documents whose write was refused by its precondition (changed or created by someone else meanwhile).</summary>
    public int Conflicts { get; private set; }

    /// <summary>Records a document left alone, for the plan and the report.</summary>
    public void Skip(DocumentPath path, PlanAction action = PlanAction.SkipExists, int line = 0) => _plan.Add(new PlannedWrite(path, action, line));

    /// <summary>Records what happened to a document written outside <see cref="WriteAsync"/> (a fenced commit).</summary>
    internal void Record(PlannedWrite entry) => _plan.Add(entry);

    /// <summary>A new step begins: the plan lists its first documents up to the limit again.</summary>
    internal void BeginStep(string step, int line) => _plan.BeginStep(step, line);

    /// <summary>
    /// Queues a write; it is sent with others in one batch (or, in a dry run, only planned). A store that takes several
    /// batches at once (<see cref="StoreCapabilities.ConcurrentWrites"/>) may still be writing it when this returns: call
    /// <see cref="FlushAsync"/> before reading back what was written.
    /// </summary>
    public async Task WriteAsync(DocumentWrite write, PlanAction action, int line = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var index = _plan.Add(new PlannedWrite(write.Path, action, line));
        if (DryRun)
        {
            Capture?.Invoke(write, index);
            return;
        }

        _pending.Add(new Queued(write, index, action));
        if (_pending.Count >= (_budget?.BatchSize(Store.MaxBatchSize) ?? Store.MaxBatchSize))
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
            _unconfirmed.AddRange(batch);
            throw;
        }

        if (_budget is not null)
        {
            // The budget paces batches as they are sent (every migration write of the run, backfills included).
            await _budget.WaitAsync(batch.Count, cancellationToken).ConfigureAwait(false);
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
                _unconfirmed.AddRange(batch);
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

    private void Apply(List<Queued> batch, IReadOnlyList<WriteOutcome> outcomes)
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
                var queued = batch[i];
                var skip = queued.Action == PlanAction.Create ? PlanAction.SkipExists : PlanAction.SkipUnchanged;
                _plan.Change(queued.PlanIndex, queued.Action, skip);
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

    // A write queued or sent: its plan line (-1 when only counted) and the action it was counted under.
    private sealed record Queued(DocumentWrite Write, int PlanIndex, PlanAction Action);
}

/// <summary>A file's plan for its report: the listed lines, every action's count, and what each step left unlisted.</summary>
internal sealed record PlanSummary(IReadOnlyList<PlannedWrite> Lines, IReadOnlyDictionary<PlanAction, long> Counts, IReadOnlyList<PlanOmission> Omissions);
