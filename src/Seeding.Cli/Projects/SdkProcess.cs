using System.Diagnostics;
using System.Text;

namespace Seeding.Cli.Projects;

/// <summary>
/// What a <c>dotnet</c> child process returned: its exit code, everything it wrote (both streams, in order) and its
/// standard output alone (where <c>-getProperty</c> writes its answer).
/// </summary>
internal sealed record SdkResult(int ExitCode, string Output, string StandardOutput);

/// <summary>Runs the .NET SDK's <c>dotnet</c> as a child process (<c>dotnet build</c>, <c>dotnet msbuild -getProperty</c>).</summary>
internal static class SdkProcess
{
    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/>, collecting standard output and error; each line also goes to
    /// <paramref name="echo"/> as it comes when one is given. Cancelling kills the process tree.
    /// </summary>
    /// <exception cref="CommandException">The SDK could not be started.</exception>
    public static async Task<SdkResult> RunAsync(IReadOnlyList<string> arguments, string workingDirectory, TextWriter? echo, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The SDK's own first-run banner and telemetry notice are noise in a tool's output.
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new CommandException(ExitCodes.Failure,
                $"Could not run '{start.FileName} {arguments[0]}': {e.Message}. Install the .NET SDK (the tool builds the project with it), or pass --assembly path/to/MyService.dll.", e);
        }

        using (process)
        {
            var output = new StringBuilder();
            var standardOutput = new StringBuilder();
            var gate = new object();
            void Line(string? line, bool isOutput)
            {
                if (line is null)
                {
                    return;
                }

                lock (gate)
                {
                    output.Append(line).Append('\n');
                    if (isOutput)
                    {
                        standardOutput.Append(line).Append('\n');
                    }

                    echo?.WriteLine(line);
                }
            }

            process.OutputDataReceived += (_, e) => Line(e.Data, isOutput: true);
            process.ErrorDataReceived += (_, e) => Line(e.Data, isOutput: false);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It ended on its own meanwhile.
                }

                throw;
            }

            // WaitForExitAsync returns once the streams are drained too.
            lock (gate)
            {
                return new SdkResult(process.ExitCode, output.ToString(), standardOutput.ToString());
            }
        }
    }

    // The dotnet host that runs this tool when there is one (dotnet Seeding.Cli.Tool.dll), else the one on the PATH
    // (the tool's own apphost, 'seeding', is not the SDK).
    private static string Executable()
    {
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? current : "dotnet";
    }
}
