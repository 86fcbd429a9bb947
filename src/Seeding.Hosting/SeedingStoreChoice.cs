using Microsoft.Extensions.Logging;
using Seeding.Firestore;
using Seeding.PubSub;
using Seeding.Sqlite;
using Seeding.Store;

namespace Seeding.Hosting;

/// <summary>The store <see cref="SeedingStores"/> chose: which backend, where, and how it is named in output.</summary>
public sealed class SeedingStoreChoice
{
    private SeedingStoreChoice(SeedingStoreKind kind, string displayName, string? sqlitePath, FirestoreStoreOptions? firestore, PubSubOptions? pubSub)
    {
        Kind = kind;
        DisplayName = displayName;
        SqlitePath = sqlitePath;
        Firestore = firestore;
        PubSub = pubSub;
        PubSubDisplayName = pubSub is null ? null : pubSub.DisplayName;
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

    /// <summary>
    /// Where <c>topic</c> and <c>subscription</c> steps are ensured: the Pub/Sub emulator or production Pub/Sub, and the
    /// project. Null when this run has no Pub/Sub target (the embedded SQLite or in-memory store, or the Firestore
    /// emulator, with no Pub/Sub setting): the runner then reports those steps as having no target, with the reason.
    /// </summary>
    public PubSubOptions? PubSub { get; }

    /// <summary>The Pub/Sub target's name for output: <c>pubsub:projects/p</c>, <c>pubsub-emulator:host:port/projects/p</c>; null without one.</summary>
    public string? PubSubDisplayName { get; }

    /// <summary>
    /// Creates the Pub/Sub client for <see cref="PubSub"/> (no call is made until the first step needs it), or null when
    /// there is no Pub/Sub target. Dispose it when done.
    /// </summary>
    /// <param name="loggerFactory">Where the client logs, or null.</param>
    public PubSubAdmin? CreatePubSub(ILoggerFactory? loggerFactory = null) =>
        PubSub is null ? null : new PubSubAdmin(PubSub, loggerFactory?.CreateLogger<PubSubAdmin>());

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

    internal static SeedingStoreChoice ForMemory(PubSubOptions? pubSub) => new(SeedingStoreKind.Memory, "in-memory", null, null, pubSub);

    internal static SeedingStoreChoice ForFirestore(FirestoreStoreOptions options, PubSubOptions? pubSub) =>
        new(SeedingStoreKind.Firestore, options.DisplayName, null, options, pubSub);

    internal static SeedingStoreChoice ForSqlite(string path, string baseDirectory, PubSubOptions? pubSub)
    {
        var full = Path.GetFullPath(Path.Combine(baseDirectory, path));
        var relative = Path.GetRelativePath(baseDirectory, full);
        var shown = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
        return new SeedingStoreChoice(SeedingStoreKind.Sqlite, "sqlite:" + shown, full, null, pubSub);
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
