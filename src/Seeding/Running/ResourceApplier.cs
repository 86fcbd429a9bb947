using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Resources;
using Seeding.Store;

namespace Seeding.Running;

/// <summary>
/// Carries out the resource steps of a file: Pub/Sub topics and subscriptions through <see cref="SeedRunnerOptions.PubSub"/>
/// (here), Firestore indexes and field overrides through <see cref="StoreCapabilities.Indexes"/> (<see cref="IndexApplier"/>).
/// Consecutive topic (or subscription) steps are ensured several at a time. A dry run calls only the reading methods
/// (Get*, List*); a step without a target is reported as <see cref="ResourceAction.NoTarget"/> with the reason.
/// </summary>
internal sealed partial class ResourceApplier
{
    /// <summary>How many Pub/Sub topics (or subscriptions) of one file are ensured at a time.</summary>
    /// <remarks>
    /// Each costs a Get and a Create in sequence, so one at a time a file of 1,000 topics waits for 4,000 round trips
    /// in a row (the resources benchmark: 93-95% of the run). Topics do not depend on one another, nor do
    /// subscriptions (a subscription's topic comes from an earlier step), so a run of consecutive steps of one kind
    /// goes out a few at a time, reported in file order. Kept small: Pub/Sub's administrator operations have a
    /// per-project rate quota, and a RESOURCE_EXHAUSTED answer is retried with backoff by the client.
    /// </remarks>
    internal const int PubSubConcurrency = 8;

    private const string PubSubMissing =
        "no Pub/Sub target: set PUBSUB_EMULATOR_HOST for the emulator, or PUBSUB_PROJECT_ID for a project (a run on production Firestore uses its project)";

    private const string FixedAdvice = "fixed at creation: delete the subscription to change it";

    private readonly IDocumentStore _store;
    private readonly SeedRunnerOptions _options;
    private readonly ILogger _logger;
    private readonly IndexApplier? _indexes;

    public ResourceApplier(IDocumentStore store, SeedRunnerOptions options, ILogger logger)
    {
        _store = store;
        _options = options;
        _logger = logger;
        _indexes = options.Capabilities.Indexes is { } admin ? new IndexApplier(admin, options.Time, logger) : null;
    }

