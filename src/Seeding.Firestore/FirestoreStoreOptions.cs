using Seeding.Resources;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Google.Apis.Auth.OAuth2;

namespace Seeding.Firestore;

/// <summary>
/// Where and how <see cref="FirestoreDocumentStore"/> reaches Firestore. The call timeouts and retries are
/// <see cref="GoogleCallOptions"/>'s (one operation is one RPC with its retries; waiting for an index to build is many
/// operations, one per poll, and is not bounded by <see cref="GoogleCallOptions.OperationTimeout"/>); here
/// <see cref="GoogleCallOptions.MaxAttempts"/> defaults to 6 and the backoff to 200 ms up to 10 s.
/// </summary>
public sealed class FirestoreStoreOptions : GoogleCallOptions
{
    /// <summary>The id of the default database.</summary>
    public const string DefaultDatabase = "(default)";

    /// <summary>The production endpoint.</summary>
    public const string ProductionEndpoint = "https://firestore.googleapis.com";

    /// <summary>The project used against an emulator when none is configured (the <c>demo-</c> prefix marks emulator-only projects).</summary>
    public const string EmulatorDefaultProject = "demo-seeding";

    /// <summary>Options with Firestore's retry defaults (6 attempts, backoff from 200 ms up to 10 s).</summary>
    public FirestoreStoreOptions()
        : base(maxAttempts: 6, initialBackoff: TimeSpan.FromMilliseconds(200), maxBackoff: TimeSpan.FromSeconds(10))
    {
    }

    /// <summary>The Google Cloud project id. Required for production.</summary>
    public string ProjectId { get; set; } = string.Empty;

    /// <summary>The database id: <c>(default)</c> or a named database.</summary>
    public string DatabaseId { get; set; } = DefaultDatabase;

    /// <summary><c>host:port</c> of a Firestore emulator; when set, plaintext HTTP/2 and the emulator's owner token are used.</summary>
    public string? EmulatorHost { get; set; }

    /// <summary>
    /// The endpoint reached over TLS when no <see cref="EmulatorHost"/> is set: <see cref="ProductionEndpoint"/> by
    /// default, or another <c>https://host:port</c> (<c>host:port</c> means the same), such as a private endpoint or a
    /// local stand-in with its own certificate. Never plaintext: an <c>http://</c> address is refused. Calls carry a
    /// token from <see cref="Credential"/> (Application Default Credentials by default). Configuration key
    /// <c>Seeding:Firestore:Endpoint</c>.
    /// </summary>
    public string Endpoint { get; set; } = ProductionEndpoint;

    /// <summary>
    /// Where the Firestore Admin API (indexes and field overrides) is reached. Null (the default): <see cref="Endpoint"/>
    /// in production, and none on the emulator, which has no index API (index steps are then skipped, see
    /// <see cref="FirestoreDocumentStore.IndexesUnavailableReason"/>). Set it to send Admin calls elsewhere than data
    /// calls, e.g. to a test double of the Admin service while documents go to the emulator: <c>https://</c> is TLS;
    /// <c>http://</c> is plaintext HTTP/2 and, since the access token travels with every call, only accepted for a
    /// loopback host (<c>127.0.0.1</c>, <c>localhost</c>, <c>::1</c>). Configuration key <c>Seeding:Firestore:AdminEndpoint</c>.
    /// </summary>
    public string? AdminEndpoint { get; set; }

    /// <summary>
    /// The credential whose access tokens every call carries (scoped to Datastore when it takes scopes; asked on every
    /// call, so it refreshes them). Null (the default): Application Default Credentials in production
    /// (GOOGLE_APPLICATION_CREDENTIALS, whose service-account key's <c>token_uri</c> is honoured, then gcloud's
    /// application-default login, then the metadata server), loaded on the first call and loaded again after a load that
    /// failed; the emulator's <c>owner</c> token on the emulator.
    /// </summary>
    public GoogleCredential? Credential { get; set; }

    /// <summary>How many paths one BatchGetDocuments call reads.</summary>
    public int ReadChunkSize { get; set; } = 1000;

