using System.Diagnostics;

namespace Seeding.TestSupport;

/// <summary>What a finished child process said: its exit code, standard output and standard error (line ends as \n).</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record ChildProcessResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs a test's child process (a service, the tool) to its end with both streams read, so a full pipe can never stall
/// it; one that outlives its time is killed with its process tree and reported with what it printed.
/// </summary>
public static class ChildProcess
{
    /// <summary>Starts <paramref name="start"/> (its streams redirected here) and waits for it to exit.</summary>
    /// <param name="start">The process to start; standard output and error are redirected by this method.</param>
    /// <param name="timeout">How long it may run.</param>
    /// <param name="what">What it is, for the timeout's message.</param>
    /// <exception cref="TimeoutException">It did not exit in time (it is killed).</exception>
    public static async Task<ChildProcessResult> RunAsync(ProcessStartInfo start, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish in {timeout.TotalSeconds:0} s.\n{await output}\n{await error}");
        }

        return new ChildProcessResult(process.ExitCode, (await output).Replace("\r\n", "\n"), (await error).Replace("\r\n", "\n"));
    }
}
