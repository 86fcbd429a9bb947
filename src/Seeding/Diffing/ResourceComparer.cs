using Microsoft.Extensions.Logging.Abstractions;
using Seeding.Definitions;
using Seeding.Resources;
using Seeding.Running;
using Seeding.Store;

namespace Seeding.Diffing;

/// <summary>
/// Compares declared topics, subscriptions, indexes and field overrides with the live ones through the runner's rules:
/// whether there is a target (<see cref="ResourceApplier.WhyNoTarget"/>), which settings differ
/// (<see cref="TopicSpec.DifferencesFrom"/>, <see cref="SubscriptionSpec.DifferencesFrom"/>,
/// <see cref="FieldOverrideSpec.DifferencesFrom"/>, each with live and declared values), the same index
/// (<see cref="IndexSpec.SameIndexAs"/>). Reads only.
/// </summary>
internal sealed class ResourceComparer(IDocumentStore store, SeedRunnerOptions options)
{
    // An index whose build failed: its state, as Firestore's console names it, against the ready one the seeds ask for.
    private static readonly SettingDifference FailedBuild = new("state", "needs_repair", "ready");

    private readonly ResourceApplier _targets = new(store, options, NullLogger.Instance);
    private readonly Dictionary<string, IReadOnlyList<IndexState>> _indexes = new(StringComparer.Ordinal);

    public async Task<ResourceDiff> CompareAsync(SeedDefinition seed, ResourceStep step, CancellationToken cancellationToken)
    {
        var kind = ResourceSteps.KindOf(step);
        var name = ResourceSteps.NameOf(step);
        if (_targets.WhyNoTarget(ResourceSteps.TargetOf(kind)) is { } why)
        {
            return new ResourceDiff(kind, name, ResourceDrift.NoTarget, seed.SourcePath, step.Line) { Note = why };
        }

        var (state, settings, note) = step switch
        {
            TopicStep topic => await TopicAsync(topic.Spec, cancellationToken).ConfigureAwait(false),
            SubscriptionStep subscription => await SubscriptionAsync(subscription.Spec, cancellationToken).ConfigureAwait(false),
            IndexStep index => await IndexAsync(index.Spec, cancellationToken).ConfigureAwait(false),
            _ => await FieldAsync(((FieldOverrideStep)step).Spec, cancellationToken).ConfigureAwait(false),
        };
        return new ResourceDiff(kind, name, state, seed.SourcePath, step.Line) { Settings = settings, Note = note };
    }

    private async Task<(ResourceDrift, IReadOnlyList<SettingDifference>, string?)> TopicAsync(TopicSpec spec, CancellationToken cancellationToken)
    {
        var existing = await options.PubSub!.GetTopicAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        return existing is null ? (ResourceDrift.Missing, [], null) : Settings(spec.DifferencesFrom(existing));
    }

    private async Task<(ResourceDrift, IReadOnlyList<SettingDifference>, string?)> SubscriptionAsync(SubscriptionSpec spec, CancellationToken cancellationToken)
    {
        var existing = await options.PubSub!.GetSubscriptionAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        return existing is null ? (ResourceDrift.Missing, [], null) : Settings(spec.DifferencesFrom(existing));
    }

    private async Task<(ResourceDrift, IReadOnlyList<SettingDifference>, string?)> IndexAsync(IndexSpec spec, CancellationToken cancellationToken)
    {
        if (!_indexes.TryGetValue(spec.CollectionGroup, out var known))
        {
            known = await options.Capabilities.Indexes!.ListIndexesAsync(spec.CollectionGroup, cancellationToken).ConfigureAwait(false);
            _indexes[spec.CollectionGroup] = known;
        }

        return known.FirstOrDefault(state => state.Index.SameIndexAs(spec))?.State switch
        {
            null => (ResourceDrift.Missing, [], null),
            IndexBuildState.Ready => (ResourceDrift.Same, [], null),
            IndexBuildState.Creating => (ResourceDrift.Building, [], "still building"),
            _ => (ResourceDrift.Differs, [FailedBuild], "its build failed: delete it and run migrate again"),
        };
    }

    private async Task<(ResourceDrift, IReadOnlyList<SettingDifference>, string?)> FieldAsync(FieldOverrideSpec spec, CancellationToken cancellationToken)
    {
        var existing = await options.Capabilities.Indexes!.GetFieldAsync(spec.CollectionGroup, spec.FieldPath, cancellationToken).ConfigureAwait(false);
        return Settings(spec.DifferencesFrom(existing));
    }

    private static (ResourceDrift, IReadOnlyList<SettingDifference>, string?) Settings(IReadOnlyList<SettingDifference> differences) =>
        differences.Count == 0 ? (ResourceDrift.Same, [], null) : (ResourceDrift.Differs, differences, null);
}
