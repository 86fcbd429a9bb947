namespace Seeding.Store;

/// <summary>
/// Implemented by a store that retries transient faults (Firestore: UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED,
/// RESOURCE_EXHAUSTED): it counts the calls it sent again, so a run can report them
/// (<see cref="Running.RunReport.Retries"/>) without knowing the backend. Optional: stores that never retry
/// (SQLite, in-memory) do not implement it.
/// </summary>
public interface IRetryCountingStore
{
    /// <summary>Calls sent again after a transient fault since the store was created; only grows, safe to read from any thread.</summary>
    long RetryCount { get; }
}
