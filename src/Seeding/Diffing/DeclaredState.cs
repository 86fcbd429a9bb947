using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Values;

namespace Seeding.Diffing;

/// <summary>One declared document as the seeds leave it: its fields after every step that declares it, in run order.</summary>
internal sealed class DeclaredDocument(string source, int line, bool pendingCreate)
{
    private Dictionary<string, Value>? _merged;

    /// <summary>
    /// The fields: a document declared once keeps its decoded fields as they are (nothing copied); a fold lays each
    /// declaration's fields over a dictionary of its own.
    /// </summary>
    public IReadOnlyDictionary<string, Value> Fields { get; private set; } = Empty;

    /// <summary>Fields whose value came from configuration (<c>!env</c>, not safe): never shown.</summary>
    public HashSet<string>? Redacted { get; set; }

    /// <summary>Fields whose last declaration is in a migration not applied yet: a difference there is pending, not drift.</summary>
    public HashSet<string>? Pending { get; set; }

    /// <summary>True when the first declaration (the one that creates the document) is in a migration not applied yet.</summary>
    public bool PendingCreate { get; } = pendingCreate;

    public string Source { get; set; } = source;

    public int Line { get; set; } = line;

    private static IReadOnlyDictionary<string, Value> Empty { get; } = new Dictionary<string, Value>(StringComparer.Ordinal);

    /// <summary>Lays a declaration's fields over what is declared (the first declaration's are taken as they are).</summary>
    public void Lay(IReadOnlyDictionary<string, Value> fields)
    {
        if (Fields.Count == 0 && _merged is null)
        {
            Fields = fields;
            return;
        }

        if (_merged is null)
        {
            _merged = new Dictionary<string, Value>(Fields, StringComparer.Ordinal);
            Fields = _merged;
        }

        foreach (var (name, value) in fields)
        {
            _merged[name] = value;
        }
    }
}

/// <summary>
/// What a service's seed files declare, folded in run order as a run from an empty store would leave it: a <c>create</c>
/// of a document already declared does nothing (a create never overwrites), an <c>upsert</c> lays its fields over what is
/// declared, the last declaration of a resource wins. Steps are resolved by the runner's own <see cref="SeedResolver"/>,
/// so <c>when:</c>/<c>environments:</c> leave the same steps out and <c>!env</c> reads the same configuration.
/// </summary>
/// <remarks>
/// The documents are never all held. <see cref="Plan"/> is a first pass over the definitions that reads only ids (compact
/// data is skipped, not decoded) and keeps one 64-bit key per declared path; <see cref="Documents"/> then decodes and
/// yields the documents one at a time, in first-declaration order, and <see cref="Paths"/> yields their paths in that
/// order from the ids alone, so the differ reads ahead by paths and decodes each document only to compare it.
/// The override rule needs every declaration of a path before the path can be compared; rather than keep all documents
/// until the end (the old design: one entry per document, 215 MB of heap at 100,000) or sort by path (a different report
/// order, and an external sort), the first pass records the run-order positions of the few paths declared more than once,
/// and the second folds those declarations at the path's first one, reading the later ones by index. Memory grows with the
/// number of declared paths (a key each) and with the number of paths declared more than once, not with their fields.
/// A key collision only sends a path down the fold, which compares real paths, so it costs time, never correctness.
/// </remarks>
internal sealed class DeclaredState
{
    private readonly List<DocumentStep> _steps = [];
    private readonly Dictionary<ulong, int> _firstDeclaration = [];
    private readonly Dictionary<ulong, List<int>> _declaredAgain = [];
    private RunRequest _run = null!;

    public List<(SeedDefinition Seed, MatchStep Step)> Matches { get; } = [];

    public List<(SeedDefinition Seed, BackfillStep Step)> Backfills { get; } = [];

    public List<(ResourceKind Kind, string Name)> ResourceOrder { get; } = [];

    public Dictionary<(ResourceKind Kind, string Name), (SeedDefinition Seed, ResourceStep Step)> Resources { get; } = [];

