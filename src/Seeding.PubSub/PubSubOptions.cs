using Google.Apis.Auth.OAuth2;
using Grpc.Core.Interceptors;
using Seeding.PubSub.Internal;
using Seeding.Resources;

namespace Seeding.PubSub;

/// <summary>
/// Where and how <see cref="PubSubAdmin"/> reaches Pub/Sub (the same shape as the Firestore store's options). The call
/// timeouts and retries are <see cref="GoogleCallOptions"/>'s; here <see cref="GoogleCallOptions.MaxAttempts"/> defaults
/// to 5 and the backoff to 100 ms up to 5 s.
/// </summary>
public sealed class PubSubOptions : GoogleCallOptions
{
    /// <summary>The environment variable naming the Pub/Sub emulator's <c>host:port</c>, as Google's client libraries read it.</summary>
    public const string EmulatorHostVariable = "PUBSUB_EMULATOR_HOST";

    /// <summary>The environment variable naming the project (default: the Firestore project).</summary>
    public const string ProjectIdVariable = "PUBSUB_PROJECT_ID";

    /// <summary>The production endpoint.</summary>
    public const string ProductionEndpoint = "https://pubsub.googleapis.com";

    /// <summary>Options with Pub/Sub's retry defaults (5 attempts, backoff from 100 ms up to 5 s).</summary>
    public PubSubOptions()
        : base(maxAttempts: 5, initialBackoff: TimeSpan.FromMilliseconds(100), maxBackoff: TimeSpan.FromSeconds(5))
    {
    }

    /// <summary>The Google Cloud project that owns the topics and subscriptions.</summary>
    public string ProjectId { get; set; } = string.Empty;

    /// <summary>
    /// The emulator's <c>host:port</c>: plaintext HTTP/2, no credentials. Null for a TLS endpoint (<see cref="Endpoint"/>)
    /// with <see cref="Credential"/>.
    /// </summary>
    public string? EmulatorHost { get; set; }

    /// <summary>
    /// The endpoint reached over TLS when no <see cref="EmulatorHost"/> is set: <see cref="ProductionEndpoint"/> by
    /// default, or another <c>https://host:port</c> (<c>host:port</c> means the same), such as a private endpoint or a
    /// local stand-in with its own certificate. Never plaintext: an <c>http://</c> address is refused. Configuration key
    /// <c>Seeding:PubSub:Endpoint</c>.
    /// </summary>
    public string Endpoint { get; set; } = ProductionEndpoint;

    /// <summary>
    /// The credential whose access tokens every call to <see cref="Endpoint"/> carries (scoped to Pub/Sub when it takes
    /// scopes). Null (the default): Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, whose
    /// service-account key's <c>token_uri</c> is honoured, then gcloud's application-default login, then the metadata
    /// server), loaded on the first call and loaded again after a load that failed. Not used on the emulator.
    /// </summary>
    public GoogleCredential? Credential { get; set; }

    /// <summary>gRPC interceptors around every call (metrics, tracing, tests); the first is the outermost.</summary>
    public IList<Interceptor> Interceptors { get; } = new List<Interceptor>();

    /// <summary>True when an emulator is configured.</summary>
    public bool UsesEmulator => !string.IsNullOrWhiteSpace(EmulatorHost);

    /// <summary>
    /// How the target is named in plans, logs and the command line's header, beside the stores' <c>sqlite:</c> and
    /// <c>firestore:</c> names: <c>pubsub-emulator:host:port/projects/p</c> or <c>pubsub:projects/p</c>.
    /// </summary>
    public string DisplayName => UsesEmulator
        ? $"pubsub-emulator:{EmulatorHost!.Trim()}/projects/{ProjectId?.Trim()}"
        : $"pubsub:projects/{ProjectId?.Trim()}";

    /// <summary>
    /// Checks the settings before any call (<see cref="PubSubAdmin"/> calls it when it is created); values are trimmed.
    /// </summary>
    /// <exception cref="CloudSettingException">A setting is blank or malformed; the message names it and the expected form.</exception>
    public void Validate()
    {
        var emulator = EmulatorHost is null
            ? null
            : CloudSettingRules.Require(EmulatorHost, EmulatorHostVariable, CloudSettingRules.EmulatorHostProblem, $"the Pub/Sub emulator's {CloudSettingRules.EmulatorHostForm}", Error);
        CloudSettingRules.Require(
            ProjectId, $"{nameof(PubSubOptions)}.{nameof(ProjectId)} ({ProjectIdVariable})", id => CloudSettingRules.ProjectIdProblem(id, emulator is not null),
            "a Google Cloud project id such as my-project", Error);
        if (emulator is null)
        {
            GoogleEndpoint.RequireTls(Endpoint, $"{nameof(PubSubOptions)}.{nameof(Endpoint)}", ProductionEndpoint, EmulatorHostVariable);
        }

        ValidateCalls(nameof(PubSubOptions));
    }

    private static CloudSettingException Error(string source, string message) => new(source, message);
}
