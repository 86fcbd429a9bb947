using Seeding.Definitions;

namespace Seeding.Cli.Tests;

/// <summary>What one command line run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// A temporary working directory with its own environment: runs the real entry point (SeedingCommandLine.RunAsync)
/// in-process with StringWriters, so tests neither see nor change the machine's variables (FIRESTORE_* on CI).
/// </summary>
public sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Directory = Path.Combine(Path.GetTempPath(), "seeding-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string DefaultDatabase => Path.Combine(Directory, ".seeding", "seeding.db");

    public async Task<CliResult> RunAsync(IReadOnlyList<ServiceSeeds> services, params string[] args) =>
        await RunAsync(services, CancellationToken.None, args);

    public async Task<CliResult> RunAsync(IReadOnlyList<ServiceSeeds> services, CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var options = new SeedingCommandLineOptions
        {
            Services = services,
            WorkingDirectory = Directory,
            EnvironmentVariables = name => Environment.TryGetValue(name, out var value) ? value : null,
        };
        var code = await SeedingCommandLine.RunAsync(args, options, output, error, cancellationToken);
        return new CliResult(code, output.ToString().Replace("\r\n", "\n"), error.ToString().Replace("\r\n", "\n"));
    }

    public void Dispose()
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
