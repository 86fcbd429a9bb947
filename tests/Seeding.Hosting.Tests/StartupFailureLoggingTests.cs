using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Hosting.Tests;

/// <summary>
/// A startup seeding failure reaches the logs once, with what failed and where: without a stack trace when Seeding
/// reports it on purpose, with one when it is unexpected. By default the host then stops with exit code 1 instead of
/// throwing from StartAsync. (The same as a real process from the web template: SampleServiceProcessTests.)
/// </summary>
[Collection(nameof(ProcessExitCode))]
public sealed class StartupFailureLoggingTests
{
    private static ServiceSeeds Failing() => new("tenant", [],
    [
        new SeedDefinition("admin", SeedPhase.Bootstrap, "sha256:a", "bootstrap/admin.yaml", null,
            [SeedStep.Create("users", 2, [new SeedDocument("admin", new Dictionary<string, Value>(), 4, [new ConfiguredField("email", "SEEDING_TEST_UNSET_ADMIN_EMAIL")])])]),
    ]);

    private static (IHost Host, CapturingLoggerProvider Logs) Build(ServiceSeeds seeds, IDocumentStore store, params string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSingleton(store);
        builder.Services.AddSeeding(seeds);
        return (builder.Build(), logs);
    }

    [Fact]
    public async Task A_failed_start_is_logged_once_without_a_stack_trace_and_stops_the_host_with_exit_code_1()
    {
        var (host, logs) = Build(Failing(), new InMemoryDocumentStore());
        using var _ = host;
        using var exitCode = ProcessExitCode.Restored();

        await host.StartAsync(); // not thrown: app.Run() in the web template would abort the process with it
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await Task.Delay(Timeout.Infinite, stopping).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(stopping.IsCancellationRequested);
        Assert.Equal(1, Environment.ExitCode);
        var entry = Assert.Single(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Null(entry.Exception); // a failure Seeding reports on purpose: its message says it all
        Assert.True(entry.Message.StartsWith("Startup seeding of tenant failed, so the host stops (exit code 1): Seeding tenant failed at bootstrap/admin (bootstrap/admin.yaml, resolve): SeedConfigurationException: bootstrap/admin.yaml:4:", StringComparison.Ordinal), entry.Message);
        Assert.Contains("SEEDING_TEST_UNSET_ADMIN_EMAIL", entry.Message);
        await host.StopAsync();
    }

    [Fact]
    public async Task An_unexpected_failure_keeps_its_stack_trace_and_is_still_logged_once()
    {
        var (host, logs) = Build(Failing(), new BrokenStore());
        using var _ = host;
        using var exitCode = ProcessExitCode.Restored();

        await host.StartAsync();

        var entry = Assert.Single(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal("Startup seeding of tenant failed with an unexpected NotSupportedException, so the host stops (exit code 1)", entry.Message);
        var error = Assert.IsType<NotSupportedException>(entry.Exception);
        Assert.Contains(nameof(BrokenStore), error.StackTrace);
        Assert.Equal(1, Environment.ExitCode);
        await host.StopAsync();
    }

    [Fact]
    public async Task Without_StopApplicationOnFailure_the_failure_is_thrown_and_the_host_logs_it_once()
    {
        var (host, logs) = Build(Failing(), new InMemoryDocumentStore(), "--Seeding:StopApplicationOnFailure=false");
        using var _ = host;
        using var exitCode = ProcessExitCode.Restored();

        var error = await Assert.ThrowsAsync<SeedRunException>(() => host.StartAsync());

        Assert.Contains("bootstrap/admin.yaml", error.Message);
        var entry = Assert.Single(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Same(error, entry.Exception);
        Assert.Equal(0, Environment.ExitCode); // the caller decides
    }

    [Fact]
    public async Task A_failure_the_host_tolerates_is_logged_once_by_seeding()
    {
        var (host, logs) = Build(Failing(), new InMemoryDocumentStore(), "--Seeding:FailStartupOnError=false");
        using var _ = host;
        using var exitCode = ProcessExitCode.Restored();

        await host.StartAsync();

        var entry = Assert.Single(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Null(entry.Exception);
        Assert.StartsWith("Startup seeding of tenant failed; the host starts anyway (Seeding:FailStartupOnError is false): Seeding tenant failed at bootstrap/admin", entry.Message);
        Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Equal(0, Environment.ExitCode);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_start_under_the_default_phases_names_pending_migrations_once_and_logs_drift_as_an_error()
    {
        var store = new InMemoryDocumentStore();
        var (pendingHost, pendingLogs) = Build(HostStoreTests.Seeds(), store);
        using (pendingHost)
        {
            await pendingHost.StartAsync();
            await pendingHost.StopAsync();
        }

        await new SeedRunner(store).RunAsync(HostStoreTests.Seeds(), RunRequest.PreDeploy());
        var edited = HostStoreTests.Seeds();
        edited = new ServiceSeeds(edited.Service, edited.DependsOn, edited.Seeds.Select(s => s.Id == "0001_roles"
            ? new SeedDefinition(s.Id, s.Phase, "sha256:edited", s.SourcePath, s.Description, s.Steps) : s).ToArray());
        var (driftHost, driftLogs) = Build(edited, store);
        using (driftHost)
        {
            await driftHost.StartAsync();
            await driftHost.StopAsync();
        }

        var pending = Assert.Single(pendingLogs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, pending.Level);
        Assert.Equal(
            "tenant: 2 migrations are pending and this host runs only bootstrap: pre/0001_roles, post/0001_flags. Apply them with " +
            "`seeding migrate --phase pre` (before the deploy), then `seeding migrate --phase post` (after it), or set Seeding:Phases or MIGRATION_PHASE to apply them on startup.",
            pending.Message);
        var drift = Assert.Single(driftLogs.Entries, e => e.Level >= LogLevel.Error);
        Assert.StartsWith("tenant: 1 applied migration(s) changed after they were applied: migrations/pre/0001_roles.yaml. Applied migrations are immutable", drift.Message);
        Assert.Contains("This host runs only bootstrap, so it starts", drift.Message);
        Assert.Contains(driftLogs.Entries, e => e.Message == "tenant: 1 migration is pending and this host runs only bootstrap: post/0001_flags. Apply them with `seeding migrate --phase post`, or set Seeding:Phases or MIGRATION_PHASE to apply them on startup.");
        Assert.DoesNotContain(driftLogs.Entries, e => e.Message.Contains("AlreadyApplied", StringComparison.Ordinal) || e.Message.Contains("NoTarget", StringComparison.Ordinal));
        Assert.Equal(0, Environment.ExitCode);
    }

    [Fact]
    public async Task Host_logs_say_already_applied_as_the_command_line_does()
    {
        var store = new InMemoryDocumentStore();
        var (first, _) = Build(HostStoreTests.Seeds(), store, "--Seeding:Phases=all");
        using (first)
        {
            await first.StartAsync();
            await first.StopAsync();
        }

        var (second, logs) = Build(HostStoreTests.Seeds(), store, "--Seeding:Phases=all");
        using (second)
        {
            await second.StartAsync();
            await second.StopAsync();
        }

        Assert.Contains(logs.Entries, e => e.Message == "tenant pre/0001_roles: already applied, 0 created, 0 skipped, 0 updated");
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("AlreadyApplied", StringComparison.Ordinal));
    }

    /// <summary>A store whose every call fails the way a bug would: not an exception Seeding raises on purpose.</summary>
    private sealed class BrokenStore : IDocumentStore
    {
        public string Name => "broken";

        public int MaxBatchSize => 500;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The broken store cannot read.");

        public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<Entry> _entries = new();

        public IReadOnlyList<Entry> Entries => _entries.ToArray();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
        }
    }
}

/// <summary>
/// Tests that make a failed start set <see cref="Environment.ExitCode"/> (process-wide) run one at a time and put it back.
/// </summary>
[CollectionDefinition(nameof(ProcessExitCode), DisableParallelization = true)]
public sealed class ProcessExitCode : IDisposable
{
    private readonly int _before = Environment.ExitCode;

    private ProcessExitCode()
    {
        Environment.ExitCode = 0;
    }

    /// <summary>Sets the exit code to 0 now and back to what it was on dispose.</summary>
    public static ProcessExitCode Restored() => new();

    public void Dispose() => Environment.ExitCode = _before;
}
