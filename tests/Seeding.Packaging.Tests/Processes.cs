using System.Diagnostics;
using System.Text;

namespace Seeding.Packaging.Tests;

/// <summary>What a finished process said.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Output, TimeSpan Duration)
{
    /// <summary>Standard output alone (Output interleaves standard error with it), for what a command prints as data (JSON).</summary>
    public string StandardOutput { get; init; } = string.Empty;

    public override string ToString() => $"$ {Command}\n(exit code {ExitCode}, {Duration.TotalSeconds:F1} s)\n{Output}";
}

/// <summary>
/// Runs a process with a time-out (the whole tree is killed when it is exceeded), its standard output and error
/// captured together for the failure message. Every process a test starts goes through here.
/// </summary>
public static class Processes
{
    /// <summary>The dotnet host running these tests: the same SDK builds, packs and runs everything.</summary>
    public static string Dotnet { get; } = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var command = $"{Path.GetFileName(fileName)} {string.Join(' ', start.ArgumentList)}   (in {workingDirectory})";
        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            Append(output, e.Data);
            Append(standardOutput, e.Data);
        };
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s and was killed:\n$ {command}\n{Text(output)}");
        }

        process.WaitForExit(); // drains the redirected streams
        return new ProcessResult(command, process.ExitCode, Text(output), stopwatch.Elapsed) { StandardOutput = Text(standardOutput) };
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
