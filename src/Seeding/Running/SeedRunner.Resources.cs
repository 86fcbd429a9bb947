using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Resources;

namespace Seeding.Running;

/// <summary>
/// How resource steps are carried out: Pub/Sub topics and subscriptions through <see cref="SeedRunnerOptions.PubSub"/>,
/// Firestore indexes and field overrides through the store's <see cref="IIndexAdmin"/>. A dry run calls only the
/// reading methods (Get*, List*); a step without a target is reported as <see cref="ResourceAction.NoTarget"/>.
/// </summary>
public sealed partial class SeedRunner
{
    private const string PubSubMissing =
        "no Pub/Sub target: set PUBSUB_EMULATOR_HOST for the emulator, or PUBSUB_PROJECT_ID for a project (a run on production Firestore uses its project)";

    // A create answered ALREADY_EXISTS: another runner created it, or an earlier attempt of this same call whose
    // answer was lost (the client retries) did.
    private const string AlreadyExisted = "already existed (created by another runner, or by an earlier attempt of this call)";

    private const string StillBuilding = "still building: queries that need it fail until it is built";

    // How --wait-for-indexes polls an index it did not start (or cannot follow by operation): 1 s doubling to 30 s.
    private static readonly TimeSpan FirstIndexPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestIndexPoll = TimeSpan.FromSeconds(30);

    private const string FixedAdvice = "fixed at creation: delete the subscription to change it";

    /// <summary>
    /// True when a later run on the same store may have the target this one lacked, so a migration records it as left
    /// without one (<see cref="MigrationStatus.ResourcesWithoutTarget"/>) for that run to finish. Pub/Sub is configured per
    /// process; indexes belong to the database that also holds the history, and a store without an index API (SQLite,
    /// the Firestore emulator) never gains one, so nothing is left for a later run.
    /// </summary>
    internal static bool LaterRunMayHave(ResourceTarget target) => target == ResourceTarget.PubSub;

    /// <summary>Which target a resource kind needs.</summary>
    internal static ResourceTarget TargetOf(ResourceKind kind) =>
        kind is ResourceKind.Topic or ResourceKind.Subscription ? ResourceTarget.PubSub : ResourceTarget.Indexes;

    private static ResourceKind KindOf(ResourceStep step) => step switch
    {
        TopicStep => ResourceKind.Topic,
        SubscriptionStep => ResourceKind.Subscription,
        IndexStep => ResourceKind.Index,
        FieldOverrideStep => ResourceKind.FieldOverride,
        _ => throw new NotSupportedException($"line {step.Line}: resource step '{step.Verb}' needs a newer Seeding runtime."),
    };

    private static string NameOf(ResourceStep step) => step switch
    {
        IndexStep index => index.Spec.ToString(),
        _ => step.Collection,
    };

    // Null when this run can manage the target; otherwise why not, and what to do about it.
    private string? WhyNoTarget(ResourceTarget target) => target switch
    {
        ResourceTarget.PubSub => _options.PubSub is null ? PubSubMissing : null,
        _ => _store is IIndexAdmin admin ? admin.IndexesUnavailableReason : $"the {_store.Name} store has no Firestore indexes to manage",
    };

    /// <summary>Ensures one resource step of <paramref name="seed"/> and returns what was (or would be) done.</summary>
    private async Task<PlannedResource> ApplyResourceStepAsync(RunState run, SeedDefinition seed, ResourceStep step)
    {
        var kind = KindOf(step);
        var why = WhyNoTarget(TargetOf(kind));
        var planned = why is not null
            ? new PlannedResource(kind, NameOf(step), ResourceAction.NoTarget, step.Line)
            {
                Note = seed.IsMigration && LaterRunMayHave(TargetOf(kind)) ? $"{why}; a later run with a target ensures it" : why,
            }
            : step switch
            {
                TopicStep topic => await EnsureTopicAsync(run, seed, topic).ConfigureAwait(false),
                SubscriptionStep subscription => await EnsureSubscriptionAsync(run, seed, subscription).ConfigureAwait(false),
                IndexStep index => await EnsureIndexAsync(run, index).ConfigureAwait(false),
                _ => await EnsureFieldAsync(run, (FieldOverrideStep)step).ConfigureAwait(false),
            };
        LogResource(run.Service, seed.ToString(), RunVocabulary.Kind(planned.Kind), planned.Name, planned.Line, RunVocabulary.Action(planned.Action), planned.Note is null ? string.Empty : $": {planned.Note}");
        return planned;
    }

