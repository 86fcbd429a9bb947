using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Resources;

namespace Seeding.Running;

/// <summary>
/// Carries out <c>index</c> and <c>field_override</c> steps through the index admin the run was given
/// (<see cref="Store.StoreCapabilities.Indexes"/>): created when absent, waited for when the run asks to
/// (<see cref="RunRequest.WaitForIndexes"/>), reported as building otherwise; a failed build fails the step.
/// </summary>
internal sealed partial class IndexApplier(IIndexAdmin admin, TimeProvider time, ILogger logger)
{
    private const string StillBuilding = "still building: queries that need it fail until it is built";

    // How --wait-for-indexes polls an index it did not start (or cannot follow by operation): 1 s doubling to 30 s.
    private static readonly TimeSpan FirstIndexPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestIndexPoll = TimeSpan.FromSeconds(30);

    private readonly IIndexAdmin _admin = admin;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;

    public async Task<PlannedResource> EnsureIndexAsync(RunState run, IndexStep step)
    {
        var spec = step.Spec;
        var known = await IndexesOfAsync(run, spec.CollectionGroup).ConfigureAwait(false);
        if (known.FirstOrDefault(state => state.Index.SameIndexAs(spec)) is { } found)
        {
            return await ExistingIndexAsync(run, step, found.State, null).ConfigureAwait(false);
        }

        // Later steps of this run see the index as this step leaves it: built when the run waits, building otherwise.
        var after = run.Request.WaitForIndexes ? IndexBuildState.Ready : IndexBuildState.Creating;
        if (run.Request.DryRun)
        {
            known.Add(new IndexState(spec, after));
            return ResourceSteps.Planned(step, ResourceKind.Index, ResourceAction.Create, null);
        }

        var operation = await _admin.CreateIndexAsync(spec, run.CancellationToken).ConfigureAwait(false);
        if (operation.AlreadyExisted)
        {
            // It may still be building (or have failed): its state decides, as for an index found by the list.
            var state = await IndexStateAsync(run, spec).ConfigureAwait(false) ?? IndexBuildState.Creating;
            return await ExistingIndexAsync(run, step, state, ResourceSteps.AlreadyExisted).ConfigureAwait(false);
        }

        known.Add(new IndexState(spec, after));
        return await WaitOrBuildingAsync(run, step, ResourceKind.Index, ResourceAction.Create, operation).ConfigureAwait(false);
    }

    // An index that exists: reported as existing only once it is built (waited for when the run asks to), as building
    // otherwise; one whose build failed fails the step, so a migration is never recorded over a broken index.
    private async Task<PlannedResource> ExistingIndexAsync(RunState run, IndexStep step, IndexBuildState state, string? note)
    {
        if (state == IndexBuildState.Creating && run.Request.WaitForIndexes)
        {
            if (run.Request.DryRun)
            {
                return ResourceSteps.Planned(step, ResourceKind.Index, ResourceAction.SkipExists, Joined(note, "still building: the run waits until it is built"));
            }

            state = await WaitUntilBuiltAsync(run, step).ConfigureAwait(false);
        }

        return state switch
        {
            IndexBuildState.Ready => ResourceSteps.Planned(step, ResourceKind.Index, ResourceAction.SkipExists, note),
            IndexBuildState.Creating => ResourceSteps.Planned(step, ResourceKind.Index, ResourceAction.Building, note is null ? StillBuilding : $"{note} and is {StillBuilding}"),
            _ => throw NeedsRepair(run, step),
        };
    }

    // Polls the collection group's indexes (backing off on the runner's clock) until the index is READY or its build
    // failed; the lease is checked between polls, since a long build can outlast it.
    private async Task<IndexBuildState> WaitUntilBuiltAsync(RunState run, IndexStep step)
    {
        var delay = FirstIndexPoll;
        while (true)
        {
            LogWaitingForIndex(run.Service, step.Spec.ToString(), step.Line, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, run.CancellationToken).ConfigureAwait(false);
            run.Lease?.ThrowIfLost();
            // Not listed (yet) counts as still building: a create that answered ALREADY_EXISTS names an index that exists.
            var state = await IndexStateAsync(run, step.Spec).ConfigureAwait(false) ?? IndexBuildState.Creating;
            if (state != IndexBuildState.Creating)
            {
                return state;
            }

            delay = delay * 2 < LongestIndexPoll ? delay * 2 : LongestIndexPoll;
        }
    }

