using Microsoft.Extensions.Logging;
using Seeding.Firestore;
using Seeding.Sqlite;
using Seeding.Store;

namespace Seeding.Hosting;

/// <summary>The store <see cref="SeedingStores"/> chose: which backend, where, and how it is named in output.</summary>
public sealed class SeedingStoreChoice
{
    private SeedingStoreChoice(SeedingStoreKind kind, string displayName, string? sqlitePath, FirestoreStoreOptions? firestore)
    {
        Kind = kind;
        DisplayName = displayName;
        SqlitePath = sqlitePath;
        Firestore = firestore;
    }

    /// <summary>The backend.</summary>
    public SeedingStoreKind Kind { get; }

    /// <summary>
    /// The store's name for the first line of a run, logs and JSON: <c>sqlite:.seeding/seeding.db</c> (relative to the
    /// base directory when inside it), <c>in-memory</c>, <c>firestore:projects/p/databases/d</c> or
    /// <c>firestore-emulator:host:port/projects/p/databases/d</c>.
    /// </summary>
    public string DisplayName { get; }

    /// <summary>The full path of the SQLite file; null for other backends.</summary>
    public string? SqlitePath { get; }

    /// <summary>The resolved and validated Firestore options; null for other backends.</summary>
    public FirestoreStoreOptions? Firestore { get; }

    /// <summary>Creates the store without touching it (the SQLite folder is created). Dispose it when done.</summary>
    /// <param name="loggerFactory">Where the store logs, or null.</param>
    public IDocumentStore Create(ILoggerFactory? loggerFactory = null) => Kind switch
    {
        SeedingStoreKind.Sqlite => new SqliteDocumentStore(SqliteOptions(), loggerFactory?.CreateLogger<SqliteDocumentStore>()),
        SeedingStoreKind.Memory => new InMemoryDocumentStore(),
        _ => CreateFirestore(loggerFactory),
    };

    /// <summary>Creates the store and, for SQLite, opens the file at once, so a bad path or a file that is not a database fails here.</summary>
    /// <param name="loggerFactory">Where the store logs, or null.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public async Task<IDocumentStore> OpenAsync(ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) => Kind == SeedingStoreKind.Sqlite
        ? await SqliteDocumentStore.OpenAsync(SqliteOptions(), loggerFactory?.CreateLogger<SqliteDocumentStore>(), cancellationToken).ConfigureAwait(false)
        : Create(loggerFactory);

    /// <inheritdoc />
    public override string ToString() => DisplayName;

    internal static SeedingStoreChoice ForMemory() => new(SeedingStoreKind.Memory, "in-memory", null, null);

    internal static SeedingStoreChoice ForFirestore(FirestoreStoreOptions options) => new(SeedingStoreKind.Firestore, options.DisplayName, null, options);

    internal static SeedingStoreChoice ForSqlite(string path, string baseDirectory)
    {
        var full = Path.GetFullPath(Path.Combine(baseDirectory, path));
        var relative = Path.GetRelativePath(baseDirectory, full);
        var shown = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
        return new SeedingStoreChoice(SeedingStoreKind.Sqlite, "sqlite:" + shown, full, null);
    }

    // The one place the embedded store's folder is created, for the CLI and the host alike (the store itself expects it).
    private SqliteStoreOptions SqliteOptions()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SqlitePath!)!);
        return new SqliteStoreOptions(SqlitePath!);
    }

    private FirestoreDocumentStore CreateFirestore(ILoggerFactory? loggerFactory)
    {
        Firestore!.Logger ??= loggerFactory?.CreateLogger<FirestoreDocumentStore>();
        return new FirestoreDocumentStore(Firestore);
    }
}