    // A migration's real run creates first: what does not exist yet (every resource of a first run) costs one call
    // instead of a Get and a Create, and what exists answers ALREADY_EXISTS and is then read to say how it differs.
    // A dry run only reads, and a bootstrap file reads first because it compares and updates what exists.
    private static bool CreatesFirst(RunState run, SeedDefinition seed) => seed.IsMigration && !run.Request.DryRun;

    // What topics and subscriptions share: creating what is absent (or, in a dry run, planning it). Returns the step's
    // result when that decides it, else the existing resource to compare with the declared one.
    private static async Task<(PlannedResource? Done, TSpec Existing)> FindOrCreateAsync<TSpec>(
        RunState run,
        SeedDefinition seed,
        ResourceStep step,
        ResourceKind kind,
        string name,
        TSpec spec,
        System.Collections.Concurrent.ConcurrentDictionary<string, TSpec> dryRunPlanned,
        Func<CancellationToken, Task<TSpec?>> get,
        Func<CancellationToken, Task<bool>> create)
        where TSpec : class
    {
        var token = run.CancellationToken;
        if (CreatesFirst(run, seed))
        {
            if (await create(token).ConfigureAwait(false))
            {
                return (Planned(step, kind, ResourceAction.Create, null), spec);
            }

            var found = await get(token).ConfigureAwait(false);
            return found is null ? (Planned(step, kind, ResourceAction.SkipExists, AlreadyExisted), spec) : (null, found); // (null: deleted since)
        }

        var existing = dryRunPlanned.TryGetValue(name, out var planned) ? planned : await get(token).ConfigureAwait(false);
        if (existing is not null)
        {
            return (null, existing);
        }

        var created = run.Request.DryRun ? Planned(dryRunPlanned, name, spec) : await create(token).ConfigureAwait(false);
        return (Planned(step, kind, created ? ResourceAction.Create : ResourceAction.SkipExists, created ? null : AlreadyExisted), spec);
    }

    private async Task<PlannedResource> EnsureTopicAsync(RunState run, SeedDefinition seed, TopicStep step)
    {
        var pubSub = _options.PubSub!;
        var spec = step.Spec;
        var (done, existing) = await FindOrCreateAsync(run, seed, step, ResourceKind.Topic, spec.Name, spec, run.DryRunTopics,
            ct => pubSub.GetTopicAsync(spec.Name, ct), ct => pubSub.CreateTopicAsync(spec, ct)).ConfigureAwait(false);
        if (done is not null)
        {
            return done;
        }

        var differences = spec.DifferencesFrom(existing);
        if (seed.IsMigration || differences.Count == 0)
        {
            return Unchanged(step, ResourceKind.Topic, seed, differences, []);
        }

        if (run.Request.DryRun)
        {
            run.DryRunTopics[spec.Name] = spec.MergedOnto(existing);
        }
        else
        {
            await pubSub.UpdateTopicAsync(spec.MergedOnto(existing), differences, run.CancellationToken).ConfigureAwait(false);
        }

        return Planned(step, ResourceKind.Topic, ResourceAction.Update, $"updates {string.Join(", ", differences)}");
    }

