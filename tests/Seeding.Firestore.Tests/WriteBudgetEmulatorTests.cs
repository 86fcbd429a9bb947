using Grpc.Core;
using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Running;
using Seeding.TestSupport;
using Seeding.Values;
using Xunit.Abstractions;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// RESOURCE_EXHAUSTED from Firestore (injected between the store and the emulator) slows the run's write budget down
/// instead of failing the backfill: the store's one retry loop resends the refused batches, and the budget halves.
/// </summary>
public sealed class WriteBudgetEmulatorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Resource_exhausted_slows_the_write_budget_down_instead_of_failing_the_backfill()
    {
        const int Documents = 3000;
        // A migration's backfill commits each batch with its partition's checkpoint (Commit); other writes go by BatchWrite.
        var faults = new FaultInjector(beforeShare: 0.4, afterShare: 0, seed: 11) { Methods = ["BatchWrite", "Commit"], Code = StatusCode.ResourceExhausted, MaxFaults = 5, Enabled = false };
        var (store, calls) = await NewStoreAsync(null, faults);
        await using var _ = store;
        var logger = new RunnerLogger();
        var runner = Runners.For(store, new SeedRunnerOptions { MaxWritesPerSecond = 2000 }, logger);
        var create = new SeedDefinition("0001_items", SeedPhase.Pre, "sha256:items", "migrations/pre/0001_items.yaml", null,
            [SeedStep.Create("items", 2, Enumerable.Range(0, Documents).Select(i => new SeedDocument($"item-{i:D5}", F(("n", Value.Integer(i))), 3 + i)).ToArray())]);
        var backfill = new SeedDefinition("0002_status", SeedPhase.Pre, "sha256:status", "migrations/pre/0002_status.yaml", null,
            [SeedStep.Backfill("items", 2, F(("status", Value.Null)), F(("status", Value.String("open"))))]);
        await runner.RunAsync(new ServiceSeeds("budget", [], [create]), RunRequest.PreDeploy());

        faults.Enabled = true;
        var report = await runner.RunAsync(new ServiceSeeds("budget", [], [create, backfill]), RunRequest.PreDeploy());

        output.WriteLine($"injected {faults.InjectedBefore}; throttled {store.ThrottledCount}; retries {report.Retries}; calls {string.Join(", ", calls.Snapshot())}");
        var applied = report.Seeds.Single(s => s.Seed == backfill);
        Assert.Equal((SeedOutcome.Applied, Documents), (applied.Outcome, applied.Updated));
        Assert.True(faults.InjectedBefore > 0, "the test must inject RESOURCE_EXHAUSTED");
        Assert.Equal(faults.InjectedBefore, store.ThrottledCount);
        Assert.Equal(faults.InjectedBefore, report.Retries); // resent by the store's own loop, once each
        var slowed = logger.Messages.Where(m => m.Contains("RESOURCE_EXHAUSTED", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(slowed);
        Assert.Contains("the write budget slows down to 1000 writes/s (of 2000)", slowed[0], StringComparison.Ordinal);
    }

    private sealed class RunnerLogger : ILogger<SeedRunner>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => _messages.ToArray();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _messages.Enqueue(formatter(state, exception));
    }
}
