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

    /// <summary>
    /// Documents read per existence check when a run streams: one read of 1,000 paths is one BatchGetDocuments on
    /// Firestore and its writes two full batches.
    /// </summary>
    public const int StreamChunk = 1000;

    /// <summary>A run streams when its pending migrations hold more documents than this; fewer are read in one go.</summary>
    public const int StreamAbove = 2 * StreamChunk;

    /// <summary>How many documents the create and upsert steps of a seed file declare (counted without decoding them).</summary>
    public static int KeyedDocumentCount(SeedDefinition seed) => seed.Steps
        .Where(step => step is CreateStep or UpsertStep)
        .Sum(step => step.Documents.Count);

    /// <summary>Plans a create or upsert step against snapshots keyed by path.</summary>
    public static IReadOnlyList<(PlannedWrite Plan, DocumentWrite? Write)> PlanStep(
        SeedStep step, IReadOnlyDictionary<DocumentPath, DocumentSnapshot> snapshots) =>
        PlanDocuments(step, step.Documents, path => snapshots.TryGetValue(path, out var s) ? s : DocumentSnapshot.Missing(path));

    /// <summary>Plans some documents of a create or upsert step, each against the snapshot <paramref name="snapshotOf"/> gives.</summary>
    public static IReadOnlyList<(PlannedWrite Plan, DocumentWrite? Write)> PlanDocuments(
        SeedStep step, IReadOnlyCollection<SeedDocument> documents, Func<DocumentPath, DocumentSnapshot> snapshotOf)
    {
        var result = new List<(PlannedWrite, DocumentWrite?)>(documents.Count);
        foreach (var document in documents)
        {
            var path = DocumentPath.Create(step.Collection, document.Id);
            result.Add(PlanDocument(step, document, path, snapshotOf(path)));
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
        declared.All(field => stored.TryGetValue(field.Key, out var current) && Holds(current, field.Value));

    /// <summary>True when a stored field holds its declared value: the one comparison of plans, upserts and <c>seeding diff</c>.</summary>
    public static bool Holds(Value stored, Value declared) => ServerValues.Satisfies(stored, declared);

    /// <summary>
    /// Updates <paramref name="snapshots"/> as if <paramref name="writes"/> had been applied. With
    /// <paramref name="knownOnly"/>, only paths already held are updated (a streaming run keeps no snapshot of what
    /// it wrote: later steps read those documents back from the store, where the writes have landed).
    /// </summary>
    public static void Simulate(Dictionary<DocumentPath, DocumentSnapshot> snapshots, IEnumerable<DocumentWrite?> writes, bool knownOnly = false)
    {
        foreach (var write in writes)
        {
            if (write is null || (knownOnly && !snapshots.ContainsKey(write.Path)))
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
