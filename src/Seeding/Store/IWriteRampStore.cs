namespace Seeding.Store;

/// <summary>
/// Implemented by a store that can pace its writes by a ramp (Firestore's 500/50/5 guidance for new collections: start
/// at 500 writes per second, raise the rate by 50% every 5 minutes), so a run can report whether the ramp was on and how
/// long it waited (<see cref="Running.RunReport.WriteRampActive"/>, <see cref="Running.RunReport.WriteRampWait"/>)
/// without knowing the backend. Optional: stores without a ramp (SQLite, in-memory) do not implement it.
/// </summary>
public interface IWriteRampStore
{
    /// <summary>True when the store paces its batched writes by the ramp.</summary>
    bool WriteRampActive { get; }

    /// <summary>Time spent waiting for the ramp since the store was created; only grows, safe to read from any thread.</summary>
    TimeSpan WriteRampWait { get; }
}
