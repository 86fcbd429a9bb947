using System.Diagnostics;

namespace Seeding.Cli.Tests;

/// <summary>Runs a built .NET program (the tool, the samples' host) as a process, as a user would.</summary>
public static class DotnetProcess
{
    // The machine's own settings must not steer the program under test; a test sets what it means to.
    private static readonly string[] Cleared =
    [
        "FIRESTORE_EMULATOR_HOST", "FIRESTORE_PROJECT_ID", "FIRESTORE_DATABASE", "PUBSUB_EMULATOR_HOST", "PUBSUB_PROJECT_ID",
        "MIGRATION_PHASE", "DRY_RUN", "DOTNET_ENVIRONMENT",
    ];

    public static async Task<CliResult> RunAsync(string dll, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in Cleared)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {dll} {string.Join(' ', args)} did not finish in 2 minutes.");
        }

        return new CliResult(process.ExitCode, (await output).Replace("\r\n", "\n"), (await error).Replace("\r\n", "\n"));
    }
}
