using Grpc.Core;
using Seeding.Store;

namespace Seeding.Firestore.Internal;

/// <summary>
/// How a refused write is told apart from one that landed: which precondition a status belongs to, which write of a
/// batch Firestore refused, and whether a document read back is in the state a write produces.
/// </summary>
internal static class WriteReconciliation
{
    // Which write Firestore refused. Each status has one kind of precondition behind it: ALREADY_EXISTS a must-not-exist,
    // FAILED_PRECONDITION an update time (and its message, "the stored version (…) does not match the required base
    // version (…)", names no document), NOT_FOUND a must-exist. So only writes of that kind are suspects: a lease
    // renewal refused beside a create is the renewal, never the create. Among several suspects, the message names the
    // document (production: the full resource name; the emulator: "path=/c/d}"); the longest path found wins, so
    // "c/taken" is not mistaken for "c/t".
    public static DocumentWrite RefusedWrite(IReadOnlyList<DocumentWrite> writes, RpcException e)
    {
        var detail = e.Status.Detail ?? string.Empty;
        bool Named(DocumentWrite w)
        {
            var needle = "/" + w.Path;
            for (var at = detail.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = detail.IndexOf(needle, at + 1, StringComparison.Ordinal))
            {
                var end = at + needle.Length;
                if (end == detail.Length || detail[end] is '}' or ',' or ' ' or ')' or '"' or '\'' or '.')
                {
                    return true;
                }
            }

            return false;
        }

        var candidates = writes.Where(w => IsPreconditionFailure(e.StatusCode, w)).ToList();
        var suspects = candidates.Where(w => CanCause(e.StatusCode, w.Precondition)).ToList();
        if (suspects.Count > 0)
        {
            candidates = suspects;
        }

        return candidates.Where(Named).MaxBy(w => w.Path.ToString().Length) ?? candidates[0];
    }

    private static bool CanCause(StatusCode code, Precondition precondition) => code switch
    {
        StatusCode.AlreadyExists => precondition.Exists == false,
        StatusCode.FailedPrecondition => precondition.UpdateTime is not null,
        StatusCode.NotFound => precondition.Exists == true || precondition.UpdateTime is not null,
        _ => false,
    };

    // Precondition refusals: ALREADY_EXISTS (must not exist), FAILED_PRECONDITION (update time), and NOT_FOUND for a
    // write that required an existing document (Firestore reports a missing one that way).
    public static bool IsPreconditionFailure(StatusCode code, DocumentWrite write) =>
        code is StatusCode.AlreadyExists or StatusCode.FailedPrecondition || (code == StatusCode.NotFound && !write.Precondition.IsNone);

    /// <summary>True when <paramref name="snapshot"/> is the state <paramref name="write"/> produces (server times match any time).</summary>
    public static bool Produced(DocumentWrite write, DocumentSnapshot snapshot) => write.Kind switch
    {
        WriteKind.Delete => !snapshot.Exists,
        WriteKind.Set => snapshot.Exists && snapshot.Fields.Count == write.Fields.Count && write.Fields.All(f => snapshot.Fields.TryGetValue(f.Key, out var stored) && ServerValues.Satisfies(stored, f.Value)),
        _ => snapshot.Exists && write.Fields.All(f => snapshot.Fields.TryGetValue(f.Key, out var stored) && ServerValues.Satisfies(stored, f.Value)),
    };
}
