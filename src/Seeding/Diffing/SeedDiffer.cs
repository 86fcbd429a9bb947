using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Diffing;

/// <summary>
/// Compares the live data with what a service's seed files declare (<c>seeding diff</c>): every declared document, field
/// by field, match steps by what their query finds, backfills by the documents they have not reached, and resources by
/// their settings. Reads only, from one consistent snapshot when the store offers one
/// (<see cref="StoreCapabilities.Snapshots"/>), one batched read per <see cref="SeedPlanner.StreamChunk"/> documents.
/// </summary>
/// <remarks>
/// The declared state is folded in run order with the runner's own rules (see <see cref="DiffRequest"/>) and held in
/// memory (one entry per declared document); live documents are read and compared a chunk at a time and only their
/// differences are kept.
/// </remarks>
public sealed class SeedDiffer
{
    private readonly IDocumentStore _store;
    private readonly SeedRunnerOptions _options;

    /// <summary>Creates a differ over a store.</summary>
    /// <param name="store">The store to read.</param>
    /// <param name="options">Its capabilities (snapshots, indexes) and the Pub/Sub target, as given to the runner; null for none.</param>
    public SeedDiffer(IDocumentStore store, SeedRunnerOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? new SeedRunnerOptions();
    }

    /// <summary>Compares the services' declared state with the live data, all read from one snapshot.</summary>
    /// <param name="services">The services, in the order to report them.</param>
    /// <param name="request">Which phases, and the configuration and environment steps are resolved with.</param>
    /// <param name="cancellationToken">Cancels the diff.</param>
    /// <exception cref="SeedConfigurationException">A <c>!env</c> value a compared step needs is not set.</exception>
    public async Task<DiffResult> DiffAsync(IReadOnlyList<ServiceSeeds> services, DiffRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(request);
        var reader = _options.Capabilities.Snapshots is { } snapshots
            ? await snapshots.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false)
            : new CallByCallReader(_store);
        await using (reader.ConfigureAwait(false))
        {
            var resources = new ResourceComparer(_store, _options);
            var results = new List<ServiceDiff>(services.Count);
            foreach (var service in services)
            {
                var diff = await DiffServiceAsync(reader, resources, service, request, cancellationToken).ConfigureAwait(false);
                DriftGauge.Record(service.Service, diff.DriftedDocuments);
                results.Add(diff);
            }

            return new DiffResult(_store.Name, reader.Consistency, reader.ReadTime, results);
        }
    }

    private static async Task<ServiceDiff> DiffServiceAsync(ISnapshotReader reader, ResourceComparer resources, ServiceSeeds service, DiffRequest request, CancellationToken cancellationToken)
    {
        var state = DeclaredState.Fold(service, request);
        var documents = new List<DocumentDiff>();
        foreach (var chunk in state.Order.Chunk(SeedPlanner.StreamChunk))
        {
            var live = await reader.GetAllAsync(chunk, cancellationToken).ConfigureAwait(false);
            foreach (var snapshot in live)
            {
                // Each declared document is dropped once compared, so memory shrinks as the diff goes.
                var declared = state.Documents[snapshot.Path];
                state.Documents.Remove(snapshot.Path);
                if (!snapshot.Exists)
                {
                    documents.Add(new DocumentDiff(snapshot.Path, declared.Source, declared.Line, true, []));
                    continue;
                }

                var fields = FieldComparer.Compare(snapshot.Fields, declared, request.ShowUnmanaged);
                if (fields.Count > 0)
                {
                    documents.Add(new DocumentDiff(snapshot.Path, declared.Source, declared.Line, false, fields));
                }
            }
        }

        var matches = new List<MatchDiff>();
        foreach (var (seed, step) in state.Matches)
        {
            foreach (var document in step.Documents)
            {
                matches.Add(await MatchAsync(reader, seed, step, document, cancellationToken).ConfigureAwait(false));
            }
        }

        var backfills = new List<BackfillDiff>(state.Backfills.Count);
        foreach (var (seed, step) in state.Backfills)
        {
            backfills.Add(await BackfillAsync(reader, seed, step, cancellationToken).ConfigureAwait(false));
        }

        var resourceDiffs = new List<ResourceDiff>(state.ResourceOrder.Count);
        foreach (var key in state.ResourceOrder)
        {
            var (seed, step) = state.Resources[key];
            resourceDiffs.Add(await resources.CompareAsync(seed, step, cancellationToken).ConfigureAwait(false));
        }

        return new ServiceDiff(service.Service, documents, state.Order.Count, matches, backfills, resourceDiffs, state.NotCompared);
    }

    // What the runner's existence check asks (the match fields' values), with up to two answers: none, one or several.
    private static async Task<MatchDiff> MatchAsync(ISnapshotReader reader, SeedDefinition seed, MatchStep step, SeedDocument document, CancellationToken cancellationToken)
    {
        var filters = step.MatchFields.Select(field => document.Fields.TryGetValue(field, out var value)
            ? FieldFilter.EqualTo(field, value)
            : throw new InvalidOperationException($"{seed.SourcePath}:{document.Line}: the document has no value for match field '{field}'."))
            .ToArray();
        var hidden = document.Configured?.Where(c => !c.Safe).Select(c => c.Field).ToHashSet(StringComparer.Ordinal) ?? [];
        var text = string.Join(", ", filters.Select(f => $"{f.Field} = {(hidden.Contains(f.Field) ? "(redacted)" : f.Value)}"));
        var found = await reader.QueryAsync(new DocumentQuery(step.Collection, filters, Limit: 2), cancellationToken).ConfigureAwait(false);
        var count = found.Count switch { 0 => MatchFound.None, 1 => MatchFound.One, _ => MatchFound.Several };
        return new MatchDiff(step.Collection, seed.SourcePath, document.Line, text, count, found.Count == 1 ? found[0].Path : null);
    }

    // A document is left when it matches where: and does not hold the set: values. When set: changes a where: field
    // and where: has no null condition (Firestore cannot count a missing field), a COUNT aggregation answers without
    // reading; otherwise the matching pages are read and checked, one page at a time.
    private static async Task<BackfillDiff> BackfillAsync(ISnapshotReader reader, SeedDefinition seed, BackfillStep step, CancellationToken cancellationToken)
    {
        var equality = step.StoreFilters();
        var query = new DocumentQuery(step.Collection, equality);
        var closes = step.Set.Any(s => step.Where.TryGetValue(s.Key, out var wanted) && !wanted.IsNull && !s.Value.Equals(wanted));
        if (closes && step.Where.Values.All(v => !v.IsNull))
        {
            var count = await reader.CountAsync(query, cancellationToken).ConfigureAwait(false);
            return new BackfillDiff(step.Collection, seed.SourcePath, step.Line, count, "count");
        }

        long remaining = 0;
        DocumentPath? after = null;
        while (true)
        {
            var page = await reader.QueryAsync(query with { Limit = SeedPlanner.StreamChunk, StartAfter = after }, cancellationToken).ConfigureAwait(false);
            remaining += page.Count(d => step.Matches(d.Fields) && !Holds(d.Fields, step.Set));
            if (page.Count < SeedPlanner.StreamChunk)
            {
                return new BackfillDiff(step.Collection, seed.SourcePath, step.Line, remaining, "scan");
            }

            after = page[^1].Path;
        }
    }

    private static bool Holds(IReadOnlyDictionary<string, Value> fields, IReadOnlyDictionary<string, Value> set) =>
        set.All(f => fields.TryGetValue(f.Key, out var current) && SeedPlanner.Holds(current, f.Value));
}
