using System.Diagnostics;

namespace Seeding.TestSupport;

/// <summary>
/// Installs a Node folder's pinned packages (<c>npm ci</c> from its <c>package-lock.json</c>) once, for every test and
/// benchmark that needs the official clients. <c>npm ci</c> first deletes <c>node_modules</c>, so two installs at once
/// (tests of one assembly run in parallel, and <c>dotnet test</c> runs assemblies in parallel) break each other, and a
/// reader can see a half-written tree. Every caller therefore takes a lock file beside the lock file, across
/// processes, and trusts only a marker written after a finished install.
/// </summary>
public static class NodePackages
{
    private const string Marker = ".seeding-npm-ci-done";
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    /// <summary>Makes sure <paramref name="folder"/>'s <c>node_modules</c> holds a finished <c>npm ci</c>.</summary>
    /// <param name="folder">A folder with a <c>package.json</c> and <c>package-lock.json</c>.</param>
    /// <param name="cancellationToken">Stops waiting for another process's install.</param>
    /// <returns><paramref name="folder"/>.</returns>
    /// <exception cref="InvalidOperationException"><c>npm ci</c> failed; the message holds what it printed.</exception>
    public static async Task<string> EnsureInstalledAsync(string folder, CancellationToken cancellationToken = default)
    {
        var marker = Path.Combine(folder, "node_modules", Marker);
        var lockText = await File.ReadAllTextAsync(Path.Combine(folder, "package-lock.json"), cancellationToken);
        if (IsCurrent(marker, lockText))
        {
            return folder;
        }

        await InProcess.WaitAsync(cancellationToken);
        try
        {
            using var crossProcess = await LockAsync(Path.Combine(folder, ".npm-ci.lock"), cancellationToken);
            if (IsCurrent(marker, lockText))
            {
                return folder;
            }

            var install = await ChildProcess.RunAsync(
                new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]) { WorkingDirectory = folder },
                TimeSpan.FromMinutes(5),
                $"npm ci in {folder}");
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"'npm ci' in {folder} exited with {install.ExitCode}; the Node clients are pinned in its package-lock.json " +
                    $"and come from the npm registry.\n{install.Output}\n{install.Error}");
            }

            await File.WriteAllTextAsync(marker, lockText, cancellationToken);
            return folder;
        }
        finally
        {
            InProcess.Release();
        }
    }

    /// <summary>The blocking form, for the benchmark runner's synchronous setup.</summary>
    /// <param name="folder">A folder with a <c>package.json</c> and <c>package-lock.json</c>.</param>
    /// <returns><paramref name="folder"/>.</returns>
    public static string EnsureInstalled(string folder) => EnsureInstalledAsync(folder).GetAwaiter().GetResult();

    // The marker holds the lock file it was installed from, so a changed lock file installs again.
    private static bool IsCurrent(string marker, string lockText) =>
        File.Exists(marker) && string.Equals(File.ReadAllText(marker), lockText, StringComparison.Ordinal);

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(6);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }
}