    private async Task<PlannedResource> EnsureSubscriptionAsync(RunState run, SeedDefinition seed, SubscriptionStep step)
    {
        var pubSub = _options.PubSub!;
        var spec = step.Spec;
        var (done, existing) = await FindOrCreateAsync(run, seed, step, ResourceKind.Subscription, spec.Name, spec, run.DryRunSubscriptions,
            ct => pubSub.GetSubscriptionAsync(spec.Name, ct), ct => pubSub.CreateSubscriptionAsync(spec, ct)).ConfigureAwait(false);
        if (done is not null)
        {
            return done;
        }

        // What Pub/Sub cannot change once the subscription exists is never sent: it is reported, and warned about,
        // because no run can converge it.
        var differences = spec.DifferencesFrom(existing);
        var fixedOnes = differences.Where(SubscriptionSpec.FixedSettings.Contains).ToList();
        if (!string.Equals(existing.Topic, spec.Topic, StringComparison.Ordinal))
        {
            fixedOnes.Insert(0, $"topic (it subscribes to '{existing.Topic}', declared '{spec.Topic}')");
        }

        var updatable = differences.Where(d => !SubscriptionSpec.FixedSettings.Contains(d)).ToArray();
        if (fixedOnes.Count > 0)
        {
            LogFixedSettingsDiffer(run.Service, seed.ToString(), spec.Name, step.Line, string.Join(", ", fixedOnes));
        }

        if (seed.IsMigration || updatable.Length == 0)
        {
            return Unchanged(step, ResourceKind.Subscription, seed, updatable, fixedOnes);
        }

        // Fixed settings keep the existing values even in what is sent, so no client can send them by mistake.
        var merged = spec.MergedOnto(existing) with { Filter = existing.Filter };
        if (run.Request.DryRun)
        {
            run.DryRunSubscriptions[spec.Name] = merged;
        }
        else
        {
            await pubSub.UpdateSubscriptionAsync(merged, updatable, run.CancellationToken).ConfigureAwait(false);
        }

        var note = $"updates {string.Join(", ", updatable)}";
        return Planned(step, ResourceKind.Subscription, ResourceAction.Update, fixedOnes.Count == 0 ? note : $"{note}; {FixedNote(fixedOnes)}");
    }

    // An existing topic or subscription left alone: unchanged, or (a migration never changes what exists) differing.
    private static PlannedResource Unchanged(ResourceStep step, ResourceKind kind, SeedDefinition seed, IReadOnlyCollection<string> differences, IReadOnlyCollection<string> fixedOnes)
    {
        var notes = new List<string>(2);
        if (differences.Count > 0)
        {
            notes.Add($"differs: {string.Join(", ", differences)} (a migration never changes what exists; declare it in a bootstrap file to keep it updated)");
        }

        if (fixedOnes.Count > 0)
        {
            notes.Add(FixedNote(fixedOnes));
        }

        var action = seed.IsMigration || notes.Count > 0 ? ResourceAction.SkipExists : ResourceAction.SkipUnchanged;
        return Planned(step, kind, action, notes.Count == 0 ? null : string.Join("; ", notes));
    }

    private static string FixedNote(IReadOnlyCollection<string> fixedOnes) =>
        $"{string.Join(", ", fixedOnes)} {(fixedOnes.Count == 1 ? "differs" : "differ")} but {(fixedOnes.Count == 1 ? "is" : "are")} {FixedAdvice}";

