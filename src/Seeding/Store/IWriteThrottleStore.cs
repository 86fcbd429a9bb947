namespace Seeding.Store;

/// <summary>
/// Implemented by a store whose backend refuses writes when they exceed its capacity (Firestore: RESOURCE_EXHAUSTED) and
/// paces writes by a rate of its own (Firestore's 500/50/5 ramp). The run's write budget
/// (<see cref="Running.SeedRunnerOptions.MaxWritesPerSecond"/>) reads <see cref="ThrottledCount"/> to slow down after a
/// refusal, and hands the store this process's share of a rate several workers share, so the store's own pacing applies
/// to their total. The store still retries the refused call itself (one retry loop); the budget only slows what follows.
/// Optional: stores that never refuse for capacity (SQLite, in-memory) do not implement it.
/// </summary>
public interface IWriteThrottleStore
{
    /// <summary>Calls the backend refused as over its capacity since the store was created; only grows, safe to read from any thread.</summary>
    long ThrottledCount { get; }

    /// <summary>
    /// This process's share (0 to 1] of the write rate all workers of a backfill share; the store scales its own pacing
    /// (Firestore's write ramp) by it, so the ramp holds for the total, not per process. Default 1.
    /// </summary>
    double WriteShare { get; set; }
}
