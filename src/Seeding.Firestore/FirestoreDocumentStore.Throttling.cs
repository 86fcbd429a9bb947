using Seeding.Store;

namespace Seeding.Firestore;

/// <summary>Refusals for capacity and the write share, for the run's write budget (see <see cref="IWriteThrottleStore"/>).</summary>
public sealed partial class FirestoreDocumentStore : IWriteThrottleStore
{
    /// <summary>
    /// Calls and single writes Firestore refused with RESOURCE_EXHAUSTED since the store was created. The store retries
    /// them as before (BatchWrite resends only the refused writes); the write budget reads this count to slow down.
    /// </summary>
    public long ThrottledCount => _transport.Throttled;

    /// <summary>
    /// This process's share of the write rate several workers share: the 500/50/5 ramp (when on) is scaled by it, so
    /// the ramp holds for all workers together. Default 1; set by the run's write budget.
    /// </summary>
    public double WriteShare
    {
        get => _ramp?.Share ?? _share;
        set
        {
            if (double.IsNaN(value) || value <= 0 || value > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "A write share is more than 0 and at most 1.");
            }

            _share = value;
            _ramp?.Share = value;
        }
    }

    private double _share = 1;
}