    public List<NotCompared> NotCompared { get; } = [];

    /// <summary>Paths declared more than once (their declarations are folded); a test observes it.</summary>
    public int PathsDeclaredAgain => _declaredAgain.Count;

    /// <summary>The first pass: the steps in run order and a key per declared document path; no field is decoded.</summary>
    /// <param name="service">The service.</param>
    /// <param name="request">Phases, configuration and environment.</param>
    /// <param name="isPending">Whether a migration is not applied yet (its declarations are pending, not drift).</param>
    public static DeclaredState Plan(ServiceSeeds service, DiffRequest request, Func<SeedDefinition, bool> isPending)
    {
        var state = new DeclaredState { _run = request.AsRunRequest() };
        foreach (var seed in SeedRunner.PhaseOrder.Where(request.Phases.Contains).SelectMany(service.InPhase))
        {
            if (seed.Code is not null)
            {
                state.NotCompared.Add(new NotCompared(seed.SourcePath, 0, seed.ToString(), "a C# migration: what it writes is code, not declared data"));
                continue;
            }

            var pending = seed.IsMigration && isPending(seed);
            var (resolved, skipped) = SeedResolver.Resolve(seed, state._run, fill: false);
            state.NotCompared.AddRange(skipped.Select(s => new NotCompared(seed.SourcePath, s.Line, s.Description, s.Reason)));
            foreach (var step in resolved.Steps)
            {
                state.Add(resolved, step, pending);
            }
        }

        return state;
    }

    /// <summary>The second pass: each declared document once, as the seeds leave it, in first-declaration order, decoded as it is yielded.</summary>
    /// <exception cref="SeedConfigurationException">A <c>!env</c> value a document needs is not set.</exception>
    public IEnumerable<(DocumentPath Path, DeclaredDocument Declared)> Documents()
    {
        HashSet<DocumentPath>? folded = null;
        foreach (var step in _steps)
        {
            var ordinal = step.FirstOrdinal;
            foreach (var document in step.Step.Documents)
            {
                var path = DocumentPath.Create(step.Step.Collection, document.Id);
                if (IsFirstSight(path, document.Id, step, ref folded, out var ordinals))
                {
                    if (ordinals is null)
                    {
                        var declared = new DeclaredDocument(step.Seed.SourcePath, document.Line, step.Pending);
                        Lay(declared, step, document);
                        yield return (path, declared);
                    }
                    else
                    {
                        yield return (path, Fold(path, ordinals, ordinal));
                    }
                }

                ordinal++;
            }
        }
    }

    /// <summary>
    /// The paths <see cref="Documents"/> yields, in its order, read from the ids alone (compact data is not decoded): what
    /// the differ asks the store for ahead of the comparison, while the documents are decoded only when compared.
    /// </summary>
    public IEnumerable<DocumentPath> Paths()
    {
        HashSet<DocumentPath>? folded = null;
        foreach (var step in _steps)
        {
            foreach (var id in CompactDocuments.IdsOf(step.Step.Documents))
            {
                var path = DocumentPath.Create(step.Step.Collection, id);
                if (IsFirstSight(path, id, step, ref folded, out _))
                {
                    yield return path;
                }
            }
        }
    }

    // Whether a declaration is where its path is yielded: a path declared once, at its declaration; a path declared more
    // than once (its run-order positions come out in ordinals), at its first declaration only, where they are folded.
    private bool IsFirstSight(DocumentPath path, string id, DocumentStep step, ref HashSet<DocumentPath>? folded, out List<int>? ordinals) =>
        !_declaredAgain.TryGetValue(Key(step.Step.Collection, id), out ordinals) || (folded ??= []).Add(path);

