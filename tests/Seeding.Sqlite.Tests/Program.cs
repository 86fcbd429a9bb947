using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Sqlite.Tests;

/// <summary>
/// The test assembly's entry point. The test runner never calls it; <see cref="CrossProcessTests"/> starts this
/// assembly with <c>dotnet exec</c> to get real, separate processes writing to one database file.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args switch
    {
        ["sqlite-worker", var database, var writer, var documents, var directory] =>
            Worker(database, int.Parse(writer, System.Globalization.CultureInfo.InvariantCulture), int.Parse(documents, System.Globalization.CultureInfo.InvariantCulture), directory),
        _ => 0,
    };

    // Talks through files in `directory` (pipes to the test host proved unreliable under load): writes
    // ready-N, waits for `go`, then races the other workers: create-only batches over the same documents
    // ("applied <id> <update micros>" per applied write), then one atomic create of a single lock document
    // ("won" or "lost"). The report goes to out-N when done, or the exception to error-N.
    private static int Worker(string database, int writer, int documents, string directory)
    {
        try
        {
            using var store = new SqliteDocumentStore(new SqliteStoreOptions(database));
            File.WriteAllText(Path.Combine(directory, $"ready-{writer}"), "ready");
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!File.Exists(Path.Combine(directory, "go")))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("No go file after two minutes.");
                }

                Thread.Sleep(5);
            }

            var report = new List<string>();
            var writes = Enumerable.Range(0, documents)
                .Select(i => (i + (writer * 5)) % documents)
                .Select(i => DocumentWrite.Create(DocumentPath.Create("shared", $"doc{i:D3}"), new Dictionary<string, Value> { ["writer"] = Value.Integer(writer) }))
                .ToArray();
            foreach (var chunk in writes.Chunk(4))
            {
                foreach (var outcome in store.WriteBatchAsync(chunk).GetAwaiter().GetResult().Where(o => o.Applied))
                {
                    report.Add($"applied {outcome.Path.Id} {outcome.UpdateTime!.Value.UnixMicroseconds}");
                }
            }

            try
            {
                store.CommitAsync([DocumentWrite.Create(DocumentPath.Parse("locks/single"), new Dictionary<string, Value> { ["owner"] = Value.Integer(writer) })]).GetAwaiter().GetResult();
                report.Add("won");
            }
            catch (PreconditionFailedException)
            {
                report.Add("lost");
            }

            File.WriteAllLines(Path.Combine(directory, $"out-{writer}"), report);
            return 0;
        }
        catch (Exception ex)
        {
            File.WriteAllText(Path.Combine(directory, $"error-{writer}"), ex.ToString());
            return 1;
        }
    }
}
