using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>
/// Turns a seed file and the current snapshots of its documents into a plan and the writes that carry it out.
/// Pure: no I/O, so the dry run and the real run share one decision.
/// </summary>
internal static class SeedPlanner
{
    /// <summary>Every document path a seed file touches, in file order.</summary>
    public static IEnumerable<DocumentPath> PathsOf(SeedDefinition seed) => seed.Steps
        .Where(step => step is CreateStep or UpsertStep)
        .SelectMany(step => step.Documents.Select(d => DocumentPath.Create(step.Collection, d.Id)));

    /// <summary>Plans a create or upsert step against snapshots keyed by path.</summary>
    public static IReadOnlyList<(PlannedWrite Plan, DocumentWrite? Write)> PlanStep(
        SeedStep step, IReadOnlyDictionary<DocumentPath, DocumentSnapshot> snapshots)
    {
        var result = new List<(PlannedWrite, DocumentWrite?)>(step.Documents.Count);
        foreach (var document in step.Documents)
        {
            var path = DocumentPath.Create(step.Collection, document.Id);
            var snapshot = snapshots.TryGetValue(path, out var s) ? s : DocumentSnapshot.Missing(path);
            result.Add(PlanDocument(step, document, path, snapshot));
        }

        return result;
    }

    private static (PlannedWrite, DocumentWrite?) PlanDocument(SeedStep step, SeedDocument document, DocumentPath path, DocumentSnapshot snapshot)
    {
        switch (step)
        {
            case CreateStep:
                return snapshot.Exists
                    ? (new PlannedWrite(path, PlanAction.SkipExists, document.Line), null)
                    : (new PlannedWrite(path, PlanAction.Create, document.Line), DocumentWrite.Create(path, document.Fields));
            case UpsertStep:
                if (!snapshot.Exists)
                {
                    return (new PlannedWrite(path, PlanAction.Create, document.Line), DocumentWrite.Merge(path, document.Fields));
                }

                return HoldsDeclaredValues(snapshot.Fields, document.Fields)
                    ? (new PlannedWrite(path, PlanAction.SkipUnchanged, document.Line), null)
                    : (new PlannedWrite(path, PlanAction.Update, document.Line), DocumentWrite.Merge(path, document.Fields));
            default:
                throw new NotSupportedException($"Step verb '{step.Verb}' is not supported by this runtime version.");
        }
    }

    // A server timestamp is "whenever it was written": any stored timestamp satisfies it, so an unchanged
    // upsert does not rewrite the document on every start just because it declares updated_at: !now.
    private static bool HoldsDeclaredValues(IReadOnlyDictionary<string, Value> stored, IReadOnlyDictionary<string, Value> declared) =>
        declared.All(field => stored.TryGetValue(field.Key, out var current) && Satisfies(current, field.Value));

    private static bool Satisfies(Value current, Value declared)
    {
        if (!declared.ContainsServerTimestamp())
        {
            return current.Equals(declared);
        }

        return (declared.Kind, current.Kind) switch
        {
            (ValueKind.Timestamp, ValueKind.Timestamp) => true,
            (ValueKind.Map, ValueKind.Map) => HoldsDeclaredValues(current.AsMap(), declared.AsMap()) && current.AsMap().Count == declared.AsMap().Count,
            (ValueKind.Array, ValueKind.Array) => current.AsArray().Count == declared.AsArray().Count
                && current.AsArray().Zip(declared.AsArray()).All(p => Satisfies(p.First, p.Second)),
            _ => false,
        };
    }

    /// <summary>Updates <paramref name="snapshots"/> as if <paramref name="writes"/> had been applied.</summary>
    public static void Simulate(Dictionary<DocumentPath, DocumentSnapshot> snapshots, IEnumerable<DocumentWrite?> writes)
    {
        foreach (var write in writes)
        {
            if (write is null)
            {
                continue;
            }

            var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
            if (write.Kind == WriteKind.Merge && snapshots.TryGetValue(write.Path, out var current))
            {
                foreach (var (key, value) in current.Fields)
                {
                    fields[key] = value;
                }
            }

            foreach (var (key, value) in write.Fields)
            {
                fields[key] = value;
            }

            snapshots[write.Path] = write.Kind == WriteKind.Delete
                ? DocumentSnapshot.Missing(write.Path)
                : DocumentSnapshot.Found(write.Path, fields, Timestamp.ServerTime, Timestamp.ServerTime);
        }
    }
}
