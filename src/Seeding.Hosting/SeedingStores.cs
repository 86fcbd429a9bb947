using Microsoft.Extensions.Configuration;
using Seeding.Firestore;
using Seeding.PubSub;

namespace Seeding.Hosting;

/// <summary>Which backend seeds are written to.</summary>
public enum SeedingStoreKind
{
    /// <summary>The embedded SQLite file (default: <c>.seeding/seeding.db</c>).</summary>
    Sqlite,

    /// <summary>In memory: nothing is kept after the process. For trying a plan.</summary>
    Memory,

    /// <summary>Google Cloud Firestore, or its emulator.</summary>
    Firestore,
}

/// <summary>
/// What a caller says about the store on top of configuration and variables: the <c>seeding</c> command's options, or
/// <c>AddSeeding().UseSqlite(...)</c>/<c>.UseFirestore(...)</c>. Anything left null is read from configuration, then
/// from the seed runner's variables, then defaulted. Internal: the command line reaches it through InternalsVisibleTo,
/// hosts through <see cref="SeedingBuilder"/>.
/// </summary>
internal sealed record SeedingStoreOverrides
{
    /// <summary>The backend, or null to choose it from configuration and variables.</summary>
    public SeedingStoreKind? Kind { get; init; }

    /// <summary>The SQLite file (relative paths start at the base directory), or null.</summary>
    public string? SqlitePath { get; init; }

    /// <summary>The Firestore project id and where it was given, or null.</summary>
    public FirestoreSetting? ProjectId { get; init; }

    /// <summary>The Firestore database id and where it was given, or null.</summary>
    public FirestoreSetting? DatabaseId { get; init; }

    /// <summary>The Firestore emulator's <c>host:port</c> and where it was given, or null.</summary>
    public FirestoreSetting? EmulatorHost { get; init; }

    /// <summary>Code-first changes to the resolved Firestore options (credentials, retries, interceptors), applied last.</summary>
    public Action<FirestoreStoreOptions>? ConfigureFirestore { get; init; }

    /// <summary>How the caller names its project setting in the "needs a project" message, e.g. <c>--project</c>.</summary>
    public string ProjectSettingName { get; init; } = SeedingStores.ProjectIdKey;

    /// <summary>How the caller names its emulator setting in the "needs a project" message, e.g. <c>--emulator-host</c>.</summary>
    public string EmulatorSettingName { get; init; } = SeedingStores.EmulatorHostKey;

    /// <summary>The Pub/Sub project id and where it was given (e.g. <c>--pubsub-project</c>), or null.</summary>
    public FirestoreSetting? PubSubProjectId { get; init; }

    /// <summary>The Pub/Sub emulator's <c>host:port</c> and where it was given (e.g. <c>--pubsub-emulator-host</c>), or null.</summary>
    public FirestoreSetting? PubSubEmulatorHost { get; init; }

    /// <summary>
    /// True when the caller needs a Pub/Sub target (<c>AddSeeding().UsePubSub()</c>): resolving none is then a
    /// <see cref="SeedingConfigurationException"/> instead of "no target".
    /// </summary>
    public bool RequirePubSub { get; init; }

    /// <summary>
    /// Code-first changes to the resolved Pub/Sub options (credentials, timeouts), applied last; it receives options with
    /// an empty project when nothing named one, and may set it.
    /// </summary>
    public Func<PubSubOptions, PubSubOptions>? ConfigurePubSub { get; init; }
}

/// <summary>
/// The one store resolver of the <c>seeding</c> command and of <c>AddSeeding()</c>, so a service and its deploy
/// pipeline pick the same store from the same settings. For each value: what the caller gives
/// (<see cref="SeedingStoreOverrides"/>), then configuration (<c>Seeding:Store</c>, <c>Seeding:Sqlite:Path</c>,
/// <c>Seeding:Firestore:ProjectId|Database|EmulatorHost|WriteRamp</c>), then the seed runner's variables
/// (<c>FIRESTORE_EMULATOR_HOST</c>, <c>FIRESTORE_PROJECT_ID</c>, <c>FIRESTORE_DATABASE</c>), then the default: the
/// embedded SQLite file <c>.seeding/seeding.db</c>. Firestore is chosen when nothing names a store and an emulator host
/// or a project is set anywhere. The Pub/Sub target of <c>topic</c> and <c>subscription</c> steps is resolved beside it
/// (<c>Seeding:PubSub:EmulatorHost|ProjectId</c>, <c>PUBSUB_EMULATOR_HOST</c>, <c>PUBSUB_PROJECT_ID</c>; see
/// <see cref="SeedingStoreChoice.PubSub"/>). Settings that are set but blank, or malformed, are refused with a
/// <see cref="SeedingConfigurationException"/> naming them: never a quiet fallback to another store.
/// </summary>
public static class SeedingStores
{
    /// <summary>The default SQLite file, relative to the base directory (the CLI's working directory, the host's content root).</summary>
    public const string DefaultSqlitePath = ".seeding/seeding.db";

