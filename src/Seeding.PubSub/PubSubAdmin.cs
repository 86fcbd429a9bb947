using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seeding.PubSub.Internal;
using Seeding.Resources;
using Proto = Seeding.PubSub.Protocol;

namespace Seeding.PubSub;

/// <summary>
/// Ensures Pub/Sub topics and subscriptions through Pub/Sub's public v1 gRPC API (Publisher and Subscriber services):
/// the emulator over plaintext when <see cref="PubSubOptions.EmulatorHost"/> is set, production over TLS otherwise.
/// Every method is one RPC, retried with backoff on transient failures (each retry logged as a warning) within
/// <see cref="PubSubOptions.MaxAttempts"/>, each attempt with its own <see cref="PubSubOptions.CallTimeout"/> deadline.
/// Ids, labels and ranges are checked against <see cref="ResourceRules"/> before any call.
/// </summary>
public sealed class PubSubAdmin : IPubSubAdmin, IDisposable
{
    private readonly PubSubOptions _options;
    private readonly GrpcChannel _channel;
    private readonly Proto.Publisher.PublisherClient _publisher;
    private readonly Proto.Subscriber.SubscriberClient _subscriber;
    private readonly PubSubNames _names;
    private readonly SpecMapping _mapping;
    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
    private readonly ILogger _logger;

    /// <summary>Creates a client; no call is made until the first request.</summary>
    /// <exception cref="ArgumentException">A setting is blank or malformed (the message names it).</exception>
    public PubSubAdmin(PubSubOptions options, ILogger<PubSubAdmin>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Trimmed once: the checked values are the ones every resource name and the channel use.
        options = options.Trimmed();
        options.Validate();
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _names = new PubSubNames(options.ProjectId);
        _mapping = new SpecMapping(_names);
        Name = options.DisplayName;

        var emulator = options.EmulatorHost is not null;
        // The emulator speaks plaintext h2c and wants no token; production is TLS with a bearer token on every call.
        _channel = GrpcChannel.ForAddress(emulator ? "http://" + options.EmulatorHost : options.Endpoint, new GrpcChannelOptions
        {
            Credentials = emulator
                ? ChannelCredentials.Insecure
                : ChannelCredentials.Create(ChannelCredentials.SecureSsl, CallHeaders.Credentials(new AccessTokens(options.Credential))),
        });
        CallInvoker invoker = _channel.CreateCallInvoker();
        if (options.Interceptors.Count > 0)
        {
            invoker = invoker.Intercept(options.Interceptors.ToArray());
        }

        _publisher = new Proto.Publisher.PublisherClient(invoker);
        _subscriber = new Proto.Subscriber.SubscriberClient(invoker);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<TopicSpec?> GetTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        SpecChecks.TopicId(topic);
        var name = _names.Topic(topic);
        var reply = await CallAsync("GetTopic", $"topic '{topic}'", "topic", name, StatusCode.NotFound,
            options => _publisher.GetTopicAsync(new Proto.GetTopicRequest { Topic = name }, options), cancellationToken).ConfigureAwait(false);
        return reply.Value is { } found ? _mapping.FromProto(found) : null;
    }

    /// <inheritdoc />
    public async Task<bool> CreateTopicAsync(TopicSpec topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        SpecChecks.Topic(topic);
        var request = _mapping.ToProto(topic);
        var reply = await CallAsync("CreateTopic", $"topic '{topic.Name}'", "name", request.Name, StatusCode.AlreadyExists,
            options => _publisher.CreateTopicAsync(request, options), cancellationToken).ConfigureAwait(false);
        return reply.Value is not null;
    }

