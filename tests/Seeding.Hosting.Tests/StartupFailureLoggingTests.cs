using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Hosting.Tests;

/// <summary>A startup seeding failure reaches the logs once, with what failed and where.</summary>
public sealed class StartupFailureLoggingTests
{
    private static ServiceSeeds Failing() => new("tenant", [],
    [
        new SeedDefinition("admin", SeedPhase.Bootstrap, "sha256:a", "bootstrap/admin.yaml", null,
            [SeedStep.Create("users", 2, [new SeedDocument("admin", new Dictionary<string, Value>(), 4, [new ConfiguredField("email", "SEEDING_TEST_UNSET_ADMIN_EMAIL")])])]),
    ]);

    private static (IHost Host, CapturingLoggerProvider Logs) Build(params string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSingleton<IDocumentStore>(new InMemoryDocumentStore());
        builder.Services.AddSeeding(Failing());
        return (builder.Build(), logs);
    }

    [Fact]
    public async Task A_failed_startup_is_logged_once_naming_the_seed_file()
    {
        var (host, logs) = Build();
        using var _ = host;

        var error = await Assert.ThrowsAsync<SeedRunException>(() => host.StartAsync());

        Assert.Contains("bootstrap/admin.yaml", error.Message);
        var errors = logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToArray();
        var entry = Assert.Single(errors);
        Assert.Same(error, entry.Exception);
    }

    [Fact]
    public async Task A_failure_the_host_tolerates_is_logged_once_by_seeding()
    {
        var (host, logs) = Build("--Seeding:FailStartupOnError=false");
        using var _ = host;

        await host.StartAsync();

        var entry = Assert.Single(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.IsType<SeedRunException>(entry.Exception);
        Assert.Contains("tenant", entry.Message);
        await host.StopAsync();
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
