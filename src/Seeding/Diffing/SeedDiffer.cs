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
/// The declared state is folded in run order with the runner's own rules (see <see cref="DiffRequest"/>) and streamed: a
/// first pass keeps a key per declared path; the reads ahead take the declared paths from the ids alone, and the
/// documents are decoded one at a time as they are compared (see DeclaredState), so no declared document outlives its
/// comparison; live documents are read several chunks ahead (at one read time) and only differences are kept.
/// Documents that differ only where a migration not applied yet writes are reported as pending, never as drift.
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

    /// <summary>How many batched reads of declared documents a diff keeps in flight, all at one read time.</summary>
    internal const int ReadsInFlight = 4;

    private static async Task<ServiceDiff> DiffServiceAsync(ISnapshotReader reader, ResourceComparer resources, ServiceSeeds service, DiffRequest request, CancellationToken cancellationToken)
    {
        var pending = await PendingMigrationsAsync(reader, service, request, cancellationToken).ConfigureAwait(false);
        var state = DeclaredState.Plan(service, request, pending.Contains);
        var documents = new List<DocumentDiff>();
        var compared = 0;

        // Reads ahead: up to ReadsInFlight chunks of paths are being read while the oldest is compared, so the store's
        // latency is paid once per window, not once per chunk. Every read is at the snapshot's read time, which the
        // snapshot's first read fixes: so the first chunk is read alone (kept simple: the history read above has usually
        // fixed it already), then the window opens. The reads ahead hold only paths (from the ids, nothing decoded); each
        // declared document is decoded when it is compared, by a second enumeration in the same order, and dropped right
        // after: so a declared document never outlives its comparison.
        var inFlight = new Queue<(DocumentPath[] Paths, Task<IReadOnlyList<DocumentSnapshot>> Read)>(ReadsInFlight);
        using var chunks = state.Paths().Chunk(SeedPlanner.StreamChunk).GetEnumerator();
        using var declared = state.Documents().GetEnumerator();
        void TopUp(int window)
        {
            while (inFlight.Count < window && chunks.MoveNext())
            {
                inFlight.Enqueue((chunks.Current, reader.GetAllAsync(chunks.Current, cancellationToken)));
            }
        }

        try
        {
            TopUp(1);
            while (inFlight.TryDequeue(out var oldest))
            {
                var live = await oldest.Read.ConfigureAwait(false);
                TopUp(ReadsInFlight); // before comparing, so the store works while this process does
                compared += Compare(oldest.Paths, declared, live, request, documents);
            }
        }
        finally
        {
            // A failed read or a cancellation leaves later reads running: wait for them, so none outlives the snapshot.
            // Their own failures add nothing to the first one's, which is the one reported.
            foreach (var (_, read) in inFlight)
            {
                await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

        return new ServiceDiff(service.Service, documents, compared, matches, backfills, resourceDiffs, state.NotCompared);
    }

    // Compares a chunk's paths with their live documents (in the same order, as GetAllAsync answers), decoding each
    // declared document as it is compared; keeps only the differences.
    private static int Compare(DocumentPath[] paths, IEnumerator<(DocumentPath Path, DeclaredDocument Declared)> declaredDocuments, IReadOnlyList<DocumentSnapshot> live, DiffRequest request, List<DocumentDiff> documents)
    {
        for (var i = 0; i < paths.Length; i++)
        {
            if (!declaredDocuments.MoveNext() || declaredDocuments.Current.Path != paths[i])
            {
                throw new InvalidOperationException($"The declared documents and their paths are out of step at {paths[i]}: DeclaredState.Paths and Documents must yield the same paths in the same order.");
            }

            var (path, declared) = declaredDocuments.Current;
            var snapshot = live[i];
            if (!snapshot.Exists)
            {
                documents.Add(new DocumentDiff(path, declared.Source, declared.Line, true, []) { PendingCreate = declared.PendingCreate });
                continue;
            }

            var fields = FieldComparer.Compare(snapshot.Fields, declared, request.ShowUnmanaged);
            if (fields.Count > 0)
            {
                documents.Add(new DocumentDiff(path, declared.Source, declared.Line, false, fields) { PendingCreate = declared.PendingCreate });
            }
        }

        return paths.Length;
    }

    // The migrations not applied yet, from their history documents (read from the snapshot, as a run's first read is):
    // what they declare is the next run's work, reported as pending, not as drift. Bootstrap seeds have no history: they
    // are ensured on every start, so what they declare is always compared as drift.
    private static async Task<HashSet<SeedDefinition>> PendingMigrationsAsync(ISnapshotReader reader, ServiceSeeds service, DiffRequest request, CancellationToken cancellationToken)
    {
        var migrations = SeedRunner.PhaseOrder.Where(request.Phases.Contains).SelectMany(service.InPhase).Where(s => s.IsMigration).ToArray();
        var pending = new HashSet<SeedDefinition>(ReferenceEqualityComparer.Instance);
        foreach (var chunk in migrations.Chunk(SeedPlanner.StreamChunk))
        {
            var history = await reader.GetAllAsync(chunk.Select(m => MigrationHistory.PathOf(service.Service, m)).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (MigrationHistory.StatusOf(chunk[i], history[i]).State == MigrationState.Pending)
                {
                    pending.Add(chunk[i]);
                }
            }
        }

        return pending;
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