    /// <summary>
    /// The steps of <paramref name="steps"/> from <paramref name="start"/> that can be ensured together: consecutive
    /// topic steps (or subscription steps) with distinct names; any other step goes alone.
    /// </summary>
    internal static int BatchEnd(IReadOnlyList<SeedStep> steps, int start)
    {
        if (steps[start] is not (TopicStep or SubscriptionStep))
        {
            return start + 1;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var end = start;
        while (end < steps.Count && steps[end].GetType() == steps[start].GetType() && names.Add(steps[end].Collection))
        {
            end++;
        }

        return end;
    }

    /// <summary>Null when this run can manage <paramref name="target"/>; otherwise why not, and what to do about it.</summary>
    public string? WhyNoTarget(ResourceTarget target) => target switch
    {
        ResourceTarget.PubSub => _options.PubSub is null ? PubSubMissing : null,
        _ => _options.Capabilities.Indexes is { } admin ? admin.IndexesUnavailableReason : $"the {_store.Name} store has no Firestore indexes to manage",
    };

    /// <summary>
    /// Ensures the steps of <paramref name="steps"/> from <paramref name="start"/> to <see cref="BatchEnd"/>, up to
    /// <see cref="PubSubConcurrency"/> at a time, adds what was done to the attempt in file order, and returns where the
    /// next step starts. When some fail, every step that succeeded is still reported and the attempt names the first
    /// failed step in file order; the next run finds what this one created (skip, exists).
    /// </summary>
    public async Task<int> ApplyBatchAsync(RunState run, SeedDefinition seed, IReadOnlyList<SeedStep> steps, int start, SeedAttempt attempt)
    {
        var end = BatchEnd(steps, start);
        var batch = steps.Skip(start).Take(end - start).Cast<ResourceStep>().ToArray();
        run.Lease?.ThrowIfLost();
        if (batch.Length == 1)
        {
            attempt.At($"{batch[0].Verb} {batch[0].Collection}", batch[0].Line);
            attempt.Resources.Add(await ApplyStepAsync(run, seed, batch[0]).ConfigureAwait(false));
            return end;
        }

        using var gate = new SemaphoreSlim(PubSubConcurrency);
        async Task<PlannedResource> EnsureAsync(ResourceStep step)
        {
            await gate.WaitAsync(run.CancellationToken).ConfigureAwait(false);
            try
            {
                return await ApplyStepAsync(run, seed, step).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        var ensuring = batch.Select(EnsureAsync).ToArray();
        try
        {
            await Task.WhenAll(ensuring).ConfigureAwait(false);
        }
        catch
        {
            // Reported below, in file order.
        }

        // Everything that was done is reported, in file order; the first failure (in file order) is the file's failure.
        var failed = -1;
        for (var i = 0; i < batch.Length; i++)
        {
            if (ensuring[i].IsCompletedSuccessfully)
            {
                attempt.Resources.Add(ensuring[i].Result);
            }
            else if (failed < 0)
            {
                failed = i;
            }
        }

        if (failed >= 0)
        {
            attempt.At($"{batch[failed].Verb} {batch[failed].Collection}", batch[failed].Line);
            await ensuring[failed].ConfigureAwait(false); // rethrows its exception
        }

        return end;
    }

    /// <summary>Ensures one resource step of <paramref name="seed"/> and returns what was (or would be) done.</summary>
    private async Task<PlannedResource> ApplyStepAsync(RunState run, SeedDefinition seed, ResourceStep step)
    {
        var kind = ResourceSteps.KindOf(step);
        var why = WhyNoTarget(ResourceSteps.TargetOf(kind));
        var planned = why is not null
            ? new PlannedResource(kind, ResourceSteps.NameOf(step), ResourceAction.NoTarget, step.Line)
            {
                Note = seed.IsMigration && ResourceSteps.LaterRunMayHave(ResourceSteps.TargetOf(kind)) ? $"{why}; a later run with a target ensures it" : why,
            }
            : step switch
            {
                TopicStep topic => await EnsureTopicAsync(run, seed, topic).ConfigureAwait(false),
                SubscriptionStep subscription => await EnsureSubscriptionAsync(run, seed, subscription).ConfigureAwait(false),
                IndexStep index => await _indexes!.EnsureIndexAsync(run, index).ConfigureAwait(false),
                _ => await _indexes!.EnsureFieldAsync(run, (FieldOverrideStep)step).ConfigureAwait(false),
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
        ConcurrentDictionary<string, TSpec> dryRunPlanned,
        Func<CancellationToken, Task<TSpec?>> get,
        Func<CancellationToken, Task<bool>> create)
        where TSpec : class
    {
        var token = run.CancellationToken;
        if (CreatesFirst(run, seed))
        {
            if (await create(token).ConfigureAwait(false))
            {
                return (ResourceSteps.Planned(step, kind, ResourceAction.Create, null), spec);
            }

            var found = await get(token).ConfigureAwait(false);
            return found is null ? (ResourceSteps.Planned(step, kind, ResourceAction.SkipExists, ResourceSteps.AlreadyExisted), spec) : (null, found); // (null: deleted since)
        }

        var existing = dryRunPlanned.TryGetValue(name, out var planned) ? planned : await get(token).ConfigureAwait(false);
        if (existing is not null)
        {
            return (null, existing);
        }

        var created = run.Request.DryRun ? ResourceSteps.Planned(dryRunPlanned, name, spec) : await create(token).ConfigureAwait(false);
        return (ResourceSteps.Planned(step, kind, created ? ResourceAction.Create : ResourceAction.SkipExists, created ? null : ResourceSteps.AlreadyExisted), spec);
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
            await pubSub.UpdateTopicAsync(spec.MergedOnto(existing), [.. differences.Select(d => d.Setting)], run.CancellationToken).ConfigureAwait(false);
        }

        return ResourceSteps.Planned(step, ResourceKind.Topic, ResourceAction.Update, $"updates {string.Join(", ", differences)}");
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
        var fixedOnes = differences.Where(d => SubscriptionSpec.FixedSettings.Contains(d.Setting)).ToArray();
        var updatable = differences.Where(d => !SubscriptionSpec.FixedSettings.Contains(d.Setting)).ToArray();
        if (fixedOnes.Length > 0)
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
            await pubSub.UpdateSubscriptionAsync(merged, [.. updatable.Select(d => d.Setting)], run.CancellationToken).ConfigureAwait(false);
        }

        var note = $"updates {string.Join(", ", updatable)}";
        return ResourceSteps.Planned(step, ResourceKind.Subscription, ResourceAction.Update, fixedOnes.Length == 0 ? note : $"{note}; {FixedNote(fixedOnes)}");
    }

    // An existing topic or subscription left alone: unchanged, or (a migration never changes what exists) differing.
    private static PlannedResource Unchanged(ResourceStep step, ResourceKind kind, SeedDefinition seed, IReadOnlyCollection<SettingDifference> differences, IReadOnlyCollection<SettingDifference> fixedOnes)
    {
        var notes = new List<string>(2);
        if (differences.Count > 0)
        {
            notes.Add($"differs: {string.Join(", ", differences)}; a migration never changes what exists: declare it in a bootstrap file to keep it updated");
        }

        if (fixedOnes.Count > 0)
        {
            notes.Add(FixedNote(fixedOnes));
        }

        var action = seed.IsMigration || notes.Count > 0 ? ResourceAction.SkipExists : ResourceAction.SkipUnchanged;
        return ResourceSteps.Planned(step, kind, action, notes.Count == 0 ? null : string.Join("; ", notes));
    }

    private static string FixedNote(IReadOnlyCollection<SettingDifference> fixedOnes) =>
        $"{string.Join(", ", fixedOnes)} {(fixedOnes.Count == 1 ? "differs" : "differ")} but {(fixedOnes.Count == 1 ? "is" : "are")} {FixedAdvice}";

    [LoggerMessage(10, LogLevel.Information, "{Service} {Seed}: {Kind} {Name} (line {Line}): {Action}{Note}")]
    private partial void LogResource(string service, string seed, string kind, string name, int line, string action, string note);

    [LoggerMessage(11, LogLevel.Warning, "{Service} {Seed}: subscription {Name} (line {Line}): {Settings} cannot change once the subscription exists, so it is left as it is; delete the subscription to change it")]
    private partial void LogFixedSettingsDiffer(string service, string seed, string name, int line, string settings);
}
