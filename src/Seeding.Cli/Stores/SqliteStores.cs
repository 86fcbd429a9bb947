using Seeding.Sqlite;

namespace Seeding.Cli.Stores;

/// <summary>Opens the embedded SQLite store, creating the file's folder when needed.</summary>
internal static class SqliteStores
{
    public static async Task<OpenStore> OpenAsync(string databasePath, string displayPath, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(databasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var store = await SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(databasePath), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new OpenStore(store, "sqlite:" + displayPath);
    }
}