    /// <summary>
    /// How many BatchWrite calls one run keeps in flight at once (see <see cref="Seeding.Store.IConcurrentWriteBatchStore"/>):
    /// batches in flight together never write the same document, and each call keeps its own per-write statuses,
    /// retries and reconciliation. 1 (the default) sends them one by one: on the emulator the runner measured no steady
    /// gain from more (tests/Seeding.Benchmarks/RESULTS.md). With the write ramp on, the ramp still caps the rate.
    /// </summary>
    public int MaxWriteBatchesInFlight { get; set; } = 1;

    /// <summary>The ramp's starting rate in Firestore's 500/50/5 guidance: writes per second allowed in the first 5 minutes.</summary>
    public const int DefaultWriteRampInitialRate = 500;

    /// <summary>
    /// Whether batched writes (BatchWrite) follow Firestore's 500/50/5 ramp for new collections: at most
    /// <see cref="WriteRampInitialRate"/> writes per second at first, 50% more every 5 minutes, counted from the store's
    /// first write. Null (the default): on in production, off on the emulator (see <see cref="WriteRampActive"/>). Commits
    /// (history records, the lease) are a few writes each and are never held back, so a lease renewal is not delayed.
    /// Configuration key <c>Seeding:Firestore:WriteRamp</c> (<c>true</c>, <c>false</c>, <c>auto</c>).
    /// </summary>
    public bool? WriteRamp { get; set; }

    /// <summary>The ramp's writes per second in its first 5 minutes; <see cref="DefaultWriteRampInitialRate"/> unless a database is known to take more.</summary>
    public int WriteRampInitialRate { get; set; } = DefaultWriteRampInitialRate;

    /// <summary>True when the write ramp paces batched writes: <see cref="WriteRamp"/>, or by default when no emulator is configured.</summary>
    public bool WriteRampActive => WriteRamp ?? !UsesEmulator;

