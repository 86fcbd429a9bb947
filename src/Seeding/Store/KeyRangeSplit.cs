using Seeding.Documents;

namespace Seeding.Store;

/// <summary>
/// Splits a collection's key range by reading its keys once in order, for stores with no cheaper way (the in-memory
/// store, and the Firestore emulator, which has no PartitionQuery): a sample of every <c>s</c>-th key, <c>s</c> doubling
/// whenever the sample grows too large, so memory holds at most a few hundred keys per partition whatever the size.
/// </summary>
public static class KeyRangeSplit
{
    private const int SamplesPerPartition = 32;

    /// <summary>
    /// At most <paramref name="partitionCount"/> − 1 split points of the ordered <paramref name="keys"/>, ascending and
    /// distinct, leaving about as many keys in each partition (see <see cref="IPartitionQueryStore.SplitAsync"/>).
    /// </summary>
    public static async Task<IReadOnlyList<DocumentPath>> FromOrderedKeysAsync(IAsyncEnumerable<DocumentPath> keys, int partitionCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        if (partitionCount == 1)
        {
            return [];
        }

        var samples = new List<DocumentPath>();
        long stride = 1;
        long seen = 0;
        await foreach (var key in keys.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            seen++;
            if (seen % stride != 0)
            {
                continue;
            }

            samples.Add(key);
            if (samples.Count >= 2 * SamplesPerPartition * partitionCount)
            {
                // Keep the keys at even multiples of the stride: the sample stays evenly spaced at twice the stride.
                samples = samples.Where((_, i) => i % 2 == 1).ToList();
                stride *= 2;
            }
        }

        return Quantiles(samples, partitionCount);
    }

    /// <summary>The split points of <paramref name="partitionCount"/> partitions over the ordered, evenly spaced <paramref name="sample"/>.</summary>
    public static IReadOnlyList<DocumentPath> Quantiles(IReadOnlyList<DocumentPath> sample, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        var splits = new List<DocumentPath>(partitionCount - 1);
        for (var i = 1; i < partitionCount; i++)
        {
            // The last key of partition i-1: partitions are (split[i-1], split[i]].
            var index = (int)((long)sample.Count * i / partitionCount) - 1;
            if (index >= 0 && (splits.Count == 0 || splits[^1].CompareTo(sample[index]) < 0))
            {
                splits.Add(sample[index]);
            }
        }

        return splits;
    }
}
