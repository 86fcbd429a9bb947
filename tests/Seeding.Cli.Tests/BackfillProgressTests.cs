using System.Text.Json;
using Seeding.Definitions;
using Seeding.Sqlite;
using Seeding.Store;
using Seeding.Values;
using Xunit.Abstractions;

namespace Seeding.Cli.Tests;

/// <summary>
/// Backfills through the command line on SQLite: the write budget (--max-writes-per-second) measured on the store's own
/// write times, progress on standard error (plain lines when redirected, JSON events with --output json), and the plan
/// limit of a dry run over 50,000 documents.
/// </summary>
public sealed class BackfillProgressTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_write_budget_holds_the_measured_write_rate_within_ten_percent_and_progress_lines_go_to_standard_error()
    {
        const int Documents = 2400;
        const double Budget = 300;
        using var ws = new Workspace();
        Assert.Equal(0, (await ws.RunAsync([Items("throttle", Documents)], "migrate", "--all")).ExitCode);

        var result = await ws.RunAsync([Items("throttle", Documents, backfill: true)], "migrate", "--all", "--max-writes-per-second", "300");

        Assert.True(result.ExitCode == 0, result.ToString());
        var times = await UpdateTimesAsync(ws, "open");
        Assert.Equal(Documents, times.Count);
        // The store's own commit times: batches land at the budget's pace, whatever this machine's load did to the test's clock.
        var first = times.Min();
        var last = times.Max();
        var afterFirstBatch = times.Count(t => t > first);
        var rate = afterFirstBatch / ((last.UnixMicroseconds - first.UnixMicroseconds) / 1e6);
        output.WriteLine($"measured {rate:0.#} writes/s over {(last.UnixMicroseconds - first.UnixMicroseconds) / 1e6:0.##} s (budget {Budget})\n{result.Error}");
        Assert.InRange(rate, Budget * 0.9, Budget * 1.1);

        // Redirected (a writer that is no terminal): plain lines, at least one while it ran and one when it ended.
        var lines = result.Error.Split('\n').Where(l => l.StartsWith("progress: throttle pre/0002_status backfill items (line 2): ", StringComparison.Ordinal)).ToArray();
        Assert.True(lines.Length >= 2, result.Error);
        // SQLite counts a backfill without equality conditions from its index: the lines have an ETA.
        Assert.Matches(@", ETA [0-9]{2}:[0-9]{2} \(of 2,400\)$", lines[0]);
        Assert.Matches(@"2,400 scanned, 2,400 updated, 0 skipped, [0-9,]+/s, done in 00:(0[7-9]|[1-5][0-9])$", lines[^1]);
        Assert.DoesNotContain("progress:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_json_output_progress_is_json_lines_on_standard_error_and_standard_output_stays_one_document()
    {
        using var ws = new Workspace();
        Assert.Equal(0, (await ws.RunAsync([Items("events", 600)], "migrate", "--all")).ExitCode);

        var result = await ws.RunAsync([Items("events", 600, backfill: true)], "migrate", "--all", "--max-writes-per-second", "400", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var seed = document.RootElement.GetProperty("services")[0].GetProperty("seeds").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "0002_status");
        Assert.Equal(600, seed.GetProperty("updated").GetInt32());
        Assert.Equal(0, seed.GetProperty("planOmitted").GetArrayLength());
        var events = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal("backfill_progress", e.GetProperty("event").GetString()));
        var end = events[^1];
        Assert.Equal("pre/0002_status", end.GetProperty("seed").GetString());
        Assert.Equal("backfill items", end.GetProperty("step").GetString());
        Assert.True(end.GetProperty("completed").GetBoolean());
        Assert.Equal((600, 600, 0), (end.GetProperty("scanned").GetInt64(), end.GetProperty("updated").GetInt64(), end.GetProperty("skipped").GetInt64()));
        Assert.Equal(600, end.GetProperty("total").GetInt64()); // counted by SQLite from its index
        Assert.Equal(0, end.GetProperty("etaMs").GetInt64());
        Assert.True(end.GetProperty("elapsedMs").GetInt64() >= 1000, "600 writes at 400/s take more than a second");
    }

    [Fact]
    public async Task The_progress_bar_draws_each_backfill_and_ends_before_the_result_is_printed()
    {
        using var ws = new Workspace();
        Assert.Equal(0, (await ws.RunAsync([Items("bar", 2000)], "migrate", "--all")).ExitCode);

        // Forced: a StringWriter is no terminal, so Spectre.Console draws with its fallback renderer (a line per task as it
        // passes 25, 50, 75... percent), the same tasks and descriptions the live bar shows. 2,000 writes at 400/s: 5 s.
        var result = await ws.RunAsync([Items("bar", 2000, backfill: true)], "migrate", "--all", "--max-writes-per-second", "400", "--progress", "bar");

        output.WriteLine(result.Error);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("bar pre/0002_status backfill items:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("progress:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Error, StringComparison.Ordinal); // no colours off a terminal
        Assert.Contains("Total: 1 service, 2 seed files (1 applied, 1 already applied): 0 created, 0 skipped, 2000 updated", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_of_a_50000_document_backfill_lists_the_first_documents_and_counts_the_rest()
    {
        const int Documents = 50_000;
        using var ws = new Workspace();
        Assert.Equal(0, (await ws.RunAsync([Items("huge", Documents)], "migrate", "--all", "--progress", "none")).ExitCode);

        var json = await ws.RunAsync([Items("huge", Documents, backfill: true)], "plan", "--all", "--plan-limit", "100", "--output", "json", "--progress", "none");

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Output);
        var seed = document.RootElement.GetProperty("services")[0].GetProperty("seeds").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "0002_status");
        Assert.Equal(Documents, seed.GetProperty("updated").GetInt32());
        Assert.Equal(100, seed.GetProperty("plan").GetArrayLength());
        var omitted = seed.GetProperty("planOmitted").EnumerateArray().Single();
        Assert.Equal((Documents - 100, "backfill items", 2), (omitted.GetProperty("count").GetInt64(), omitted.GetProperty("step").GetString(), omitted.GetProperty("line").GetInt32()));
        // The report holds 100 lines, not 50,000: its size does not grow with the collection.
        Assert.True(json.Output.Length < 32_000, $"the JSON report has {json.Output.Length} characters");

        var text = await ws.RunAsync([Items("huge", Documents, backfill: true)], "plan", "--all", "--plan-limit", "3");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("    ... and 49,997 more (backfill items, migrations/pre/0002_status.yaml:2)\n", text.Output, StringComparison.Ordinal);
        Assert.True(text.Output.Length < 4_000, text.Output);
        Assert.Empty(await UpdateTimesAsync(ws, "open")); // a dry run writes nothing
    }

    [Fact]
    public async Task A_malformed_budget_in_configuration_is_a_usage_error_naming_the_key()
    {
        using var ws = new Workspace();
        ws.Environment["Seeding__MaxWritesPerSecond"] = "fast";

        var result = await ws.RunAsync([Items("bad", 1, backfill: true)], "migrate", "--all");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Seeding:MaxWritesPerSecond is 'fast'; set a positive number of document writes per second", result.Error, StringComparison.Ordinal);
        var option = await ws.RunAsync([Items("bad", 1, backfill: true)], "migrate", "--all", "--max-writes-per-second", "0");
        Assert.Equal(ExitCodes.Usage, option.ExitCode);
        Assert.Contains("--max-writes-per-second must be a positive number", option.Error, StringComparison.Ordinal);
    }

    /// <summary>A service creating <paramref name="count"/> items without a status, and with <paramref name="backfill"/> a backfill that opens them.</summary>
    private static ServiceSeeds Items(string service, int count, bool backfill = false)
    {
        var create = new SeedDefinition("0001_items", SeedPhase.Pre, $"sha256:items-{count}", "migrations/pre/0001_items.yaml", null,
            [SeedStep.Create("items", 2, Enumerable.Range(0, count).Select(i => new SeedDocument(
                $"item-{i:D6}", new Dictionary<string, Value> { ["n"] = Value.Integer(i), ["status"] = Value.Null }, 3 + i)).ToArray())]);
        var open = new SeedDefinition("0002_status", SeedPhase.Pre, "sha256:status", "migrations/pre/0002_status.yaml", null,
            [SeedStep.Backfill("items", 2, new Dictionary<string, Value> { ["status"] = Value.Null }, new Dictionary<string, Value> { ["status"] = Value.String("open") })]);
        return new ServiceSeeds(service, [], backfill ? [create, open] : [create]);
    }

    private static async Task<List<Timestamp>> UpdateTimesAsync(Workspace ws, string status)
    {
        await using var store = new SqliteDocumentStore(new SqliteStoreOptions(ws.DefaultDatabase));
        var times = new List<Timestamp>();
        await foreach (var item in store.QueryAllAsync(new DocumentQuery("items", [FieldFilter.EqualTo("status", Value.String(status))]), 1000))
        {
            times.Add(item.UpdateTime!.Value);
        }

        return times;
    }
}
