namespace Seeding.Sqlite.Tests;

/// <summary>A fresh directory for one test's database files, deleted afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "seeding-sqlite-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        FilePath = Path.Combine(Directory, "store.db");
    }

    public string Directory { get; }

    public string FilePath { get; }

    public SqliteStoreOptions Options => new(FilePath);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open elsewhere is left for the OS to clean.
        }
    }
}
