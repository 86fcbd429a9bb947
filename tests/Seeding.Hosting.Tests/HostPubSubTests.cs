using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Resources;
using Seeding.Running;
using Seeding.Store;

namespace Seeding.Hosting.Tests;

/// <summary>
/// The host hands its Pub/Sub target to the runner: an IPubSubAdmin registered in the container (or named by registered
/// SeedRunnerOptions) receives the bootstrap run's topic steps; with none configured the startup run reports them as
/// having no target and the host starts.
/// </summary>
public sealed class HostPubSubTests
{
    private static ServiceSeeds Seeds() => new("audit", [],
    [
        new SeedDefinition("topics", SeedPhase.Bootstrap, "sha256:t", "bootstrap/topics.yaml", null,
            [SeedStep.Topic(2, new TopicSpec("audit-events")), SeedStep.Subscription(5, new SubscriptionSpec("audit-writer", "audit-events"))]),
    ]);

    // Starts and stops a host; returns what the runner logged (one line per resource step among them).
    private static async Task<string[]> StartAsync(Action<IServiceCollection> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var logs = new LogLines();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton<IDocumentStore>(new InMemoryDocumentStore());
        configure(builder.Services);
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
        return [.. logs.Lines];
    }

    [Fact]
    public async Task A_registered_pub_sub_admin_receives_the_topic_steps()
    {
        var admin = new RecordingPubSub();
        var logs = await StartAsync(services =>
        {
            services.AddSingleton<IPubSubAdmin>(admin);
            services.AddSeeding(Seeds());
        });

        Assert.Equal(["topic audit-events", "subscription audit-writer"], admin.Created);
        Assert.Contains(logs, l => l.Contains("topic audit-events (line 2): create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Registered_runner_options_naming_a_target_keep_it()
    {
        var admin = new RecordingPubSub();
        await StartAsync(services =>
        {
            services.AddSingleton(new SeedRunnerOptions { PubSub = admin });
            services.AddSeeding(Seeds());
        });

        Assert.Equal(2, admin.Created.Count);
    }

    [Fact]
    public async Task Without_a_target_the_host_starts_and_reports_the_steps_as_having_none()
    {
        var logs = await StartAsync(services => services.AddSeeding(Seeds()));
        Assert.Contains(logs, l => l.Contains("topic audit-events (line 2): no target: no Pub/Sub target", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("subscription audit-writer (line 5): no target: no Pub/Sub target", StringComparison.Ordinal));
    }

    private sealed class LogLines : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }

    /// <summary>Records what the runner asked for; holds created topics and subscriptions in memory.</summary>
    private sealed class RecordingPubSub : IPubSubAdmin
    {
        private readonly Dictionary<string, TopicSpec> _topics = [];
        private readonly Dictionary<string, SubscriptionSpec> _subscriptions = [];

        public List<string> Created { get; } = [];

        public string Name => "recording";

        public Task<TopicSpec?> GetTopicAsync(string topic, CancellationToken cancellationToken = default) => Task.FromResult(_topics.GetValueOrDefault(topic));

        public Task<bool> CreateTopicAsync(TopicSpec topic, CancellationToken cancellationToken = default)
        {
            Created.Add($"topic {topic.Name}");
            return Task.FromResult(_topics.TryAdd(topic.Name, topic));
        }

        public Task UpdateTopicAsync(TopicSpec topic, IReadOnlyCollection<string> settings, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<SubscriptionSpec?> GetSubscriptionAsync(string subscription, CancellationToken cancellationToken = default) => Task.FromResult(_subscriptions.GetValueOrDefault(subscription));

        public Task<bool> CreateSubscriptionAsync(SubscriptionSpec subscription, CancellationToken cancellationToken = default)
        {
            Created.Add($"subscription {subscription.Name}");
            return Task.FromResult(_subscriptions.TryAdd(subscription.Name, subscription));
        }

        public Task UpdateSubscriptionAsync(SubscriptionSpec subscription, IReadOnlyCollection<string> settings, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
