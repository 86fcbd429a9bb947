namespace Seeding.Concurrency.Tests;

/// <summary>A fresh folder under the temp directory for one test's databases and logs, deleted when disposed.</summary>
public sealed class ScratchDirectory(string purpose) : IDisposable
{
    /// <summary>The folder's full path.</summary>
    public string Path { get; } = Directory.CreateDirectory(
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), purpose, Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open is left for the OS to clean.
        }
    }
}