    private async Task<PlannedResource> EnsureIndexAsync(RunState run, IndexStep step)
    {
        var admin = (IIndexAdmin)_store;
        var spec = step.Spec;
        var known = await IndexesOfAsync(run, admin, spec.CollectionGroup).ConfigureAwait(false);
        if (known.FirstOrDefault(state => state.Index.SameIndexAs(spec)) is { } found)
        {
            return await ExistingIndexAsync(run, admin, step, found.State, null).ConfigureAwait(false);
        }

        // Later steps of this run see the index as this step leaves it: built when the run waits, building otherwise.
        var after = run.Request.WaitForIndexes ? IndexBuildState.Ready : IndexBuildState.Creating;
        if (run.Request.DryRun)
        {
            known.Add(new IndexState(spec, after));
            return Planned(step, ResourceKind.Index, ResourceAction.Create, null);
        }

        var operation = await admin.CreateIndexAsync(spec, run.CancellationToken).ConfigureAwait(false);
        if (operation.AlreadyExisted)
        {
            // It may still be building (or have failed): its state decides, as for an index found by the list.
            var state = await IndexStateAsync(run, admin, spec).ConfigureAwait(false) ?? IndexBuildState.Creating;
            return await ExistingIndexAsync(run, admin, step, state, AlreadyExisted).ConfigureAwait(false);
        }

        known.Add(new IndexState(spec, after));
        return await WaitOrBuildingAsync(run, admin, step, ResourceKind.Index, ResourceAction.Create, operation).ConfigureAwait(false);
    }

    // An index that exists: reported as existing only once it is built (waited for when the run asks to), as building
    // otherwise; one whose build failed fails the step, so a migration is never recorded over a broken index.
    private async Task<PlannedResource> ExistingIndexAsync(RunState run, IIndexAdmin admin, IndexStep step, IndexBuildState state, string? note)
    {
        if (state == IndexBuildState.Creating && run.Request.WaitForIndexes)
        {
            if (run.Request.DryRun)
            {
                return Planned(step, ResourceKind.Index, ResourceAction.SkipExists, Joined(note, "still building: the run waits until it is built"));
            }

            state = await WaitUntilBuiltAsync(run, admin, step).ConfigureAwait(false);
        }

        return state switch
        {
            IndexBuildState.Ready => Planned(step, ResourceKind.Index, ResourceAction.SkipExists, note),
            IndexBuildState.Creating => Planned(step, ResourceKind.Index, ResourceAction.Building, note is null ? StillBuilding : $"{note} and is {StillBuilding}"),
            _ => throw NeedsRepair(run, step),
        };
    }

    // Polls the collection group's indexes (backing off on the runner's clock) until the index is READY or its build
    // failed; the lease is checked between polls, since a long build can outlast it.
    private async Task<IndexBuildState> WaitUntilBuiltAsync(RunState run, IIndexAdmin admin, IndexStep step)
    {
        var delay = FirstIndexPoll;
        while (true)
        {
            LogWaitingForIndex(run.Service, step.Spec.ToString(), step.Line, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _options.Time, run.CancellationToken).ConfigureAwait(false);
            run.Lease?.ThrowIfLost();
            // Not listed (yet) counts as still building: a create that answered ALREADY_EXISTS names an index that exists.
            var state = await IndexStateAsync(run, admin, step.Spec).ConfigureAwait(false) ?? IndexBuildState.Creating;
            if (state != IndexBuildState.Creating)
            {
                return state;
            }

            delay = delay * 2 < LongestIndexPoll ? delay * 2 : LongestIndexPoll;
        }
    }