    private void Add(SeedDefinition seed, SeedStep step, bool pending)
    {
        switch (step)
        {
            case CreateStep or UpsertStep:
                var documentStep = new DocumentStep(seed, step, pending, _steps.Count == 0 ? 0 : _steps[^1].FirstOrdinal + _steps[^1].Step.Documents.Count);
                _steps.Add(documentStep);
                var ordinal = documentStep.FirstOrdinal;
                foreach (var id in CompactDocuments.IdsOf(step.Documents))
                {
                    var key = Key(step.Collection, id);
                    if (!_firstDeclaration.TryAdd(key, ordinal))
                    {
                        if (!_declaredAgain.TryGetValue(key, out var ordinals))
                        {
                            _declaredAgain[key] = ordinals = [_firstDeclaration[key]];
                        }

                        ordinals.Add(ordinal);
                    }

                    ordinal++;
                }

                break;
            case MatchStep match:
                // Few documents (one query each): filled from configuration here, as the runner's resolver would.
                Matches.Add((seed, (MatchStep)match.WithDocuments(match.Documents.Select(d => SeedResolver.Fill(seed, d, _run)).ToArray())));
                break;
            case BackfillStep backfill:
                Backfills.Add((seed, backfill));
                break;
            case ResourceStep resource:
                var resourceKey = (ResourceSteps.KindOf(resource), ResourceSteps.NameOf(resource));
                if (!Resources.ContainsKey(resourceKey))
                {
                    ResourceOrder.Add(resourceKey);
                }

                Resources[resourceKey] = (seed, resource);
                break;
            default:
                NotCompared.Add(new NotCompared(seed.SourcePath, step.Line, $"{step.Verb} {step.Collection}", "a step this version of the diff does not know"));
                break;
        }
    }

    // Every declaration of a path from its first one on, in run order: the first creates it, a later create does nothing
    // (a create never overwrites), a later upsert lays its fields over it. Declarations whose key collides with the
    // path's but name another path are passed over.
    private DeclaredDocument Fold(DocumentPath path, List<int> ordinals, int first)
    {
        DeclaredDocument? declared = null;
        foreach (var ordinal in ordinals)
        {
            if (ordinal < first)
            {
                continue;
            }

            var step = StepOf(ordinal);
            var document = step.Step.Documents[ordinal - step.FirstOrdinal];
            if (DocumentPath.Create(step.Step.Collection, document.Id) != path)
            {
                continue;
            }

            if (declared is null)
            {
                declared = new DeclaredDocument(step.Seed.SourcePath, document.Line, step.Pending);
            }
            else if (step.Step is UpsertStep)
            {
                declared.Source = step.Seed.SourcePath;
                declared.Line = document.Line;
            }
            else
            {
                continue;
            }

            Lay(declared, step, document);
        }

        return declared!;
    }

    private void Lay(DeclaredDocument declared, DocumentStep step, SeedDocument document)
    {
        document = SeedResolver.Fill(step.Seed, document, _run);
        declared.Lay(document.Fields);
        if (document.Configured is null && declared.Redacted is null && !step.Pending && declared.Pending is null)
        {
            return; // the common case: nothing redacted, nothing pending
        }

        foreach (var name in document.Fields.Keys)
        {
            if (document.Configured?.Any(c => c.Field == name && !c.Safe) == true)
            {
                (declared.Redacted ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }
            else
            {
                declared.Redacted?.Remove(name);
            }

            if (step.Pending)
            {
                (declared.Pending ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }
            else
            {
                declared.Pending?.Remove(name);
            }
        }
    }

    private DocumentStep StepOf(int ordinal)
    {
        var (low, high) = (0, _steps.Count - 1);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            (low, high) = _steps[middle].FirstOrdinal <= ordinal ? (middle, high) : (low, middle - 1);
        }

        return _steps[low];
    }

    // FNV-1a (64 bits) of "collection/id": stable, allocation-free, and 8 bytes a path.
    private static ulong Key(string collection, string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in collection)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ '/') * 1099511628211UL;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private sealed record DocumentStep(SeedDefinition Seed, SeedStep Step, bool Pending, int FirstOrdinal);
}