    /// <summary>Configuration key of the backend: <c>sqlite</c>, <c>memory</c> or <c>firestore</c>.</summary>
    public const string StoreKey = "Seeding:Store";

    /// <summary>Configuration key of the SQLite file.</summary>
    public const string SqlitePathKey = "Seeding:Sqlite:Path";

    /// <summary>Configuration key of the Firestore project id.</summary>
    public const string ProjectIdKey = "Seeding:Firestore:ProjectId";

    /// <summary>Configuration key of the Firestore database id.</summary>
    public const string DatabaseKey = "Seeding:Firestore:Database";

    /// <summary>Configuration key of the Firestore emulator's <c>host:port</c>.</summary>
    public const string EmulatorHostKey = "Seeding:Firestore:EmulatorHost";

    /// <summary>
    /// Configuration key of Firestore's write ramp (<see cref="FirestoreStoreOptions.WriteRamp"/>): <c>true</c>, <c>false</c>,
    /// or <c>auto</c> (the default: on in production, off on the emulator).
    /// </summary>
    public const string WriteRampKey = "Seeding:Firestore:WriteRamp";

    /// <summary>Configuration key of the Pub/Sub emulator's <c>host:port</c> (variable <c>PUBSUB_EMULATOR_HOST</c>).</summary>
    public const string PubSubEmulatorHostKey = "Seeding:PubSub:EmulatorHost";

    /// <summary>Configuration key of the Pub/Sub project id (variable <c>PUBSUB_PROJECT_ID</c>; default: the Firestore project).</summary>
    public const string PubSubProjectIdKey = "Seeding:PubSub:ProjectId";

    /// <summary>Resolves the store from a host's configuration, which also carries the variables (environment variables, command line).</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="baseDirectory">Where a relative SQLite path starts (the content root).</param>
    /// <exception cref="SeedingConfigurationException">A setting is blank, malformed or missing; the message names it.</exception>
    public static SeedingStoreChoice Resolve(IConfiguration configuration, string baseDirectory) => Resolve(configuration, baseDirectory, overrides: null);

    /// <summary>Resolves the store from separate readers of configuration keys and of variables (the command line's seams).</summary>
    /// <param name="settings">Reads a configuration key such as <c>Seeding:Store</c>.</param>
    /// <param name="variables">Reads a seed runner variable such as <c>FIRESTORE_EMULATOR_HOST</c>, untrimmed (blank is not unset).</param>
    /// <param name="baseDirectory">Where a relative SQLite path starts.</param>
    /// <exception cref="SeedingConfigurationException">A setting is blank, malformed or missing; the message names it.</exception>
    public static SeedingStoreChoice Resolve(Func<string, string?> settings, Func<string, string?> variables, string baseDirectory) =>
        Resolve(settings, variables, baseDirectory, overrides: null);

