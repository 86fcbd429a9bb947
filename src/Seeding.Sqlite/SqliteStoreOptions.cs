namespace Seeding.Sqlite;

/// <summary>Where and how <see cref="SqliteDocumentStore"/> keeps its database.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>Creates options for the database file at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The database file; created when missing (its directory must exist).</param>
    public SqliteStoreOptions(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = databasePath;
    }

    /// <summary>The database file; created when missing (its directory must exist). Relative paths resolve against the current directory.</summary>
    public string DatabasePath { get; init; }

    /// <summary>
    /// How long a write waits for another connection or process that holds the database's write lock before
    /// failing with a <see cref="TimeoutException"/>. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
