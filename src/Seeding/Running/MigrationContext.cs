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
public sealed class MigrationContext
{
    private readonly List<(DocumentWrite Write, int PlanIndex)> _pending = [];
    private readonly List<PlannedWrite> _plan = [];

    internal MigrationContext(string service, IDocumentStore store, ILogger logger, bool dryRun)
    {
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
            var unsent = _pending.Select(p => p.PlanIndex).ToHashSet();
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

    /// <summary>Queues a write; it is sent with others in one batch (or, in a dry run, only planned).</summary>
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
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends queued writes. A write whose precondition failed is recorded as skipped, never retried blindly.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var outcomes = await Store.WriteBatchAsync(_pending.Select(p => p.Write).ToArray(), cancellationToken).ConfigureAwait(false);
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
                var index = _pending[i].PlanIndex;
                var plan = _plan[index];
                _plan[index] = plan with { Action = plan.Action == PlanAction.Create ? PlanAction.SkipExists : PlanAction.SkipUnchanged };
                Conflicts++;
            }
        }

        _pending.Clear();
    }

    /// <summary>
    /// Every document of a query, page by page (ordered by path, resumed with a cursor), so memory holds one page
    /// whatever the collection's size. The same as <see cref="DocumentStorePaging.QueryAllAsync"/> on <see cref="Store"/>.
    /// </summary>
    public IAsyncEnumerable<DocumentSnapshot> QueryAllAsync(DocumentQuery query, int pageSize = 500, CancellationToken cancellationToken = default) =>
        Store.QueryAllAsync(query, pageSize, cancellationToken);
}
