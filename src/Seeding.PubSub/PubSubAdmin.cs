using Microsoft.Extensions.Logging;
using Seeding.Resources;

namespace Seeding.PubSub;

/// <summary>
/// Ensures Pub/Sub topics and subscriptions through Pub/Sub's public v1 gRPC API (Publisher and Subscriber services):
/// the emulator over plaintext when <see cref="PubSubOptions.EmulatorHost"/> is set, production over TLS otherwise.
/// </summary>
public sealed class PubSubAdmin : IPubSubAdmin, IDisposable
{
    /// <summary>Creates a client; no call is made until the first request.</summary>
    public PubSubAdmin(PubSubOptions options, ILogger<PubSubAdmin>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException("h-pubsub");
    }

    /// <inheritdoc />
    public string Name => throw new NotImplementedException();

    /// <inheritdoc />
    public Task<TopicSpec?> GetTopicAsync(string topic, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public Task<bool> CreateTopicAsync(TopicSpec topic, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public Task UpdateTopicAsync(TopicSpec topic, IReadOnlyCollection<string> settings, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public Task<SubscriptionSpec?> GetSubscriptionAsync(string subscription, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public Task<bool> CreateSubscriptionAsync(SubscriptionSpec subscription, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public Task UpdateSubscriptionAsync(SubscriptionSpec subscription, IReadOnlyCollection<string> settings, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