    // Lists the index's collection group afresh (replacing the run's list, so later steps see the latest states) and
    // returns the index's state, or null when it is not listed.
    private static async Task<IndexBuildState?> IndexStateAsync(RunState run, IIndexAdmin admin, IndexSpec spec)
    {
        List<IndexState> listed = [.. await admin.ListIndexesAsync(spec.CollectionGroup, run.CancellationToken).ConfigureAwait(false)];
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

    private async Task<PlannedResource> EnsureFieldAsync(RunState run, FieldOverrideStep step)
    {
        var admin = (IIndexAdmin)_store;
        var spec = step.Spec;
        var existing = run.DryRunFields.TryGetValue(spec.ToString(), out var planned)
            ? planned
            : await admin.GetFieldAsync(spec.CollectionGroup, spec.FieldPath, run.CancellationToken).ConfigureAwait(false);
        if (spec.HeldBy(existing))
        {
            return Planned(step, ResourceKind.FieldOverride, ResourceAction.SkipUnchanged, null);
        }

        if (run.Request.DryRun)
        {
            run.DryRunFields[spec.ToString()] = existing with { Indexes = spec.Indexes ?? existing.Indexes, Ttl = spec.Ttl ?? existing.Ttl };
            return Planned(step, ResourceKind.FieldOverride, ResourceAction.Update, null);
        }

        // Setting a field is idempotent (IIndexAdmin reports "already exists" for index creates only).
        var operation = await admin.UpdateFieldAsync(spec, run.CancellationToken).ConfigureAwait(false);
        return await WaitOrBuildingAsync(run, admin, step, ResourceKind.FieldOverride, ResourceAction.Update, operation).ConfigureAwait(false);
    }

    // A started operation: waited for when the run asks to (a failed build fails the step, so a migration stays
    // pending and the next run tries again), otherwise reported as building.
    private static async Task<PlannedResource> WaitOrBuildingAsync(RunState run, IIndexAdmin admin, ResourceStep step, ResourceKind kind, ResourceAction done, IndexOperation operation)
    {
        if (run.Request.WaitForIndexes)
        {
            await admin.WaitAsync(operation, run.CancellationToken).ConfigureAwait(false);
            return Planned(step, kind, done, null);
        }

        return Planned(step, kind, ResourceAction.Building,
            $"operation {operation.Name ?? "(unnamed)"} started: queries that need it fail until it is built; --wait-for-indexes waits for it");
    }

    // One list per collection group per run: later index steps on the same group (and the same index in a later
    // file) are decided against it, and indexes this run starts are added to it.
    private static async Task<List<IndexState>> IndexesOfAsync(RunState run, IIndexAdmin admin, string collectionGroup)
    {
        if (!run.Indexes.TryGetValue(collectionGroup, out var known))
        {
            known = [.. await admin.ListIndexesAsync(collectionGroup, run.CancellationToken).ConfigureAwait(false)];
            run.Indexes[collectionGroup] = known;
        }

        return known;
    }

    // A dry run's create: remembered for later steps, reported as created.
    private static bool Planned<T>(IDictionary<string, T> planned, string name, T spec)
    {
        planned[name] = spec;
        return true;
    }

    private static PlannedResource Planned(ResourceStep step, ResourceKind kind, ResourceAction action, string? note) =>
        new(kind, NameOf(step), action, step.Line) { Note = note };

    private static void RecordResourceMetrics(string service, SeedReport report)
    {
        foreach (var group in report.Resources.GroupBy(r => (r.Kind, r.Action)))
        {
            SeedingTelemetry.Resources.Add(group.Count(), new("seeding.service", service), new("seeding.kind", group.Key.Kind.ToString()), new("seeding.action", group.Key.Action.ToString()));
        }
    }

    [LoggerMessage(10, LogLevel.Information, "{Service} {Seed}: {Kind} {Name} (line {Line}): {Action}{Note}")]
    private partial void LogResource(string service, string seed, string kind, string name, int line, string action, string note);

    [LoggerMessage(11, LogLevel.Warning, "{Service} {Seed}: subscription {Name} (line {Line}): {Settings} cannot change once the subscription exists, so it is left as it is; delete the subscription to change it")]
    private partial void LogFixedSettingsDiffer(string service, string seed, string name, int line, string settings);

    [LoggerMessage(12, LogLevel.Warning, "{Service}: index {Index} (line {Line}) exists but its build failed (NEEDS_REPAIR); delete it and run again to create it anew")]
    private partial void LogIndexNeedsRepair(string service, string index, int line);

    [LoggerMessage(15, LogLevel.Information, "{Service}: index {Index} (line {Line}) is still building; looking again in {DelayMs} ms")]
    private partial void LogWaitingForIndex(string service, string index, int line, long delayMs);
}