    // Lists the index's collection group afresh (replacing the run's list, so later steps see the latest states) and
    // returns the index's state, or null when it is not listed.
    private async Task<IndexBuildState?> IndexStateAsync(RunState run, IndexSpec spec)
    {
        List<IndexState> listed = [.. await _admin.ListIndexesAsync(spec.CollectionGroup, run.CancellationToken).ConfigureAwait(false)];
        run.Indexes[spec.CollectionGroup] = listed;
        return listed.FirstOrDefault(i => i.Index.SameIndexAs(spec))?.State;
    }

    private InvalidOperationException NeedsRepair(RunState run, IndexStep step)
    {
        LogIndexNeedsRepair(run.Service, step.Spec.ToString(), step.Line);
        return new InvalidOperationException(
            $"Index {step.Spec} exists but its build failed (NEEDS_REPAIR), so queries that need it fail. Delete it in the Firebase or " +
            "Google Cloud console (Firestore > Indexes) or with `gcloud firestore indexes composite delete`, then run again to create it anew.");
    }

    private static string Joined(string? note, string more) => note is null ? more : $"{note}; {more}";

    public async Task<PlannedResource> EnsureFieldAsync(RunState run, FieldOverrideStep step)
    {
        var spec = step.Spec;
        var existing = run.DryRunFields.TryGetValue(spec.ToString(), out var planned)
            ? planned
            : await _admin.GetFieldAsync(spec.CollectionGroup, spec.FieldPath, run.CancellationToken).ConfigureAwait(false);
        if (spec.HeldBy(existing))
        {
            return ResourceSteps.Planned(step, ResourceKind.FieldOverride, ResourceAction.SkipUnchanged, null);
        }

        if (run.Request.DryRun)
        {
            run.DryRunFields[spec.ToString()] = existing with { Indexes = spec.Indexes ?? existing.Indexes, Ttl = spec.Ttl ?? existing.Ttl };
            return ResourceSteps.Planned(step, ResourceKind.FieldOverride, ResourceAction.Update, null);
        }

        // Setting a field is idempotent (IIndexAdmin reports "already exists" for index creates only).
        var operation = await _admin.UpdateFieldAsync(spec, run.CancellationToken).ConfigureAwait(false);
        return await WaitOrBuildingAsync(run, step, ResourceKind.FieldOverride, ResourceAction.Update, operation).ConfigureAwait(false);
    }

    // A started operation: waited for when the run asks to (a failed build fails the step, so a migration stays
    // pending and the next run tries again), otherwise reported as building.
    private async Task<PlannedResource> WaitOrBuildingAsync(RunState run, ResourceStep step, ResourceKind kind, ResourceAction done, IndexOperation operation)
    {
        if (run.Request.WaitForIndexes)
        {
            await _admin.WaitAsync(operation, run.CancellationToken).ConfigureAwait(false);
            return ResourceSteps.Planned(step, kind, done, null);
        }

        return ResourceSteps.Planned(step, kind, ResourceAction.Building,
            $"operation {operation.Name ?? "(unnamed)"} started: queries that need it fail until it is built; --wait-for-indexes waits for it");
    }

    // One list per collection group per run: later index steps on the same group (and the same index in a later
    // file) are decided against it, and indexes this run starts are added to it.
    private async Task<List<IndexState>> IndexesOfAsync(RunState run, string collectionGroup)
    {
        if (!run.Indexes.TryGetValue(collectionGroup, out var known))
        {
            known = [.. await _admin.ListIndexesAsync(collectionGroup, run.CancellationToken).ConfigureAwait(false)];
            run.Indexes[collectionGroup] = known;
        }

        return known;
    }

    [LoggerMessage(12, LogLevel.Warning, "{Service}: index {Index} (line {Line}) exists but its build failed (NEEDS_REPAIR); delete it and run again to create it anew")]
    private partial void LogIndexNeedsRepair(string service, string index, int line);

    [LoggerMessage(15, LogLevel.Information, "{Service}: index {Index} (line {Line}) is still building; looking again in {DelayMs} ms")]
    private partial void LogWaitingForIndex(string service, string index, int line, long delayMs);
}
