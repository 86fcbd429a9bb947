using Seeding.Store;
using Seeding.Values;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// The campaign's data check: the items of the killed run equal those of the uninterrupted run field by field (same
/// ids in the same order, same field names, equal values). Both stores are streamed in path order and compared one
/// document at a time, so memory stays flat however many documents there are.
/// </summary>
public static class BackfillCrashComparison
{
    private const int Examples = 5;

    /// <summary>What the comparison found.</summary>
    /// <param name="Compared">Documents present in both, compared field by field.</param>
    /// <param name="Migrated">Of those, documents of the killed run whose <c>status</c> is <c>migrated</c>.</param>
    /// <param name="Failures">The differences: the first document out of step, or the count of differing documents with the first few fields.</param>
    public sealed record Outcome(long Compared, long Migrated, IReadOnlyList<string> Failures);

    /// <summary>Compares the items of <paramref name="actual"/> with those of <paramref name="expected"/>.</summary>
    public static async Task<Outcome> CompareAsync(IDocumentStore expected, IDocumentStore actual, CancellationToken cancellationToken = default)
    {
        var query = new DocumentQuery(BackfillCrashScenario.Collection, []);
        await using var want = expected.QueryAllAsync(query, 1000, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var got = actual.QueryAllAsync(query, 1000, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var migrated = Value.String("migrated");
        long compared = 0, matched = 0, differing = 0;
        var failures = new List<string>();
        var examples = new List<string>();
        while (true)
        {
            var hasWant = await want.MoveNextAsync();
            var hasGot = await got.MoveNextAsync();
            if (!hasWant && !hasGot)
            {
                break;
            }

            // Out of step: a document missing on one side; everything after it would differ, so stop here.
            if (!hasWant || !hasGot || want.Current.Path != got.Current.Path)
            {
                failures.Add($"document {compared + 1:N0} of {BackfillCrashScenario.Collection}: the uninterrupted run has {(hasWant ? want.Current.Path.ToString() : "none")}, the killed run {(hasGot ? got.Current.Path.ToString() : "none")}.");
                break;
            }

            var differences = Differences(want.Current, got.Current).ToList();
            if (differences.Count > 0)
            {
                differing++;
                examples.AddRange(differences.Take(Examples - examples.Count));
            }

            compared++;
            matched += got.Current.Fields.TryGetValue("status", out var status) && status.Equals(migrated) ? 1 : 0;
        }

        if (differing > 0)
        {
            failures.Add($"{differing:N0} documents differ from the uninterrupted run, e.g. {string.Join("; ", examples)}.");
        }

        return new Outcome(compared, matched, failures);
    }

    private static IEnumerable<string> Differences(DocumentSnapshot want, DocumentSnapshot got)
    {
        foreach (var (key, value) in want.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!got.Fields.TryGetValue(key, out var actual))
            {
                yield return $"{got.Path}.{key} is missing, expected {value}";
            }
            else if (!value.Equals(actual))
            {
                yield return $"{got.Path}.{key}: {actual}, expected {value}";
            }
        }

        foreach (var key in got.Fields.Keys.Where(k => !want.Fields.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            yield return $"{got.Path}.{key} is not in the uninterrupted run";
        }
    }
}
