using System.Diagnostics;
using System.Globalization;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Sqlite.Tests;

public sealed class CrossProcessTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Separate_processes_racing_on_one_file_get_exactly_one_winner_per_document()
    {
        const int processes = 3;
        const int documents = 30;
        var exchange = Path.Combine(_database.Directory, "exchange");
        Directory.CreateDirectory(exchange);

        // Create the file first, so the workers race on writes, not on creating the schema.
        await using (var setup = await SqliteDocumentStore.OpenAsync(_database.Options))
        {
        }

        var workers = Enumerable.Range(0, processes).Select(w => StartWorker(w, documents, exchange)).ToArray();
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (Enumerable.Range(0, processes).Any(w => !File.Exists(Path.Combine(exchange, $"ready-{w}"))))
            {
                Assert.True(DateTime.UtcNow < deadline, "workers did not start within two minutes");
                Assert.True(!workers.Any(w => w.HasExited), "a worker stopped early: " + Errors(exchange));
                await Task.Delay(20);
            }

            await File.WriteAllTextAsync(Path.Combine(exchange, "go"), "go");
            foreach (var worker in workers)
            {
                await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
                Assert.True(worker.ExitCode == 0, $"a worker failed: {Errors(exchange)}");
            }

            var outputs = Enumerable.Range(0, processes).Select(w => File.ReadAllLines(Path.Combine(exchange, $"out-{w}"))).ToArray();
            var applied = outputs
                .SelectMany((lines, writer) => lines.Where(l => l.StartsWith("applied ", StringComparison.Ordinal)).Select(l => (Writer: writer, Parts: l.Split(' '))))
                .Select(a => (a.Writer, Id: a.Parts[1], Micros: long.Parse(a.Parts[2], CultureInfo.InvariantCulture)))
                .ToArray();
            Assert.Equal(documents, applied.Length);
            Assert.Equal(documents, applied.Select(a => a.Id).Distinct().Count());
            Assert.Single(outputs, lines => lines.Contains("won"));
            Assert.Equal(processes - 1, outputs.Count(lines => lines.Contains("lost")));

            // Commit times are unique across processes: no two processes' commits share one.
            Assert.All(applied.GroupBy(a => a.Micros), g => Assert.Single(g.Select(a => a.Writer).Distinct()));

            await using var store = new SqliteDocumentStore(_database.Options);
            var stored = await store.QueryAsync(new DocumentQuery("shared", []));
            Assert.Equal(documents, stored.Count);
            var winners = applied.ToDictionary(a => a.Id, a => a);
            Assert.All(stored, s =>
            {
                Assert.Equal(Value.Integer(winners[s.Path.Id].Writer), s.Fields["writer"]);
                Assert.Equal(winners[s.Path.Id].Micros, s.UpdateTime!.Value.UnixMicroseconds);
            });
            var lockOwner = (await store.GetAllAsync([DocumentPath.Parse("locks/single")]))[0].Fields["owner"].AsInteger();
            Assert.Contains("won", outputs[(int)lockOwner]);
        }
        finally
        {
            foreach (var worker in workers)
            {
                if (!worker.HasExited)
                {
                    worker.Kill();
                }

                worker.Dispose();
            }
        }
    }

    private static string Errors(string exchange) =>
        string.Join("\n", Directory.GetFiles(exchange, "error-*").Select(File.ReadAllText));

    private Process StartWorker(int writer, int documents, string exchange)
    {
        var host = Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        string[] arguments =
        [
            "exec", typeof(Program).Assembly.Location, "sqlite-worker", _database.FilePath,
            writer.ToString(CultureInfo.InvariantCulture), documents.ToString(CultureInfo.InvariantCulture), exchange,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start a worker process.");
    }
}
