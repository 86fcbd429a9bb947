using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seeding.PubSub.Internal;
using Seeding.Resources;
using Proto = Seeding.PubSub.Protocol;

namespace Seeding.PubSub;

/// <summary>
/// Ensures Pub/Sub topics and subscriptions through Pub/Sub's public v1 gRPC API (Publisher and Subscriber services):
/// the emulator over plaintext when <see cref="PubSubOptions.EmulatorHost"/> is set, <see cref="PubSubOptions.Endpoint"/>
/// over TLS otherwise, on the Google transport shared with the Firestore store (<c>GoogleTransport</c>). Every method is
/// one RPC, retried with backoff on transient failures (each retry logged as a warning) within
/// <see cref="GoogleCallOptions.MaxAttempts"/> and <see cref="GoogleCallOptions.OperationTimeout"/>, each attempt with its own
/// <see cref="GoogleCallOptions.CallTimeout"/> deadline. Ids, labels and ranges are checked against <see cref="ResourceRules"/> before any call.
/// </summary>
public sealed class PubSubAdmin : IPubSubAdmin, IPubSubInventory, IDisposable
{
    /// <summary>The OAuth scope Pub/Sub accepts.</summary>
    internal const string PubSubScope = "https://www.googleapis.com/auth/pubsub";

    private readonly GoogleTransport _transport;
    private readonly Proto.Publisher.PublisherClient _publisher;
    private readonly Proto.Subscriber.SubscriberClient _subscriber;
    private readonly PubSubNames _names;
    private readonly SpecMapping _mapping;
    private readonly RetryPolicy _read;
    private readonly RetryPolicy _create;
    private readonly RetryPolicy _update;

    /// <summary>Creates a client; no call is made until the first request.</summary>
    /// <exception cref="CloudSettingException">A setting is blank or malformed (the message names it).</exception>
    public PubSubAdmin(PubSubOptions options, ILogger<PubSubAdmin>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // Trimmed once: the checked values are the ones every resource name and the channel use.
        var project = options.ProjectId.Trim();
        _names = new PubSubNames(project);
        _mapping = new SpecMapping(_names);
        Name = options.DisplayName;

        // The emulator speaks plaintext h2c and wants no token; any other endpoint is TLS with a bearer token on every call.
        var endpoint = options.UsesEmulator ? GoogleEndpoint.Emulator(options.EmulatorHost!.Trim()) : GoogleEndpoint.Tls(options.Endpoint)!;
        Func<CancellationToken, Task<string>>? bearer = options.UsesEmulator ? null : Tokens(options).GetAsync;
        _transport = new GoogleTransport(
            "Pub/Sub", endpoint, bearer, options.Interceptors, new CallTimes(options.CallTimeout, options.OperationTimeout), logger ?? (ILogger)NullLogger.Instance);
        _publisher = new Proto.Publisher.PublisherClient(_transport.Invoker);
        _subscriber = new Proto.Subscriber.SubscriberClient(_transport.Invoker);

        var backoff = new Backoff(options.InitialBackoff, options.MaxBackoff);
        // Every Pub/Sub call here may be sent again: gets and updates are idempotent, and a create whose earlier attempt
        // landed answers ALREADY_EXISTS, which is an answer (reported as existing), not a failure.
        _read = new RetryPolicy("get", options.MaxAttempts, backoff, RetriesUncertain: true);
        _create = new RetryPolicy("create", options.MaxAttempts, backoff, RetriesUncertain: true);
        _update = new RetryPolicy("update", options.MaxAttempts, backoff, RetriesUncertain: true);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<TopicSpec?> GetTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        SpecChecks.TopicId(topic);
        var name = _names.Topic(topic);
        var reply = await CallAsync(_read, "GetTopic", $"topic '{topic}'", "topic", name, StatusCode.NotFound,
            options => _publisher.GetTopicAsync(new Proto.GetTopicRequest { Topic = name }, options), cancellationToken).ConfigureAwait(false);
        return reply.Value is { } found ? _mapping.FromProto(found) : null;
    }

