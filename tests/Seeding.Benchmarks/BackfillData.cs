using System.Diagnostics;
using System.Globalization;
using Seeding.Documents;
using Seeding.Firestore;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;

namespace Seeding.Benchmarks;

/// <summary>
/// The data of the <c>backfill</c> part: N documents of ~8 fields in <c>items</c>, every second one <c>status: pending</c>
/// (the backfill's <c>where:</c>), loaded into a fresh emulator project through the runtime's batched writes
/// (BatchWrite of 500, 4 in flight); after a contender's run, every document is read back and checked, so a wrong fast
/// run is never reported; then the project's documents are deleted (the emulator keeps every project in memory).
/// </summary>
internal static class BackfillData
{
    /// <summary>The collection the backfill reads.</summary>
    public const string Collection = "items";

    /// <summary>The backfill migration, as a service's YAML file (<c>migrations/post/0001_backfill.yaml</c>).</summary>
    public const string Migration = """
        description: Pending items expire at the start of 2030 and are marked backfilled
        backfill: items
        where: { status: pending }
        set: { expires_at: !timestamp 2030-01-01T00:00:00Z, backfilled: true }
        """;

    /// <summary>The same <c>set:</c> for the Node peer (a <c>timestamp</c> object is written as a Firestore timestamp).</summary>
    public const string SetJson = """{"expires_at":{"timestamp":"2030-01-01T00:00:00Z"},"backfilled":true}""";

    /// <summary>The migration's history document id for the benchmark service.</summary>
    public const string HistoryId = "bench:post:0001_backfill";

    private static readonly Timestamp ExpiresAt = Timestamp.Parse("2030-01-01T00:00:00Z");

