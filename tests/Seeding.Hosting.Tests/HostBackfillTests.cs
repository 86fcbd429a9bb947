using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Hosting.Tests;

/// <summary>A host's startup backfill: paced by Seeding:MaxWritesPerSecond, its progress in the host's logs.</summary>
public sealed class HostBackfillTests
{
    [Fact]
    public async Task A_startup_backfill_is_paced_by_the_configured_budget_and_logs_its_progress()
    {
        const int Documents = 1500;
        var create = new SeedDefinition("0001_items", SeedPhase.Pre, "sha256:items", "migrations/pre/0001_items.yaml", null,
            [SeedStep.Create("items", 2, Enumerable.Range(0, Documents).Select(i => new SeedDocument($"item-{i:D5}", new Dictionary<string, Value> { ["n"] = Value.Integer(i) }, 3 + i)).ToArray())]);
        var backfill = new SeedDefinition("0002_status", SeedPhase.Pre, "sha256:status", "migrations/pre/0002_status.yaml", null,
            [SeedStep.Backfill("items", 2, new Dictionary<string, Value> { ["status"] = Value.Null }, new Dictionary<string, Value> { ["status"] = Value.String("open") })]);
        var builder = Host.CreateApplicationBuilder(["--Seeding:Phases=pre", "--Seeding:MaxWritesPerSecond=1000"]);
        var logs = new Lines();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton<IDocumentStore>(new InMemoryDocumentStore());
        builder.Services.AddSeeding(new ServiceSeeds("stock", [], [create, backfill]));
        using var host = builder.Build();

        var clock = Stopwatch.StartNew();
        await host.StartAsync();
        clock.Stop();
        await host.StopAsync();

        // 3,000 writes (the creates, then the backfill) at 1,000/s: never faster than the budget.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.7), $"the startup run took {clock.Elapsed}");
        var progress = logs.Entries.Where(e => e.Category == "Seeding.Hosting.BackfillProgressLog").Select(e => e.Message).ToArray();
        Assert.NotEmpty(progress);
        Assert.Matches(@"^stock pre/0002_status backfill items: 1,500 scanned, 1,500 updated, 0 skipped, [0-9,]+/s, done in 00:0[0-9]$", progress[^1]);
    }

    private sealed class Lines : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((category, formatter(state, exception)));
        }
    }
}
