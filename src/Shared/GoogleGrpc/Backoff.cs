// Part of the Google transport (see GoogleFaults.cs).
#if SEEDING_FIRESTORE
namespace Seeding.Firestore.Internal;
#elif SEEDING_PUBSUB
namespace Seeding.PubSub.Internal;
#endif

/// <summary>Exponential backoff with jitter, so that many clients retrying at once spread out.</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    /// <summary>The delay before retry number <paramref name="retry"/> (1-based): half fixed, half random, of a doubling cap.</summary>
    public TimeSpan Delay(int retry)
    {
        var cap = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30)));
        return TimeSpan.FromMilliseconds((cap / 2) + (Random.Shared.NextDouble() * cap / 2));
    }
}
