using Seeding.Store;

namespace Seeding.Cli.Stores;

/// <summary>Which backend a command uses.</summary>
internal enum StoreKind
{
    Sqlite,
    Memory,
    Firestore,
}

/// <summary>The store the command line resolved from its options and environment variables.</summary>
internal sealed record StoreSettings(StoreKind Kind, string DatabasePath, string? ProjectId, string? FirestoreDatabase, string? EmulatorHost)
{
    /// <summary>The default SQLite file, relative to the working directory.</summary>
    public const string DefaultDatabase = ".seeding/seeding.db";

    /// <summary>How the database path is shown in output.</summary>
    public string DisplayPath { get; init; } = DatabasePath;

    /// <summary>Where the store logs (Firestore: a warning per retry); null logs nothing.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

    /// <summary>Reads environment variables (the host's seam), for the Firestore options.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Resolves the store: options first, then <c>FIRESTORE_*</c> variables, then the embedded SQLite file.</summary>
    public static StoreSettings Resolve(
        string? store, string? database, string? project, string? firestoreDatabase, string? emulatorHost, CommandContext context)
    {
        project ??= context.Env("FIRESTORE_PROJECT_ID");
        firestoreDatabase ??= context.Env("FIRESTORE_DATABASE");
        emulatorHost ??= context.Env("FIRESTORE_EMULATOR_HOST");
        var kind = store?.ToLowerInvariant() switch
        {
            null => emulatorHost is not null || project is not null ? StoreKind.Firestore : StoreKind.Sqlite,
            "sqlite" => StoreKind.Sqlite,
            "memory" => StoreKind.Memory,
            "firestore" => StoreKind.Firestore,
            _ => throw new UsageException($"Unknown store '{store}'. Use sqlite, memory or firestore."),
        };

        var path = context.ResolvePath(string.IsNullOrWhiteSpace(database) ? DefaultDatabase : database);
        return new StoreSettings(kind, path, project, firestoreDatabase, emulatorHost) { Environment = context.Env, DisplayPath = context.DisplayPath(path) };
    }

    /// <summary>Opens the store; dispose the result when done.</summary>
    public async Task<OpenStore> OpenAsync(CancellationToken cancellationToken)
    {
        switch (Kind)
        {
            case StoreKind.Memory:
                return new OpenStore(new InMemoryDocumentStore());
            case StoreKind.Sqlite:
                return await SqliteStores.OpenAsync(DatabasePath, DisplayPath, cancellationToken).ConfigureAwait(false);
            case StoreKind.Firestore:
                return await FirestoreStores.OpenAsync(this, Environment, cancellationToken).ConfigureAwait(false);
            default:
                throw new UsageException($"Unknown store kind {Kind}.");
        }
    }
}

/// <summary>An opened store, disposed with the command.</summary>
internal sealed class OpenStore(IDocumentStore store, string? displayName = null) : IAsyncDisposable
{
    /// <summary>The store.</summary>
    public IDocumentStore Store { get; } = store;

    /// <summary>The store's name for output (a SQLite path relative to the working directory when inside it).</summary>
    public string DisplayName { get; } = displayName ?? store.Name;

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
