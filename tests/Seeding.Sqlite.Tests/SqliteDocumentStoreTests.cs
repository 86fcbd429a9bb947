using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Sqlite.Tests;

public sealed class SqliteDocumentStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Data_survives_reopening_the_file()
    {
        var path = DocumentPath.Parse("tenants/t1");
        var sub = DocumentPath.Parse("tenants/t1/users/u1");
        var fields = Fields(
            ("name", Value.String("Acme 😀")),
            ("big", Value.Integer(long.MaxValue)),
            ("nan", Value.Double(BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF))),
            ("negZero", Value.Double(-0.0)),
            ("at", Value.Timestamp(Timestamp.FromUnixMicroseconds(1_714_564_800_123_456))),
            ("bytes", Value.Bytes([0, 1, 0, 255])),
            ("nested", Value.Map(Fields(("list", Value.Array(Value.Null, Value.Reference(sub), Value.GeoPoint(new GeoPoint(1, 2))))))));

        WriteOutcome written;
        await using (var store = new SqliteDocumentStore(_database.Options))
        {
            written = (await store.CommitAsync([DocumentWrite.Create(path, fields), DocumentWrite.Create(sub, Fields(("x", Value.Integer(1))))]))[0];
        }

        await using (var reopened = new SqliteDocumentStore(_database.Options))
        {
            var snapshot = (await reopened.GetAllAsync([path]))[0];
            Assert.True(snapshot.Exists);
            Assert.Equal(Value.Map(fields), Value.Map(snapshot.Fields)); // bit-exact, NaN payload included
            Assert.Equal(written.UpdateTime, snapshot.UpdateTime);
            Assert.Equal(written.UpdateTime, snapshot.CreateTime);
            Assert.Equal(["u1"], (await reopened.QueryAsync(new DocumentQuery("tenants/t1/users", []))).Select(s => s.Path.Id));

            var later = (await reopened.WriteBatchAsync([DocumentWrite.Merge(path, Fields(("name", Value.String("Acme 2"))))]))[0];
            Assert.True(later.UpdateTime > written.UpdateTime);
        }
    }

    [Fact]
    public async Task Commit_times_keep_increasing_when_the_clock_goes_back_even_across_store_instances()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var path = DocumentPath.Parse("c/x");
        Timestamp first;
        await using (var store = new SqliteDocumentStore(_database.Options, time: clock))
        {
            first = (await store.CommitAsync([DocumentWrite.Set(path, Fields(("v", Value.Integer(1))))]))[0].UpdateTime!.Value;
            var second = (await store.CommitAsync([DocumentWrite.Set(path, Fields(("v", Value.Integer(2))))]))[0].UpdateTime!.Value;
            Assert.Equal(first.UnixMicroseconds + 1, second.UnixMicroseconds); // same clock reading: one microsecond later
            first = second;
        }

        clock.Now = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var other = new SqliteDocumentStore(_database.Options, time: clock))
        {
            var third = (await other.CommitAsync([DocumentWrite.Set(path, Fields(("v", Value.Integer(3))))]))[0].UpdateTime!.Value;
            Assert.True(third > first);
        }
    }

    [Fact]
    public async Task Parallel_create_only_batches_from_separate_connections_have_exactly_one_winner_per_document()
    {
        const int writers = 8;
        const int documents = 40;
        var stores = Enumerable.Range(0, writers).Select(_ => new SqliteDocumentStore(_database.Options)).ToArray();
        try
        {
            using var start = new Barrier(writers);
            var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                // Each writer tries the same documents in a different order.
                var writes = Enumerable.Range(0, documents)
                    .Select(i => (i + (w * 7)) % documents)
                    .Select(i => DocumentWrite.Create(DocumentPath.Create("locks", $"doc{i:D2}"), Fields(("writer", Value.Integer(w)))))
                    .ToArray();
                start.SignalAndWait();
                var outcomes = new List<WriteOutcome>();
                foreach (var chunk in writes.Chunk(5))
                {
                    outcomes.AddRange(await stores[w].WriteBatchAsync(chunk));
                }

                return (Writer: w, Outcomes: outcomes);
            })));

            var winners = results
                .SelectMany(r => r.Outcomes.Where(o => o.Applied).Select(o => (o.Path, r.Writer)))
                .ToArray();
            Assert.Equal(documents, winners.Length);
            Assert.Equal(documents, winners.Select(w => w.Path).Distinct().Count());

            var stored = await stores[0].QueryAsync(new DocumentQuery("locks", []));
            Assert.Equal(documents, stored.Count);
            var winnerOf = winners.ToDictionary(w => w.Path, w => w.Writer);
            Assert.All(stored, s => Assert.Equal(Value.Integer(winnerOf[s.Path]), s.Fields["writer"]));
            Assert.Equal(documents, stored.Select(s => s.UpdateTime).Count());
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Parallel_atomic_creates_of_one_document_let_exactly_one_commit_through()
    {
        const int writers = 8;
        await using var store = new SqliteDocumentStore(_database.Options);
        var path = DocumentPath.Parse("locks/the-lock");
        using var start = new Barrier(writers);
        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            start.SignalAndWait();
            try
            {
                await store.CommitAsync([DocumentWrite.Create(path, Fields(("owner", Value.Integer(w)))), DocumentWrite.Set(DocumentPath.Create("claims", $"w{w}"), Fields())]);
                return (Writer: w, Won: true);
            }
            catch (PreconditionFailedException)
            {
                return (Writer: w, Won: false);
            }
        })));

        var winner = Assert.Single(results, r => r.Won);
        Assert.Equal(Value.Integer(winner.Writer), (await store.GetAllAsync([path]))[0].Fields["owner"]);
        Assert.Equal([$"w{winner.Writer}"], (await store.QueryAsync(new DocumentQuery("claims", []))).Select(s => s.Path.Id));
    }

    [Fact]
    public async Task Optimistic_increments_from_parallel_writers_never_lose_an_update()
    {
        const int writers = 6;
        const int increments = 10;
        var path = DocumentPath.Parse("counters/c");
        await using (var setup = new SqliteDocumentStore(_database.Options))
        {
            await setup.CommitAsync([DocumentWrite.Create(path, Fields(("n", Value.Integer(0))))]);
        }

        var conflicts = new ConcurrentBag<int>();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await using var store = new SqliteDocumentStore(_database.Options);
            for (var i = 0; i < increments; i++)
            {
                while (true)
                {
                    var current = (await store.GetAllAsync([path]))[0];
                    var next = current.Fields["n"].AsInteger() + 1;
                    var outcome = (await store.WriteBatchAsync([DocumentWrite.Merge(path, Fields(("n", Value.Integer(next))), Precondition.UpdatedAt(current.UpdateTime!.Value))]))[0];
                    if (outcome.Applied)
                    {
                        break;
                    }

                    conflicts.Add(w);
                }
            }
        })));

        await using var reader = new SqliteDocumentStore(_database.Options);
        Assert.Equal(Value.Integer(writers * increments), (await reader.GetAllAsync([path]))[0].Fields["n"]);
    }

    [Fact]
    public async Task A_missing_directory_gives_a_clear_error()
    {
        var missing = Path.Combine(_database.Directory, "no-such-dir", "store.db");
        await using var store = new SqliteDocumentStore(new SqliteStoreOptions(missing));
        var error = await Assert.ThrowsAsync<IOException>(() => store.GetAllAsync([DocumentPath.Parse("c/x")]));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("directory exists and is writable", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IOException>(() => SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(missing)));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_gives_a_clear_error()
    {
        await File.WriteAllTextAsync(_database.FilePath, "this is not a database, just some text that is long enough to look like a header..........");
        await using var store = new SqliteDocumentStore(_database.Options);
        var error = await Assert.ThrowsAsync<IOException>(() => store.QueryAsync(new DocumentQuery("c", [])));
        Assert.Contains("is not a SQLite database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_database_uses_wal_mode_and_ids_are_searched_by_primary_key()
    {
        await using (var store = await SqliteDocumentStore.OpenAsync(_database.Options))
        {
            await store.CommitAsync([DocumentWrite.Set(DocumentPath.Parse("c/x"), Fields())]);
        }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _database.FilePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await mode.ExecuteScalarAsync());

        await using var plan = connection.CreateCommand();
        plan.CommandText = "EXPLAIN QUERY PLAN SELECT fields FROM seeding_documents WHERE (collection, id) IN (VALUES ('c', 'x'), ('c', 'y'))";
        await using var reader = await plan.ExecuteReaderAsync();
        var details = new List<string>();
        while (await reader.ReadAsync())
        {
            details.Add(reader.GetString(3));
        }

        Assert.Contains(details, d => d.Contains("USING PRIMARY KEY", StringComparison.Ordinal));
        Assert.DoesNotContain(details, d => d.StartsWith("SCAN seeding_documents", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Strings_with_nul_characters_round_trip_and_lone_surrogates_are_refused()
    {
        await using var store = new SqliteDocumentStore(_database.Options);
        var path = DocumentPath.Parse("c/x");
        var fields = Fields(("nul\0key", Value.String("a\0b\0")));
        await store.CommitAsync([DocumentWrite.Set(path, fields)]);
        Assert.Equal(Value.Map(fields), Value.Map((await store.GetAllAsync([path]))[0].Fields));

        var bad = await Assert.ThrowsAsync<ArgumentException>(() => store.CommitAsync([DocumentWrite.Set(DocumentPath.Parse("c/y"), Fields(("s", Value.String("lone \uD83D surrogate"))))]));
        Assert.Contains("c/y", bad.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteBatchAsync([DocumentWrite.Set(DocumentPath.Create("c", "id\uDC00"), Fields())]));
        Assert.False((await store.GetAllAsync([DocumentPath.Parse("c/y")]))[0].Exists);
    }

    [Fact]
    public async Task An_invalid_write_fails_the_whole_batch_and_writes_nothing()
    {
        await using var store = new SqliteDocumentStore(_database.Options);
        var good = DocumentPath.Parse("c/good");
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteBatchAsync(
        [
            DocumentWrite.Set(good, Fields(("v", Value.Integer(1)))),
            DocumentWrite.Set(DocumentPath.Parse("c/bad"), Fields(("s", Value.String("\uDC00")))),
        ]));
        Assert.False((await store.GetAllAsync([good]))[0].Exists);
    }

    [Fact]
    public async Task Queries_over_a_large_collection_filter_in_path_order_and_stop_at_the_limit()
    {
        await using var store = new SqliteDocumentStore(_database.Options);
        const int count = 3000;
        foreach (var chunk in Enumerable.Range(0, count).Chunk(store.MaxBatchSize))
        {
            await store.WriteBatchAsync(chunk.Select(i => DocumentWrite.Set(
                DocumentPath.Create("big", $"d{i:D5}"),
                Fields(("mod", Value.Integer(i % 7)), ("payload", Value.String(new string('x', 200))), ("tag", i % 2 == 0 ? Value.Null : Value.Boolean(true))))).ToArray());
        }

        var page = await store.QueryAsync(new DocumentQuery("big", [FieldFilter.EqualTo("mod", Value.Double(3)), FieldFilter.IsNullValue("tag")], Limit: 5));
        Assert.Equal(["d00010", "d00024", "d00038", "d00052", "d00066"], page.Select(p => p.Path.Id));

        var all = new List<string>();
        DocumentPath? cursor = null;
        do
        {
            var next = await store.QueryAsync(new DocumentQuery("big", [FieldFilter.EqualTo("mod", Value.Integer(3))], Limit: 100, StartAfter: cursor));
            all.AddRange(next.Select(n => n.Path.Id));
            cursor = next.Count == 0 ? null : next[^1].Path;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, count).Where(i => i % 7 == 3).Select(i => $"d{i:D5}"), all);
    }

    [Fact]
    public async Task Cursors_outside_the_collection_return_all_or_nothing()
    {
        await using var store = new SqliteDocumentStore(_database.Options);
        await store.WriteBatchAsync([DocumentWrite.Set(DocumentPath.Parse("m/a"), Fields()), DocumentWrite.Set(DocumentPath.Parse("m/b"), Fields())]);

        Assert.Equal(2, (await store.QueryAsync(new DocumentQuery("m", [], StartAfter: DocumentPath.Parse("a/z")))).Count);
        Assert.Empty(await store.QueryAsync(new DocumentQuery("m", [], StartAfter: DocumentPath.Parse("z/a"))));
        Assert.Equal(["b"], (await store.QueryAsync(new DocumentQuery("m", [], StartAfter: DocumentPath.Parse("m/a/sub/z")))).Select(s => s.Path.Id));
    }

    [Fact]
    public async Task A_disposed_store_refuses_calls()
    {
        var store = new SqliteDocumentStore(_database.Options);
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAllAsync([DocumentPath.Parse("c/x")]));
    }

    [Fact]
    public void Name_names_the_file()
    {
        using var store = new SqliteDocumentStore(new SqliteStoreOptions("seeding.db"));
        Assert.Equal("sqlite:seeding.db", store.Name);
        Assert.Equal(Path.GetFullPath("seeding.db"), store.DatabasePath);
    }

    private static IReadOnlyDictionary<string, Value> Fields(params (string Key, Value Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
