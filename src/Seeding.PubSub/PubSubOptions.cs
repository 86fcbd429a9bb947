using Google.Apis.Auth.OAuth2;
using Grpc.Core.Interceptors;

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

    /// <summary>gRPC interceptors around every call (metrics, tracing, tests); the first is the outermost.</summary>
    public IReadOnlyList<Interceptor> Interceptors { get; init; } = [];

    /// <summary>The production endpoint, used when <see cref="EmulatorHost"/> is null.</summary>
    internal const string ProductionEndpoint = "https://pubsub.googleapis.com";

    /// <summary>Where topics go, for plans and logs.</summary>
    internal string DisplayName => EmulatorHost is { } host
        ? $"Pub/Sub emulator at {host.Trim()} (project {ProjectId})"
        : $"Pub/Sub project {ProjectId}";

    /// <summary>Checks the settings before any call; the message names the variable or property at fault.</summary>
    internal void Validate()
    {
        // Pub/Sub's project ids: letters, digits and hyphens (the emulator takes any; a slash would change the resource name).
        if (string.IsNullOrWhiteSpace(ProjectId) || ProjectId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':')))
        {
            throw new ArgumentException(
                $"The Pub/Sub project id '{ProjectId}' is not valid: set {ProjectIdVariable} (or PubSubOptions.ProjectId) to a Google Cloud project id such as 'my-project'.",
                nameof(ProjectId));
        }

        if (EmulatorHost is { } host)
        {
            var trimmed = host.Trim();
            var colon = trimmed.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(trimmed.AsSpan(colon + 1), out var port) || port is < 1 or > 65535 || trimmed.Contains('/', StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"{EmulatorHostVariable} is '{host}': it must be the emulator's host:port, e.g. 127.0.0.1:8085 (no scheme, no path).",
                    nameof(EmulatorHost));
            }
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"PubSubOptions.CallTimeout is {CallTimeout}: it must be positive.", nameof(CallTimeout));
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"PubSubOptions.MaxAttempts is {MaxAttempts}: it must be at least 1.", nameof(MaxAttempts));
        }
    }
}