    /// <inheritdoc />
    /// <remarks>Labels are written as given (the whole map): pass the spec merged onto the existing topic (<see cref="TopicSpec.MergedOnto"/>) to keep labels Seeding does not declare.</remarks>
    public async Task UpdateTopicAsync(TopicSpec topic, IReadOnlyCollection<string> settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(settings);
        SpecChecks.Topic(topic);
        var request = new Proto.UpdateTopicRequest { Topic = _mapping.ToProto(topic), UpdateMask = SpecMapping.TopicMask(settings, topic.Name) };
        await CallAsync("UpdateTopic", $"topic '{topic.Name}'", "topic.name", request.Topic.Name, expected: null,
            options => _publisher.UpdateTopicAsync(request, options), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SubscriptionSpec?> GetSubscriptionAsync(string subscription, CancellationToken cancellationToken = default)
    {
        SpecChecks.SubscriptionId(subscription);
        return await ReadSubscriptionAsync(subscription, cancellationToken).ConfigureAwait(false) is { } found ? _mapping.FromProto(found) : null;
    }

    /// <inheritdoc />
    public async Task<bool> CreateSubscriptionAsync(SubscriptionSpec subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        SpecChecks.Subscription(subscription, creating: true);
        var request = _mapping.ToProto(subscription);
        var reply = await CallAsync("CreateSubscription", $"subscription '{subscription.Name}' (topic '{subscription.Topic}')", "name", request.Name, StatusCode.AlreadyExists,
            options => _subscriber.CreateSubscriptionAsync(request, options), cancellationToken).ConfigureAwait(false);
        return reply.Value is not null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Labels are written as given (the whole map): pass the spec merged onto the existing subscription
    /// (<see cref="SubscriptionSpec.MergedOnto"/>). The filter cannot be updated. A new push endpoint costs one
    /// GetSubscription first, so the push settings Seeding does not manage (attributes, authentication) are kept.
    /// </remarks>
    public async Task UpdateSubscriptionAsync(SubscriptionSpec subscription, IReadOnlyCollection<string> settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(settings);
        SpecChecks.Subscription(subscription, creating: false);
        var request = new Proto.UpdateSubscriptionRequest
        {
            Subscription = _mapping.ToProto(subscription),
            UpdateMask = SpecMapping.SubscriptionMask(settings, subscription.Name),
        };
        if (subscription.PushEndpoint is { } endpoint && settings.Contains(PubSubSetting.PushEndpoint))
        {
            // The mask path is the whole push_config (the path Google documents; none below it is), so the config is sent as it is now
            // with only the endpoint changed: attributes, an OIDC token or other push settings made outside Seeding (kept
            // as unknown fields of the read message, since the .proto subset does not name them) survive the update.
            var current = await ReadSubscriptionAsync(subscription.Name, cancellationToken).ConfigureAwait(false);
            request.Subscription.PushConfig = current?.PushConfig ?? new Proto.PushConfig();
            request.Subscription.PushConfig.PushEndpoint = endpoint;
        }

        await CallAsync("UpdateSubscription", $"subscription '{subscription.Name}'", "subscription.name", request.Subscription.Name, expected: null,
            options => _subscriber.UpdateSubscriptionAsync(request, options), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();

    // The subscription as Pub/Sub holds it (push settings the .proto subset does not name kept as unknown fields); null when absent.
    private async Task<Proto.Subscription?> ReadSubscriptionAsync(string subscription, CancellationToken cancellationToken)
    {
        var name = _names.Subscription(subscription);
        var reply = await CallAsync("GetSubscription", $"subscription '{subscription}'", "subscription", name, StatusCode.NotFound,
            options => _subscriber.GetSubscriptionAsync(new Proto.GetSubscriptionRequest { Subscription = name }, options), cancellationToken).ConfigureAwait(false);
        return reply.Value;
    }

    /// <summary>
    /// One call with retries on transient codes. <paramref name="expected"/> is the code that is an answer, not a
    /// failure (NOT_FOUND for a get, ALREADY_EXISTS for a create): it yields a reply without a value.
    /// </summary>
    private async Task<Reply<T>> CallAsync<T>(
        string rpc, string resource, string routingField, string routingName, StatusCode? expected, Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        var lostAttempt = false;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Fresh options per attempt: each attempt gets its own deadline.
            var options = new CallOptions(CallHeaders.Routing(routingField, routingName), DateTime.UtcNow + _options.CallTimeout, cancellationToken);
            try
            {
                return new Reply<T>(await call(options).ResponseAsync.ConfigureAwait(false));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"The Pub/Sub {rpc} call was canceled.", e, cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == expected)
            {
                if (lostAttempt && expected == StatusCode.AlreadyExists)
                {
                    RetryLog.ExistsAfterLostAttempt(_logger, rpc, resource);
                }

                return new Reply<T>(null);
            }
            catch (RpcException e) when (TransientCodes.IsTransient(e.StatusCode) && attempt < _options.MaxAttempts)
            {
                lostAttempt |= !TransientCodes.CertainlyNotApplied(e.StatusCode); // the answer may be lost after the create landed
                var delay = _backoff.Delay(attempt);
                RetryLog.Retrying(_logger, rpc, resource, attempt, _options.MaxAttempts, e.StatusCode, e.Status.Detail, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                RetryLog.GaveUp(_logger, rpc, resource, attempt, e.StatusCode);
                throw Faults.Permanent(e, rpc, resource, Name, attempt);
            }
        }
    }

    private readonly record struct Reply<T>(T? Value)
        where T : class;
}
