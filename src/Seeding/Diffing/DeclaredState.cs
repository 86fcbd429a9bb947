using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Values;

namespace Seeding.Diffing;

/// <summary>One declared document as the seeds leave it: its fields after every step that declares it, in run order.</summary>
internal sealed class DeclaredDocument(string source, int line)
{
    public Dictionary<string, Value> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>Fields whose value came from configuration (<c>!env</c>, not safe): never shown.</summary>
    public HashSet<string>? Redacted { get; set; }

    public string Source { get; set; } = source;

    public int Line { get; set; } = line;
}

/// <summary>
/// What a service's seed files declare, folded in run order as a run from an empty store would leave it: a <c>create</c>
/// of a document already declared does nothing (a create never overwrites), an <c>upsert</c> lays its fields over what is
/// declared, the last declaration of a resource wins. Steps are resolved by the runner's own <see cref="SeedResolver"/>,
/// so <c>when:</c>/<c>environments:</c> leave the same steps out and <c>!env</c> reads the same configuration.
/// </summary>
internal sealed class DeclaredState
{
    public List<DocumentPath> Order { get; } = [];

    public Dictionary<DocumentPath, DeclaredDocument> Documents { get; } = [];

    public List<(SeedDefinition Seed, MatchStep Step)> Matches { get; } = [];

    public List<(SeedDefinition Seed, BackfillStep Step)> Backfills { get; } = [];

    public List<(ResourceKind Kind, string Name)> ResourceOrder { get; } = [];

    public Dictionary<(ResourceKind Kind, string Name), (SeedDefinition Seed, ResourceStep Step)> Resources { get; } = [];

    public List<NotCompared> NotCompared { get; } = [];

    public static DeclaredState Fold(ServiceSeeds service, DiffRequest request)
    {
        var state = new DeclaredState();
        var run = request.AsRunRequest();
        foreach (var seed in SeedRunner.PhaseOrder.Where(request.Phases.Contains).SelectMany(service.InPhase))
        {
            if (seed.Code is not null)
            {
                state.NotCompared.Add(new NotCompared(seed.SourcePath, 0, seed.ToString(), "a C# migration: what it writes is code, not declared data"));
                continue;
            }

            var (resolved, skipped) = SeedResolver.Resolve(seed, run);
            state.NotCompared.AddRange(skipped.Select(s => new NotCompared(seed.SourcePath, s.Line, s.Description, s.Reason)));
            foreach (var step in resolved.Steps)
            {
                state.Add(resolved, step);
            }
        }

        return state;
    }

    private void Add(SeedDefinition seed, SeedStep step)
    {
        switch (step)
        {
            case CreateStep or UpsertStep:
                foreach (var document in step.Documents)
                {
                    Declare(seed, step is UpsertStep, DocumentPath.Create(step.Collection, document.Id), document);
                }

                break;
            case MatchStep match:
                Matches.Add((seed, match));
                break;
            case BackfillStep backfill:
                Backfills.Add((seed, backfill));
                break;
            case ResourceStep resource:
                var key = (ResourceSteps.KindOf(resource), ResourceSteps.NameOf(resource));
                if (!Resources.ContainsKey(key))
                {
                    ResourceOrder.Add(key);
                }

                Resources[key] = (seed, resource);
                break;
            default:
                NotCompared.Add(new NotCompared(seed.SourcePath, step.Line, $"{step.Verb} {step.Collection}", "a step this version of the diff does not know"));
                break;
        }
    }

    private void Declare(SeedDefinition seed, bool merge, DocumentPath path, SeedDocument document)
    {
        if (Documents.TryGetValue(path, out var declared))
        {
            if (!merge)
            {
                return; // a create never overwrites: the earlier declaration stands
            }

            declared.Source = seed.SourcePath;
            declared.Line = document.Line;
        }
        else
        {
            declared = new DeclaredDocument(seed.SourcePath, document.Line);
            Documents.Add(path, declared);
            Order.Add(path);
        }

        foreach (var (name, value) in document.Fields)
        {
            declared.Fields[name] = value;
            if (document.Configured?.Any(c => c.Field == name && !c.Safe) == true)
            {
                (declared.Redacted ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }
            else
            {
                declared.Redacted?.Remove(name);
            }
        }
    }
}