    /// <summary>Writes the N documents into <paramref name="projectId"/> (straight to the emulator, never through a proxy); returns the time it took.</summary>
    public static async Task<TimeSpan> LoadAsync(string projectId, int documents)
    {
        await using var store = new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync(projectId));
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, documents).Chunk(500), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, cancellationToken) =>
        {
            var outcomes = await store.WriteBatchAsync(chunk.Select(i => DocumentWrite.Set(DocumentPath.Create(Collection, Id(i)), Fields(i))).ToArray(), cancellationToken);
            if (outcomes.Any(o => !o.Applied))
            {
                throw new InvalidOperationException($"Loading {projectId}: a write of the chunk from {Id(chunk[0])} was not applied.");
            }
        });
        return clock.Elapsed;
    }

    /// <summary>
    /// Reads every document back: each pending one carries the <c>set:</c> fields, no other one does, N/2 in all; the
    /// process(es) reported <paramref name="reportedUpdated"/> = N/2 updates (each document written once); for Seeding,
    /// the migration is recorded in history exactly once. Throws with what is wrong.
    /// </summary>
    public static async Task VerifyAsync(string projectId, int documents, string contender, long reportedUpdated, bool seeding)
    {
        await using var store = new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync(projectId));
        long total = 0, backfilled = 0;
        var wrong = new List<string>();
        await foreach (var document in store.QueryAllAsync(new DocumentQuery(Collection, []), 1000))
        {
            total++;
            var pending = document.Fields.TryGetValue("status", out var status) && status.Kind == ValueKind.String && status.AsString() == "pending";
            var has = document.Fields.TryGetValue("backfilled", out var flag) && flag.Kind == ValueKind.Boolean && flag.AsBoolean() &&
                      document.Fields.TryGetValue("expires_at", out var expires) && expires.Kind == ValueKind.Timestamp && expires.AsTimestamp() == ExpiresAt;
            var touched = document.Fields.ContainsKey("backfilled") || document.Fields.ContainsKey("expires_at");
            if (pending ? !has : touched)
            {
                if (wrong.Count < 5)
                {
                    wrong.Add(document.Path.ToString());
                }
            }

            backfilled += has ? 1 : 0;
        }

        var expected = documents / 2 + documents % 2;
        var problems = new List<string>();
        if (total != documents)
        {
            problems.Add($"{total:N0} documents in {Collection}, expected {documents:N0}");
        }

        if (wrong.Count > 0 || backfilled != expected)
        {
            problems.Add($"{backfilled:N0} documents backfilled, expected {expected:N0}; wrong ones include {string.Join(", ", wrong)}");
        }

        if (reportedUpdated != expected)
        {
            problems.Add($"the run reported {reportedUpdated:N0} updated, expected {expected:N0}");
        }

        if (seeding)
        {
            var history = new List<string>();
            await foreach (var record in store.QueryAllAsync(new DocumentQuery("seeding_history", []), 500))
            {
                history.Add(record.Path.Id);
            }

            if (history.Count(id => id == HistoryId) != 1 || history.Count != 1)
            {
                problems.Add($"history holds [{string.Join(", ", history)}], expected {HistoryId} once");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{contender} on {projectId} left wrong data: {string.Join("; ", problems)}.");
        }
    }

    /// <summary>
    /// The backfill's write rate as the store saw it: N/2 updates over the window from the first to the last write the
    /// history record names (the budget's first second of burst included, as a user's run has it).
    /// </summary>
    public static async Task<(double Rate, double Seconds)> RecordedRateAsync(string projectId, int documents)
    {
        await using var store = new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync(projectId));
        var history = (await store.GetAllAsync([DocumentPath.Create("seeding_history", HistoryId)]))[0];
        if (!history.Exists || !history.Fields.TryGetValue("first_write_at", out var first) || !history.Fields.TryGetValue("last_write_at", out var last))
        {
            throw new InvalidOperationException($"{projectId}: the history record {HistoryId} has no write window.");
        }

        var seconds = (last.AsTimestamp().UnixMicroseconds - first.AsTimestamp().UnixMicroseconds) / 1e6;
        return ((documents / 2 + documents % 2) / seconds, seconds);
    }

    /// <summary>Deletes every document of <paramref name="projectId"/> through the emulator's own endpoint, so a 1M-document run leaves no heap behind.</summary>
    public static async Task ClearAsync(string host, string projectId)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(15) }; // the emulator takes minutes to drop 1,000,000 documents
        using var response = await http.DeleteAsync(new Uri($"http://{host}/emulator/v1/projects/{projectId}/databases/(default)/documents"));
        if (!response.IsSuccessStatusCode)
        {
            // Seen at 1,000,000 documents (500 from the emulator): the project stays in its memory, the next run uses a new one.
            Console.WriteLine($"  note: the emulator did not clear {projectId} ({(int)response.StatusCode} {response.ReasonPhrase}); it keeps it in memory");
        }
    }

    /// <summary>The sum of the <c>Total: ... N updated</c> of <c>seeding migrate</c>'s text summaries.</summary>
    public static long ReportedUpdated(IEnumerable<Measured> processes) => processes.Sum(p =>
    {
        var total = p.Output.Split('\n').LastOrDefault(l => l.StartsWith("Total:", StringComparison.Ordinal))
                    ?? throw new InvalidOperationException($"seeding migrate printed no Total line:\n{p.Output}");
        var match = System.Text.RegularExpressions.Regex.Match(total, @"(\d+) updated");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"No updated count in: {total}");
    });

    private static string Id(int i) => $"item-{i:D7}";

    private static Dictionary<string, Value> Fields(int i) => new(StringComparer.Ordinal)
    {
        ["n"] = Value.Integer(i),
        ["name"] = Value.String($"Item {i}"),
        ["email"] = Value.String($"user{i}@example.com"),
        ["status"] = Value.String(i % 2 == 0 ? "pending" : "done"),
        ["active"] = Value.Boolean(i % 3 == 0),
        ["tags"] = Value.Array(Value.String("a"), Value.String("b")),
        ["address"] = Value.Map(new Dictionary<string, Value>(StringComparer.Ordinal) { ["city"] = Value.String("Berlin"), ["zip"] = Value.String($"{10000 + (i % 90000)}") }),
        ["created_at"] = Value.Timestamp(Timestamp.Parse("2026-01-01T00:00:00Z")),
    };
}
