using Google.Apis.Auth.OAuth2;

namespace Seeding.PubSub;

/// <summary>Where and how <see cref="PubSubAdmin"/> reaches Pub/Sub.</summary>
public sealed record PubSubOptions
{
    /// <summary>The environment variable naming the Pub/Sub emulator's <c>host:port</c>, as Google's client libraries read it.</summary>
    public const string EmulatorHostVariable = "PUBSUB_EMULATOR_HOST";

    /// <summary>The environment variable naming the project (default: the Firestore project).</summary>
    public const string ProjectIdVariable = "PUBSUB_PROJECT_ID";

    /// <summary>The Google Cloud project that owns the topics and subscriptions.</summary>
    public required string ProjectId { get; init; }

    /// <summary>
    /// The emulator's <c>host:port</c>: plaintext, no credentials. Null for production (TLS to pubsub.googleapis.com
    /// with <see cref="Credential"/>).
    /// </summary>
    public string? EmulatorHost { get; init; }

    /// <summary>The production credential; null uses Application Default Credentials (loaded on first call).</summary>
    public GoogleCredential? Credential { get; init; }

    /// <summary>The deadline of each call. Default 30 s.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per call on transient failures (UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED), with backoff. Default 5.</summary>
    public int MaxAttempts { get; init; } = 5;
}