    /// <inheritdoc />
    public async Task<bool> CreateTopicAsync(TopicSpec topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        SpecChecks.Topic(topic);
        var request = _mapping.ToProto(topic);
        var reply = await CallAsync(_create, "CreateTopic", $"topic '{topic.Name}'", "name", request.Name, StatusCode.AlreadyExists,
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
        await CallAsync(_update, "UpdateTopic", $"topic '{topic.Name}'", "topic.name", request.Topic.Name, expected: null,
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
        var reply = await CallAsync(_create, "CreateSubscription", $"subscription '{subscription.Name}' (topic '{subscription.Topic}')", "name", request.Name, StatusCode.AlreadyExists,
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

        await CallAsync(_update, "UpdateSubscription", $"subscription '{subscription.Name}'", "subscription.name", request.Subscription.Name, expected: null,
            options => _subscriber.UpdateSubscriptionAsync(request, options), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>As declarations state them: settings at Pub/Sub's defaults are left out (<c>SpecMapping.Declared</c>).</remarks>
    public async Task<IReadOnlyList<TopicSpec>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        var topics = new List<TopicSpec>();
        var pageToken = string.Empty;
        do
        {
            var request = new Proto.ListTopicsRequest { Project = _names.Project, PageToken = pageToken };
            var page = (await CallAsync(_read, "ListTopics", $"the topics of {_names.Project}", "project", _names.Project, expected: null,
                options => _publisher.ListTopicsAsync(request, options), cancellationToken).ConfigureAwait(false)).Value!;
            topics.AddRange(page.Topics.Select(_mapping.Declared));
            pageToken = page.NextPageToken;
        }
        while (pageToken.Length > 0);

        return topics;
    }

    /// <inheritdoc />
    /// <remarks>
    /// As declarations state them: settings at Pub/Sub's defaults are left out (<c>SpecMapping.Declared</c>). Push settings
    /// beyond the endpoint (attributes, authentication) are not read; a topic of another project keeps its full name.
    /// </remarks>
    public async Task<IReadOnlyList<SubscriptionSpec>> ListSubscriptionsAsync(CancellationToken cancellationToken = default)
    {
        var subscriptions = new List<SubscriptionSpec>();
        var pageToken = string.Empty;
        do
        {
            var request = new Proto.ListSubscriptionsRequest { Project = _names.Project, PageToken = pageToken };
            var page = (await CallAsync(_read, "ListSubscriptions", $"the subscriptions of {_names.Project}", "project", _names.Project, expected: null,
                options => _subscriber.ListSubscriptionsAsync(request, options), cancellationToken).ConfigureAwait(false)).Value!;
            subscriptions.AddRange(page.Subscriptions.Select(_mapping.Declared));
            pageToken = page.NextPageToken;
        }
        while (pageToken.Length > 0);

        return subscriptions;
    }

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    // The subscription as Pub/Sub holds it (push settings the .proto subset does not name kept as unknown fields); null when absent.
    private async Task<Proto.Subscription?> ReadSubscriptionAsync(string subscription, CancellationToken cancellationToken)
    {
        var name = _names.Subscription(subscription);
        var reply = await CallAsync(_read, "GetSubscription", $"subscription '{subscription}'", "subscription", name, StatusCode.NotFound,
            options => _subscriber.GetSubscriptionAsync(new Proto.GetSubscriptionRequest { Subscription = name }, options), cancellationToken).ConfigureAwait(false);
        return reply.Value;
    }

    private static GoogleTokens Tokens(PubSubOptions options) => options.Credential is { } credential
        ? GoogleTokens.From(credential, PubSubScope)
        : GoogleTokens.ApplicationDefault(
            PubSubScope,
            "Set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, run 'gcloud auth application-default login', run on " +
            $"Google Cloud, or set {PubSubOptions.EmulatorHostVariable} for the emulator.");

    /// <summary>
    /// One call with <paramref name="policy"/>'s retries (one policy per call kind: get, create, update). <paramref name="expected"/> is the code that is an answer, not
    /// a failure (NOT_FOUND for a get, ALREADY_EXISTS for a create): it yields a reply without a value.
    /// </summary>
    private Task<Reply<T>> CallAsync<T>(
        RetryPolicy policy, string rpc, string resource, string routingField, string routingName, StatusCode? expected, Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        return _transport.RunAsync(
            rpc, resource, policy, () => GoogleHeaders.Route(routingField, routingName), options => call(options).ResponseAsync, expected,
            (e, attempts) => Faults.Permanent(e, rpc, resource, Name, attempts.Unavailable(e)), cancellationToken);
    }
}
