using Seeding.Firestore;
using Seeding.Hosting;
using Seeding.Store;

namespace Seeding.Cli.Stores;

/// <summary>
/// The store a command writes to, chosen by the resolver the command line shares with <c>AddSeeding()</c>
/// (<see cref="SeedingStores"/>): this class only overlays the command's options (<c>--store</c>, <c>--database</c>,
/// <c>--firestore-project</c>, <c>--firestore-database</c>, <c>--emulator-host</c>, and for migrate and plan
/// <c>--pubsub-emulator-host</c>, <c>--pubsub-project</c>) on the resolver's inputs and turns its
/// configuration errors into usage errors (exit 2).
/// </summary>
internal sealed class StoreSettings
{
    /// <summary>The default SQLite file, relative to the working directory.</summary>
    public const string DefaultDatabase = SeedingStores.DefaultSqlitePath;

    private StoreSettings(SeedingStoreChoice choice) => Choice = choice;

    /// <summary>What the resolver chose.</summary>
    public SeedingStoreChoice Choice { get; }

    /// <summary>The backend.</summary>
    public SeedingStoreKind Kind => Choice.Kind;

    /// <summary>
    /// Resolves the store: options first, then configuration keys (<c>Seeding:Store</c>..., from the host's
    /// configuration, else from <c>Seeding__Store</c>... variables), then <c>FIRESTORE_*</c> variables, then the embedded
    /// SQLite file.
    /// </summary>
    /// <exception cref="UsageException">A setting is blank, malformed or missing; the message names it.</exception>
    public static StoreSettings Resolve(
        string? store, string? database, string? project, string? firestoreDatabase, string? emulatorHost, CommandContext context,
        string? pubSubEmulatorHost = null, string? pubSubProject = null)
    {
        // Untrimmed variables: a set-but-blank FIRESTORE_* variable is an error, not "unset" (CommandContext.Env trims).
        var variables = context.Options.EnvironmentVariables ?? Environment.GetEnvironmentVariable;
        Func<string, string?> settings = context.Options.Configuration is { } configuration
            ? key => configuration[key]
            : key => variables(key.Replace(":", "__", StringComparison.Ordinal));
        var overrides = new SeedingStoreOverrides
        {
            SqlitePath = database,
            ProjectId = Option(project, "--firestore-project"),
            DatabaseId = Option(firestoreDatabase, "--firestore-database"),
            EmulatorHost = Option(emulatorHost, "--emulator-host"),
            PubSubEmulatorHost = Option(pubSubEmulatorHost, "--pubsub-emulator-host"),
            PubSubProjectId = Option(pubSubProject, "--pubsub-project"),
            ProjectSettingName = "--firestore-project",
            EmulatorSettingName = "--emulator-host",
        };

        try
        {
            // The one reading of a store name, shared with Seeding:Store.
            overrides = overrides with { Kind = store is null ? null : SeedingStores.ParseKind(new FirestoreSetting(store, "--store")) };
            return new StoreSettings(SeedingStores.Resolve(settings, variables, context.WorkingDirectory, overrides));
        }
        catch (SeedingConfigurationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Opens the store; dispose the result when done.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <param name="storeLogger">Where the store logs (Firestore: a warning per retry); null logs nothing.</param>
    public async Task<OpenStore> OpenAsync(CancellationToken cancellationToken, Microsoft.Extensions.Logging.ILogger? storeLogger = null)
    {
        if (Choice.Firestore is { } firestore && storeLogger is not null)
        {
            firestore.Logger = storeLogger;
        }

        return new(await Choice.OpenAsync(cancellationToken: cancellationToken).ConfigureAwait(false), Choice.DisplayName);
    }

    private static FirestoreSetting? Option(string? value, string name) => value is null ? null : new FirestoreSetting(value, name);
}

/// <summary>An opened store, disposed with the command.</summary>
internal sealed class OpenStore(IDocumentStore store, string displayName) : IAsyncDisposable
{
    /// <summary>The store.</summary>
    public IDocumentStore Store { get; } = store;

    /// <summary>The store's name for output (a SQLite path relative to the working directory when inside it).</summary>
    public string DisplayName { get; } = displayName;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        switch (Store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
