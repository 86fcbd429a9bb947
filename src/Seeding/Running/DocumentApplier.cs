using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Running;

/// <summary>
/// Carries out the document steps of a file: <c>create</c>/<c>upsert</c> by id (keyed), <c>create</c> with <c>match</c>,
/// and <c>backfill</c>. Writes go through the file's <see cref="MigrationContext"/>, which batches them and keeps the plan.
/// </summary>
internal sealed class DocumentApplier(IDocumentStore store, WriteBudget? budget = null)
{
    /// <summary>Applies one document step of <paramref name="seed"/>.</summary>
    public Task ApplyAsync(RunState run, SeedDefinition seed, SeedStep step, MigrationContext context) => step switch
    {
        CreateStep or UpsertStep => ApplyKeyedStepAsync(run, step, context),
        MatchStep match => ApplyMatchStepAsync(run, seed, match, context),
        BackfillStep backfill => ApplyBackfillStepAsync(run, seed, backfill, context),
        _ => throw new NotSupportedException($"{seed.SourcePath}:{step.Line}: step verb '{step.Verb}' needs a newer Seeding runtime."),
    };

    // create / upsert by id: planned against the batched read, written in batches with preconditions. A streaming
    // run reads, plans and writes the step a chunk at a time instead, so memory holds one chunk whatever the size.
    private async Task ApplyKeyedStepAsync(RunState run, SeedStep step, MigrationContext context)
    {
        if (!run.Streamed)
        {
            var planned = SeedPlanner.PlanStep(step, run.Snapshots);

            // Later steps and files in this run see what this one writes, so a dry run's plan is exact across them.
            SeedPlanner.Simulate(run.Snapshots, planned.Select(p => p.Write));
            await WritePlannedAsync(run, planned, context).ConfigureAwait(false);
            return;
        }

        // A chunk closes at StreamChunk paths to read (one read each); documents whose snapshot the run already holds
        // (bootstrap documents from read 1, the first chunk read with the history, a dry run's simulated writes) ride
        // along, up to twice that many documents in all.
        var chunk = new List<SeedDocument>(SeedPlanner.StreamChunk);
        var unknown = new List<DocumentPath>(SeedPlanner.StreamChunk);
        foreach (var document in step.Documents)
        {
            chunk.Add(document);
            var path = DocumentPath.Create(step.Collection, document.Id);
            if (!run.Snapshots.ContainsKey(path))
            {
                unknown.Add(path);
            }

            if (unknown.Count == SeedPlanner.StreamChunk || chunk.Count == 2 * SeedPlanner.StreamChunk)
            {
                await ApplyChunkAsync(run, step, chunk, unknown, context).ConfigureAwait(false);
            }
        }

        await ApplyChunkAsync(run, step, chunk, unknown, context).ConfigureAwait(false);
    }

    private async Task ApplyChunkAsync(RunState run, SeedStep step, List<SeedDocument> chunk, List<DocumentPath> unknown, MigrationContext context)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        var read = unknown.Count == 0
            ? new Dictionary<DocumentPath, DocumentSnapshot>()
            : (await store.GetAllAsync(unknown.Distinct().ToArray(), run.CancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Path);
        var planned = SeedPlanner.PlanDocuments(step, chunk, path =>
            run.Snapshots.TryGetValue(path, out var known) ? known : read.TryGetValue(path, out var fresh) ? fresh : DocumentSnapshot.Missing(path));

        // A real run keeps no snapshot of what it writes (later steps read it back from the store, where it has
        // landed); a dry run writes nothing, so it keeps them to plan later steps exactly.
        SeedPlanner.Simulate(run.Snapshots, planned.Select(p => p.Write), knownOnly: !run.Request.DryRun);
        chunk.Clear();
        unknown.Clear();
        await WritePlannedAsync(run, planned, context).ConfigureAwait(false);
    }

    private static async Task WritePlannedAsync(RunState run, IReadOnlyList<(PlannedWrite Plan, DocumentWrite? Write)> planned, MigrationContext context)
    {
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
            var found = await store.QueryAsync(query, run.CancellationToken).ConfigureAwait(false);
            if (found.Count == 0 && !step.NewId.IsDerived && !run.Request.DryRun)
            {
                await run.EnsureLeaseAsync().ConfigureAwait(false);
                found = await store.QueryAsync(query, run.CancellationToken).ConfigureAwait(false);
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
    private static async Task CreateFencedAsync(LeaseLock lease, DocumentWrite create, int line, MigrationContext context, CancellationToken cancellationToken)
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
    // missing field); writes with update-time preconditions so a document changed meanwhile is left for the next run
    // instead of being overwritten. A real run of a migration reads it in partitions from checkpoints (BackfillScope,
    // whose workers wait for the budget before each commit); a dry run plans it in one sequence through the context
    // (paced by the run's budget there, and listing only the plan's first lines). The meter counts and reports progress.
    private async Task ApplyBackfillStepAsync(RunState run, SeedDefinition seed, BackfillStep step, MigrationContext context)
    {
        var cancellationToken = run.CancellationToken;
        var job = BackfillJob.ForStep(seed, step);
        var query = new DocumentQuery(step.Collection, job.Filters);
        var meter = new BackfillMeter(run.Service, seed, $"{step.Verb} {step.Collection}", step.Line, run.Request.DryRun, budget, run.Options);
        meter.Total = await BackfillMeter.CountAsync(run.Options.Capabilities.Snapshots, query, cancellationToken).ConfigureAwait(false);
        if (context.Backfills is { } scope)
        {
            await scope.RunAsync(job, context, null, meter, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await context.InSequenceAsync(query, job.UpdatePage, step.Line, meter, cancellationToken).ConfigureAwait(false);
            await context.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        meter.Complete();
    }
}