    /// <summary>Resolves the store from a host's configuration with what code says on top (<see cref="SeedingBuilder"/>).</summary>
    internal static SeedingStoreChoice Resolve(IConfiguration configuration, string baseDirectory, SeedingStoreOverrides? overrides)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Resolve(key => configuration[key], key => configuration[key], baseDirectory, overrides);
    }

    /// <summary>Resolves the store from separate readers with what the caller says on top (the command line's options).</summary>
    /// <exception cref="SeedingConfigurationException">A setting is blank, malformed or missing; the message names it.</exception>
    internal static SeedingStoreChoice Resolve(
        Func<string, string?> settings, Func<string, string?> variables, string baseDirectory, SeedingStoreOverrides? overrides)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        try
        {
            return Choose(settings, variables, baseDirectory, overrides ?? new SeedingStoreOverrides());
        }
        catch (FirestoreConfigurationException e)
        {
            throw new SeedingConfigurationException(e.Setting, e.Message, e);
        }
    }

    /// <summary>Resolves only the Pub/Sub target (beside a store registered by hand, whose project is unknown).</summary>
    /// <exception cref="SeedingConfigurationException">A Pub/Sub setting is blank, malformed or missing; the message names it.</exception>
    internal static PubSub.PubSubOptions? ResolvePubSub(IConfiguration configuration, SeedingStoreOverrides overrides) =>
        SeedingPubSub.Resolve(key => configuration[key], key => configuration[key], firestore: null, overrides);

    private static SeedingStoreChoice Choose(Func<string, string?> settings, Func<string, string?> variables, string baseDirectory, SeedingStoreOverrides overrides)
    {
        FirestoreSetting? Setting(string key) => settings(key) is { } value ? new FirestoreSetting(value, key) : null;

        var project = overrides.ProjectId ?? Setting(ProjectIdKey);
        var database = overrides.DatabaseId ?? Setting(DatabaseKey);
        var emulator = overrides.EmulatorHost ?? Setting(EmulatorHostKey);
        var kind = overrides.Kind
            ?? (Setting(StoreKey) is { } store ? ParseKind(store) : (SeedingStoreKind?)null)
            ?? (project is not null || emulator is not null || FirestoreStoreOptions.RequestedBy(variables) ? SeedingStoreKind.Firestore : SeedingStoreKind.Sqlite);

        var firestore = kind == SeedingStoreKind.Firestore ? ResolveFirestore(project, database, emulator, Setting(WriteRampKey), variables, overrides) : null;
        var pubSub = SeedingPubSub.Resolve(settings, variables, firestore, overrides);
        return kind switch
        {
            SeedingStoreKind.Firestore => SeedingStoreChoice.ForFirestore(firestore!, pubSub),
            SeedingStoreKind.Memory => SeedingStoreChoice.ForMemory(pubSub),
            _ => SeedingStoreChoice.ForSqlite(SqlitePath(overrides.SqlitePath, Setting(SqlitePathKey)), Path.GetFullPath(baseDirectory), pubSub),
        };
    }

    /// <summary>The one reading of a store name (<c>Seeding:Store</c>, the command line's <c>--store</c>): sqlite, memory or firestore.</summary>
    /// <exception cref="SeedingConfigurationException">Blank or another name; the message names the setting.</exception>
    internal static SeedingStoreKind ParseKind(FirestoreSetting store) => store.Value.Trim().ToLowerInvariant() switch
    {
        "sqlite" => SeedingStoreKind.Sqlite,
        "memory" => SeedingStoreKind.Memory,
        "firestore" => SeedingStoreKind.Firestore,
        "" => throw new SeedingConfigurationException(store.Source, $"{store.Source} is set but blank. Set it to sqlite, memory or firestore, or unset it."),
        _ => throw new SeedingConfigurationException(store.Source, $"{store.Source} is '{store.Value}'. Use sqlite, memory or firestore."),
    };

    private static bool? ParseWriteRamp(FirestoreSetting ramp) => ramp.Value.Trim().ToLowerInvariant() switch
    {
        "true" or "on" => true,
        "false" or "off" => false,
        "auto" => null,
        "" => throw new SeedingConfigurationException(ramp.Source, $"{ramp.Source} is set but blank. Set it to true, false or auto, or unset it."),
        _ => throw new SeedingConfigurationException(ramp.Source,
            $"{ramp.Source} is '{ramp.Value}'. Use true, false or auto: true paces writes by Firestore's 500/50/5 ramp, auto (the default) does so in production but not on the emulator."),
    };

    private static string SqlitePath(string? given, FirestoreSetting? configured)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        if (configured is { } setting)
        {
            return string.IsNullOrWhiteSpace(setting.Value)
                ? throw new SeedingConfigurationException(setting.Source, $"{setting.Source} is set but blank. Set it to a file such as {DefaultSqlitePath}, or unset it.")
                : setting.Value.Trim();
        }

        return DefaultSqlitePath;
    }

    private static FirestoreStoreOptions ResolveFirestore(
        FirestoreSetting? project, FirestoreSetting? database, FirestoreSetting? emulator, FirestoreSetting? writeRamp, Func<string, string?> variables,
        SeedingStoreOverrides overrides)
    {
        var options = FirestoreStoreOptions.Resolve(project, database, emulator, variables);
        options.WriteRamp = writeRamp is { } ramp ? ParseWriteRamp(ramp) : null;
        overrides.ConfigureFirestore?.Invoke(options);
        if (string.IsNullOrWhiteSpace(options.ProjectId))
        {
            throw new SeedingConfigurationException(overrides.ProjectSettingName,
                $"Firestore needs a project: set {overrides.ProjectSettingName} <id> (or {FirestoreStoreOptions.ProjectIdVariable}), " +
                $"or {overrides.EmulatorSettingName} host:port (or {FirestoreStoreOptions.EmulatorHostVariable}) for the emulator.");
        }

        options.Validate();
        return options;
    }
}
