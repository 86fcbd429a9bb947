using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Running;

/// <summary>How each kind of step is carried out.</summary>
public sealed partial class SeedRunner
{
    // Takes the lease once per run, announcing the migrations that may start writing under it.
    private async Task EnsureLeaseAsync(RunState run, IEnumerable<string>? migrations = null)
    {
        run.Lease ??= await LeaseLock.AcquireAsync(_store, run.Service, migrations ?? [], _options, run.CancellationToken).ConfigureAwait(false);
    }

    // create / upsert by id: planned against the batched read, written in batches with preconditions.
    private static async Task ApplyKeyedStepAsync(RunState run, SeedStep step, MigrationContext context)
    {
        var planned = SeedPlanner.PlanStep(step, run.Snapshots);

        // Later steps and files in this run see what this one writes, so a dry run's plan is exact across them.
        SeedPlanner.Simulate(run.Snapshots, planned.Select(p => p.Write));
        foreach (var (plan, write) in planned)
        {
            if (write is null)
            {
                context.Skip(plan.Path, plan.Action, plan.Line);
            }
            else
            {
                await context.WriteAsync(write, plan.Action, plan.Line, run.CancellationToken).ConfigureAwait(false);
            }
        }
    }

    // create with match: one query per document (queries cannot be batched). Ids derived from the match values
    // make concurrent creators collide on one id; random ids are only minted under the lease lock.
    private async Task ApplyMatchStepAsync(RunState run, SeedDefinition seed, MatchStep step, MigrationContext context)
    {
        foreach (var document in step.Documents)
        {
            var filters = step.MatchFields.Select(field => document.Fields.TryGetValue(field, out var value)
                ? FieldFilter.EqualTo(field, value)
                : throw new InvalidOperationException($"{seed.SourcePath}:{document.Line}: the document has no value for match field '{field}'."))
                .ToArray();
            var query = new DocumentQuery(step.Collection, filters, Limit: 1);
            var found = await _store.QueryAsync(query, run.CancellationToken).ConfigureAwait(false);
            if (found.Count == 0 && !step.NewId.IsDerived && !run.Request.DryRun)
            {
                await EnsureLeaseAsync(run).ConfigureAwait(false);
                found = await _store.QueryAsync(query, run.CancellationToken).ConfigureAwait(false);
            }

            if (found.Count > 0)
            {
                context.Skip(found[0].Path, PlanAction.SkipExists, document.Line);
                continue;
            }

            var id = step.NewId.NewId(filters.Select(f => f.Value!.ToString()).ToArray());
            var create = DocumentWrite.Create(DocumentPath.Create(step.Collection, id), document.Fields);
            if (step.NewId.IsDerived || run.Request.DryRun)
            {
                await context.WriteAsync(create, PlanAction.Create, document.Line, run.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CreateFencedAsync(run.Lease!, create, document.Line, context, run.CancellationToken).ConfigureAwait(false);
            }
        }
    }

    // A random id cannot collide with a concurrent creator's, so the lease is the only guard: the create commits
    // together with a renewal, and a holder that stalled past its lease (and was taken over) creates nothing.
    private async Task CreateFencedAsync(LeaseLock lease, DocumentWrite create, int line, MigrationContext context, CancellationToken cancellationToken)
    {
        await context.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await lease.CommitHoldingAsync([create], cancellationToken).ConfigureAwait(false);
            context.Record(new PlannedWrite(create.Path, PlanAction.Create, line));
        }
        catch (PreconditionFailedException e) when (e.Path == create.Path)
        {
            context.Record(new PlannedWrite(create.Path, PlanAction.SkipExists, line));
        }
    }

    // backfill: equality conditions go to the store, null-or-missing is checked here (Firestore cannot query a
    // missing field); pages of 500, writes with update-time preconditions so a document changed meanwhile is left
    // for the next run instead of being overwritten.
    private static async Task ApplyBackfillStepAsync(BackfillStep step, MigrationContext context, CancellationToken cancellationToken)
    {
        var equality = step.Where.Where(c => !c.Value.IsNull).Select(c => FieldFilter.EqualTo(c.Key, c.Value)).ToArray();
        await foreach (var document in context.QueryAllAsync(new DocumentQuery(step.Collection, equality), context.Store.MaxBatchSize, cancellationToken).ConfigureAwait(false))
        {
            if (step.Matches(document.Fields))
            {
                var write = DocumentWrite.Merge(document.Path, step.Set, Precondition.UpdatedAt(document.UpdateTime!.Value));
                await context.WriteAsync(write, PlanAction.Update, step.Line, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What one run carries from file to file.</summary>
    private sealed class RunState(string service, RunRequest request, Dictionary<DocumentPath, DocumentSnapshot> snapshots, CancellationToken cancellationToken)
    {
        public string Service { get; } = service;

        public RunRequest Request { get; } = request;

        public Dictionary<DocumentPath, DocumentSnapshot> Snapshots { get; } = snapshots;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public LeaseLock? Lease { get; set; }
    }
}
