using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>Transient faults injected between the store and the emulator are retried visibly: a warning each, and a count.</summary>
public sealed class RetryLoggingTests
{
    [Fact]
    public async Task Each_retry_is_a_warning_naming_the_rpc_status_attempt_and_delay_and_is_counted()
    {
        var logs = new CapturingLogger();
        var faults = new FaultInjector(beforeShare: 1.0, afterShare: 0) { Methods = ["BatchGetDocuments"], MaxFaults = 2 };
        var options = await FirestoreEmulator.OptionsAsync();
        options.Interceptors.Add(faults);
        options.Logger = logs;
        await using var store = new FirestoreDocumentStore(options);

        var read = await store.GetAllAsync([P("c/a")]);

        Assert.False(read[0].Exists);
        Assert.Equal(2, faults.InjectedBefore);
        Assert.Equal(2, store.RetryCount);
        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).ToArray();
        Assert.Equal(2, warnings.Length);
        Assert.Matches(@"^Firestore BatchGetDocuments projects/[^ ]+/databases/\(default\) attempt 1 of 6 failed with Unavailable \(injected fault before sending\); retrying in \d+ ms$", warnings[0].Message);
        Assert.Contains("BatchGetDocuments projects/", warnings[1].Message);
        Assert.Contains("attempt 2 of 6 failed with Unavailable", warnings[1].Message);
        Assert.Equal(StatusCode.Unavailable, warnings[0].State["Status"]);
        Assert.Equal("BatchGetDocuments", warnings[0].State["Rpc"]);
        Assert.Equal(1, warnings[0].State["Attempt"]);
        Assert.IsType<long>(warnings[0].State["DelayMs"]);
    }

    [Fact]
    public async Task A_run_reports_the_retries_of_its_store()
    {
        var faults = new FaultInjector(beforeShare: 1.0, afterShare: 0) { Methods = ["BatchWrite"], MaxFaults = 3 };
        var options = await FirestoreEmulator.OptionsAsync();
        options.Interceptors.Add(faults);
        await using var store = new FirestoreDocumentStore(options);
        var seeds = new ServiceSeeds("retrying", [],
        [
            new SeedDefinition("roles", SeedPhase.Bootstrap, "sha256:r", "bootstrap/roles.yaml", null,
                [SeedStep.Create("roles", 2, [new SeedDocument("admin", new Dictionary<string, Value> { ["n"] = Value.Integer(1) }, 3)])]),
        ]);

        var first = await Runners.For(store).RunAsync(seeds, RunRequest.Bootstrap());
        var second = await Runners.For(store).RunAsync(seeds, RunRequest.Bootstrap());

        Assert.Equal(1, first.Created);
        Assert.Equal(3, faults.InjectedBefore);
        Assert.Equal(3, first.Retries);
        Assert.Equal(0, second.Retries); // per run, not since the store was created
    }

    internal sealed record Entry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> State);

    internal sealed class CapturingLogger : ILogger
    {
        private readonly ConcurrentQueue<Entry> _entries = new();

        public IReadOnlyList<Entry> Entries => _entries.ToArray();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            _entries.Enqueue(new Entry(logLevel, formatter(state, exception), values.ToDictionary(p => p.Key, p => p.Value)));
        }
    }
}