    /// <summary>The clock the write ramp measures and waits by; <see cref="TimeProvider.System"/> unless a test drives time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The default <see cref="FirstResultTimeout"/> on the emulator: 10 minutes.</summary>
    public static readonly TimeSpan DefaultEmulatorFirstResultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a streamed query (one RunQuery: a pull, a backfill's partition, <c>QueryAllAsync</c>) may wait for its
    /// first answer; once documents flow, each next one may take <see cref="GoogleCallOptions.CallTimeout"/>. Null (the
    /// default): <see cref="GoogleCallOptions.CallTimeout"/> in production, which answers as it reads;
    /// <see cref="DefaultEmulatorFirstResultTimeout"/> on the emulator, which reads a query's whole result before it sends
    /// the first document, so that wait grows with the collection (about 7 s at 100,000 documents on a loaded 2-core
    /// machine) and a fixed per-call timeout would fail large reads there. See <see cref="FirstResultTimeoutActive"/>.
    /// </summary>
    public TimeSpan? FirstResultTimeout { get; set; }

    /// <summary>The wait for a streamed query's first answer in effect: <see cref="FirstResultTimeout"/>, or its default for this target.</summary>
    public TimeSpan FirstResultTimeoutActive => FirstResultTimeout ?? (UsesEmulator ? DefaultEmulatorFirstResultTimeout : CallTimeout);

    /// <summary>gRPC interceptors around every call (metrics, tracing, tests); the first is the outermost.</summary>
    public IList<Interceptor> Interceptors { get; } = new List<Interceptor>();

    /// <summary>Where retries and failures are logged; optional.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>True when an emulator is configured.</summary>
    public bool UsesEmulator => !string.IsNullOrWhiteSpace(EmulatorHost);

    /// <summary>
    /// How the database is named in output and logs (the store's <see cref="FirestoreDocumentStore.Name"/>):
    /// <c>firestore:projects/p/databases/d</c>, or <c>firestore-emulator:host:port/projects/p/databases/d</c>.
    /// </summary>
    public string DisplayName => UsesEmulator
        ? $"firestore-emulator:{EmulatorHost!.Trim()}/projects/{ProjectId}/databases/{DatabaseId}"
        : $"firestore:projects/{ProjectId}/databases/{DatabaseId}";

    /// <summary>The seed runner's variable naming the emulator, <c>host:port</c>.</summary>
    public const string EmulatorHostVariable = "FIRESTORE_EMULATOR_HOST";

    /// <summary>The seed runner's variable naming the project.</summary>
    public const string ProjectIdVariable = "FIRESTORE_PROJECT_ID";

    /// <summary>The seed runner's variable naming the database.</summary>
    public const string DatabaseVariable = "FIRESTORE_DATABASE";

    /// <summary>The platform's project variable, a fallback for the project id (it never selects Firestore by itself).</summary>
    public const string CloudProjectVariable = "GOOGLE_CLOUD_PROJECT";

    /// <summary>
    /// Options from <c>FIRESTORE_PROJECT_ID</c> (falling back to <c>GOOGLE_CLOUD_PROJECT</c>), <c>FIRESTORE_DATABASE</c>
    /// and <c>FIRESTORE_EMULATOR_HOST</c>; see <see cref="Resolve"/>.
    /// </summary>
    /// <param name="getVariable">Reads a variable; defaults to the process environment (a seam for tests).</param>
    /// <exception cref="CloudSettingException">A variable is set but blank, or malformed; the message names it.</exception>
    public static FirestoreStoreOptions FromEnvironment(Func<string, string?>? getVariable = null) => Resolve(getVariable: getVariable);

    /// <summary>
    /// True when the seed runner's variables ask for Firestore: <c>FIRESTORE_EMULATOR_HOST</c> or
    /// <c>FIRESTORE_PROJECT_ID</c> is set. For a host choosing its store from them.
    /// </summary>
    /// <param name="getVariable">Reads a variable; defaults to the process environment.</param>
    /// <exception cref="CloudSettingException">
    /// One of the three <c>FIRESTORE_*</c> variables is set but blank: a mis-templated deploy variable must fail by its
    /// name, not quietly leave the run on another store.
    /// </exception>
    public static bool RequestedBy(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        // Each rule refuses a blank value first, with the variable's name and the form it expects.
        if (getVariable(EmulatorHostVariable) is { } host && string.IsNullOrWhiteSpace(host))
        {
            FirestoreSettingRules.RequireEmulatorHost(new CloudSetting(host, EmulatorHostVariable));
        }

        if (getVariable(ProjectIdVariable) is { } project && string.IsNullOrWhiteSpace(project))
        {
            FirestoreSettingRules.RequireProjectId(new CloudSetting(project, ProjectIdVariable), emulator: false);
        }

        if (getVariable(DatabaseVariable) is { } database && string.IsNullOrWhiteSpace(database))
        {
            FirestoreSettingRules.RequireDatabaseId(new CloudSetting(database, DatabaseVariable));
        }

        return getVariable(EmulatorHostVariable) is not null || getVariable(ProjectIdVariable) is not null;
    }

    /// <summary>
    /// The one resolution of Firestore's connection settings, for every host (the CLI overlays its options here, the
    /// hosting package its configuration keys): each given setting wins over its variable, the variable over the
    /// default. The project defaults to <c>GOOGLE_CLOUD_PROJECT</c>, then, on the emulator, to
    /// <see cref="EmulatorDefaultProject"/>; the database to <see cref="DefaultDatabase"/>. Every value is checked by
    /// <see cref="FirestoreSettingRules"/> before any call is made.
    /// </summary>
    /// <param name="projectId">A project id given by the caller (e.g. <c>--project</c>), or null.</param>
    /// <param name="databaseId">A database id given by the caller, or null.</param>
    /// <param name="emulatorHost">An emulator host given by the caller, or null.</param>
    /// <param name="getVariable">Reads a variable; defaults to the process environment (a seam for tests).</param>
    /// <returns>Options whose <see cref="ProjectId"/> is empty when nothing named a project (see <see cref="Validate"/>).</returns>
    /// <exception cref="CloudSettingException">A setting is set but blank, or malformed; the message names it and the expected form.</exception>
    public static FirestoreStoreOptions Resolve(
        CloudSetting? projectId = null, CloudSetting? databaseId = null, CloudSetting? emulatorHost = null, Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        CloudSetting? Variable(string name) => getVariable(name) is { } value ? new CloudSetting(value, name) : null;

        var emulator = (emulatorHost ?? Variable(EmulatorHostVariable)) is { } host ? FirestoreSettingRules.RequireEmulatorHost(host) : null;
        var project = (projectId ?? Variable(ProjectIdVariable)) is { } given
            ? FirestoreSettingRules.RequireProjectId(given, emulator is not null)
            : getVariable(CloudProjectVariable) is { } platform && !string.IsNullOrWhiteSpace(platform)
                ? FirestoreSettingRules.RequireProjectId(new CloudSetting(platform, CloudProjectVariable), emulator is not null)
                : null;
        var database = (databaseId ?? Variable(DatabaseVariable)) is { } named ? FirestoreSettingRules.RequireDatabaseId(named) : DefaultDatabase;
        return new FirestoreStoreOptions
        {
            EmulatorHost = emulator,
            ProjectId = project ?? (emulator is null ? string.Empty : EmulatorDefaultProject),
            DatabaseId = database,
        };
    }

    /// <summary>
    /// Checks the options before any call: a project id is set, and the project id, database id and emulator host follow
    /// <see cref="FirestoreSettingRules"/>. <see cref="FirestoreDocumentStore"/> calls it when it is created.
    /// </summary>
    /// <exception cref="InvalidOperationException">No project id, or a limit below 1.</exception>
    /// <exception cref="CloudSettingException">A setting is malformed; the message names the property.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ProjectId))
        {
            throw new InvalidOperationException(
                "Firestore needs a project id: set FirestoreStoreOptions.ProjectId or FIRESTORE_PROJECT_ID " +
                "(or FIRESTORE_EMULATOR_HOST to use the emulator with a demo project).");
        }

        if (EmulatorHost is not null)
        {
            FirestoreSettingRules.RequireEmulatorHost(new CloudSetting(EmulatorHost, $"{nameof(FirestoreStoreOptions)}.{nameof(EmulatorHost)}"));
        }

        if (AdminEndpoint is not null)
        {
            RequireAdminEndpoint(AdminEndpoint);
        }

        FirestoreSettingRules.RequireProjectId(new CloudSetting(ProjectId, $"{nameof(FirestoreStoreOptions)}.{nameof(ProjectId)}"), UsesEmulator);
        FirestoreSettingRules.RequireDatabaseId(new CloudSetting(DatabaseId, $"{nameof(FirestoreStoreOptions)}.{nameof(DatabaseId)}"));
        if (EmulatorHost is null)
        {
            Internal.GoogleEndpoint.RequireTls(Endpoint, $"{nameof(FirestoreStoreOptions)}.{nameof(Endpoint)}", ProductionEndpoint, EmulatorHostVariable);
        }

        ValidateCalls(nameof(FirestoreStoreOptions));
        if (FirstResultTimeout <= TimeSpan.Zero)
        {
            throw new CloudSettingException(
                nameof(FirestoreStoreOptions), $"{nameof(FirestoreStoreOptions)}: FirstResultTimeout ({FirstResultTimeout}) must be positive, or null for its default.");
        }

        if (ReadChunkSize < 1 || WriteRampInitialRate < 1 || MaxWriteBatchesInFlight < 1)
        {
            throw new InvalidOperationException(
                $"{nameof(FirestoreStoreOptions)}: ReadChunkSize ({ReadChunkSize}), WriteRampInitialRate ({WriteRampInitialRate}) and MaxWriteBatchesInFlight ({MaxWriteBatchesInFlight}) must be at least 1.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }

    private static void RequireAdminEndpoint(string endpoint)
    {
        const string setting = $"{nameof(FirestoreStoreOptions)}.{nameof(AdminEndpoint)}";
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || Internal.GoogleEndpoint.LoopbackStandIn(endpoint) is null && uri.Scheme == Uri.UriSchemeHttps)
        {
            throw new CloudSettingException(
                setting,
                $"{setting} is '{endpoint}', which is not an http:// or https:// address. Give the Admin API's address, e.g. " +
                $"'{ProductionEndpoint}', or leave it unset to use {nameof(Endpoint)}.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            throw new CloudSettingException(
                setting,
                $"{setting} is '{endpoint}': plaintext http:// would send the access token unencrypted, so it is only accepted for a " +
                "loopback host (127.0.0.1, localhost, ::1). Use https:// for any other host.");
        }
    }
}
