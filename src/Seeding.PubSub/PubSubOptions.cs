using Google.Apis.Auth.OAuth2;
using Seeding.Resources;
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

    /// <summary>
    /// Where production calls go (TLS with <see cref="Credential"/>): <c>https://pubsub.googleapis.com</c> unless set, e.g.
    /// to a regional endpoint or a TLS stand-in in tests. It must be an <c>https://</c> address: the access token travels
    /// with every call, so plaintext is only ever used for <see cref="EmulatorHost"/>. Ignored when an emulator host is set.
    /// </summary>
    public string Endpoint { get; init; } = ProductionEndpoint;

    /// <summary>
    /// How the target is named in plans, logs and the command line's header, beside the stores' <c>sqlite:</c> and
    /// <c>firestore:</c> names: <c>pubsub-emulator:host:port/projects/p</c> or <c>pubsub:projects/p</c>.
    /// </summary>
    public string DisplayName
    {
        get
        {
            var trimmed = Trimmed();
            return trimmed.EmulatorHost is { } host ? $"pubsub-emulator:{host}/projects/{trimmed.ProjectId}" : $"pubsub:projects/{trimmed.ProjectId}";
        }
    }

    /// <summary>The options with the project id and emulator host trimmed: what <see cref="PubSubAdmin"/> validates and uses.</summary>
    internal PubSubOptions Trimmed() => this with { ProjectId = ProjectId?.Trim() ?? string.Empty, EmulatorHost = EmulatorHost?.Trim(), Endpoint = Endpoint?.Trim() ?? string.Empty };

    /// <summary>Checks the (trimmed) settings before any call; the message names the variable or property at fault.</summary>
    internal void Validate()
    {
        // The one rule every Google target applies (the Firestore store too), checked before any call.
        var projectProblem = ProjectId.Length == 0 ? "it is blank" : CloudSettingRules.ProjectIdProblem(ProjectId, emulator: EmulatorHost is not null);
        if (projectProblem is not null)
        {
            throw new ArgumentException(
                $"The Pub/Sub project id '{ProjectId}' is not valid: {projectProblem}. " +
                $"Set {ProjectIdVariable} (or PubSubOptions.ProjectId) to a Google Cloud project id such as 'my-project'.",
                nameof(ProjectId));
        }

        if (EmulatorHost is { } host && CloudSettingRules.EmulatorHostProblem(host) is { } hostProblem)
        {
            throw new ArgumentException(
                $"{EmulatorHostVariable} is '{host}': {hostProblem}. Expected the emulator's {CloudSettingRules.EmulatorHostForm}.",
                nameof(EmulatorHost));
        }

        if (EmulatorHost is null && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException(
                $"PubSubOptions.Endpoint is '{Endpoint}': production Pub/Sub is reached over TLS with an access token, so it must be an " +
                $"https:// address such as '{ProductionEndpoint}'. Plaintext is only for the emulator ({EmulatorHostVariable}).",
                nameof(Endpoint));
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
