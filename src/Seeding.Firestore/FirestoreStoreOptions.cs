using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Seeding.Firestore.Auth;

namespace Seeding.Firestore;

/// <summary>Where and how <see cref="FirestoreDocumentStore"/> reaches Firestore.</summary>
public sealed class FirestoreStoreOptions
{
    /// <summary>The id of the default database.</summary>
    public const string DefaultDatabase = "(default)";

    /// <summary>The production endpoint.</summary>
    public const string ProductionEndpoint = "https://firestore.googleapis.com";

    /// <summary>The project used against an emulator when none is configured (the <c>demo-</c> prefix marks emulator-only projects).</summary>
    public const string EmulatorDefaultProject = "demo-seeding";

    /// <summary>The Google Cloud project id. Required for production.</summary>
    public string ProjectId { get; set; } = string.Empty;

    /// <summary>The database id: <c>(default)</c> or a named database.</summary>
    public string DatabaseId { get; set; } = DefaultDatabase;

    /// <summary><c>host:port</c> of a Firestore emulator; when set, plaintext HTTP/2 and the emulator's owner token are used.</summary>
    public string? EmulatorHost { get; set; }

    /// <summary>The production endpoint (TLS); ignored when <see cref="EmulatorHost"/> is set.</summary>
    public string Endpoint { get; set; } = ProductionEndpoint;

    /// <summary>Where access tokens come from. Null: Application Default Credentials in production, <c>owner</c> on the emulator.</summary>
    public ITokenSource? TokenSource { get; set; }

    /// <summary>The deadline of each RPC attempt.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times one RPC is tried in total when it fails transiently (UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first retry's backoff; it doubles per attempt, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest backoff between two attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many paths one BatchGetDocuments call reads.</summary>
    public int ReadChunkSize { get; set; } = 1000;

    /// <summary>gRPC interceptors around every call (metrics, tracing, tests); the first is the outermost.</summary>
    public IList<Interceptor> Interceptors { get; } = new List<Interceptor>();

    /// <summary>Where retries and failures are logged; optional.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>True when an emulator is configured.</summary>
    public bool UsesEmulator => !string.IsNullOrWhiteSpace(EmulatorHost);

    /// <summary>
    /// Options from <c>FIRESTORE_PROJECT_ID</c> (falling back to <c>GOOGLE_CLOUD_PROJECT</c>), <c>FIRESTORE_DATABASE</c>
    /// and <c>FIRESTORE_EMULATOR_HOST</c>.
    /// </summary>
    /// <param name="getVariable">Reads a variable; defaults to the process environment (a seam for tests).</param>
    public static FirestoreStoreOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var emulator = Trimmed(getVariable("FIRESTORE_EMULATOR_HOST"));
        var project = Trimmed(getVariable("FIRESTORE_PROJECT_ID")) ?? Trimmed(getVariable("GOOGLE_CLOUD_PROJECT"));
        return new FirestoreStoreOptions
        {
            EmulatorHost = emulator,
            ProjectId = project ?? (emulator is null ? string.Empty : EmulatorDefaultProject),
            DatabaseId = Trimmed(getVariable("FIRESTORE_DATABASE")) ?? DefaultDatabase,
        };
    }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ProjectId))
        {
            throw new InvalidOperationException(
                "Firestore needs a project id: set FirestoreStoreOptions.ProjectId or FIRESTORE_PROJECT_ID " +
                "(or FIRESTORE_EMULATOR_HOST to use the emulator with a demo project).");
        }

        if (string.IsNullOrWhiteSpace(DatabaseId))
        {
            throw new InvalidOperationException($"Firestore needs a database id: '{DefaultDatabase}' or a named database (FIRESTORE_DATABASE).");
        }

        if (MaxAttempts < 1 || ReadChunkSize < 1 || CallTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("MaxAttempts and ReadChunkSize must be at least 1, and CallTimeout positive.");
        }
    }
}
