namespace Seeding.Resources;

/// <summary>
/// Lists what a Pub/Sub project holds, for <c>seeding pull --topics --subscriptions</c> (Seeding.PubSub implements
/// it beside <see cref="IPubSubAdmin"/>). Specs come as a declaration states them: settings at Pub/Sub's defaults
/// (a subscription's 10 s deadline and 7 days' retention, no retention on a topic) are left out (null).
/// </summary>
public interface IPubSubInventory
{
    /// <summary>Where the resources are read, for headers and messages, e.g. <c>pubsub-emulator:127.0.0.1:8085/projects/demo</c>.</summary>
    string Name { get; }

    /// <summary>Every topic of the project, page by page, in the order Pub/Sub lists them.</summary>
    Task<IReadOnlyList<TopicSpec>> ListTopicsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every subscription of the project, page by page, in the order Pub/Sub lists them.</summary>
    Task<IReadOnlyList<SubscriptionSpec>> ListSubscriptionsAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Lists a Firestore database's composite indexes and field overrides, for <c>seeding pull --indexes</c>
/// (Seeding.Firestore implements it beside <see cref="IIndexAdmin"/>, through the Admin API).
/// </summary>
public interface IIndexInventory
{
    /// <summary>Null when the indexes can be listed here; otherwise why not (e.g. the Firestore emulator has no index API).</summary>
    string? IndexesUnavailableReason { get; }

    /// <summary>
    /// Every composite index of the database, of every collection group. Indexes Seeding cannot declare (vector or
    /// search fields, other API scopes, recursive scope) are left out; <paramref name="skipped"/> is told each one's name.
    /// </summary>
    Task<IReadOnlyList<IndexState>> ListAllIndexesAsync(Action<string>? skipped = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every field with an override of its own (single-field indexes or a TTL policy), of every collection group, as a
    /// declaration would state it: indexes the field inherits are left out (null), a TTL policy that is off too.
    /// Overrides Seeding cannot declare (the database-wide default, a name holding a '.') are left out;
    /// <paramref name="skipped"/> is told each one's name.
    /// </summary>
    Task<IReadOnlyList<FieldOverrideSpec>> ListFieldOverridesAsync(Action<string>? skipped = null, CancellationToken cancellationToken = default);
}
