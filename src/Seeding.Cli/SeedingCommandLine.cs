using System.CommandLine;
using System.Runtime.InteropServices;
using Seeding.Cli.Commands;
using Seeding.Definitions;

namespace Seeding.Cli;

/// <summary>
/// The <c>seeding</c> command line: <c>migrate</c>, <c>plan</c>, <c>status</c>, <c>verify</c> and <c>new</c>. The dotnet tool
/// runs it over the service assemblies given with <c>--assembly</c>; a service can host it in-process with its own
/// registries, e.g. <c>return await SeedingCommandLine.RunAsync(args, [SeedingRegistry.Service], Console.Out, Console.Error, ct);</c>.
/// </summary>
public static class SeedingCommandLine
{
    /// <summary>Runs one command line over the given services and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="args">The arguments, e.g. <c>["migrate", "--all"]</c>.</param>
    /// <param name="services">The services the host knows; <c>--assembly</c> adds more.</param>
    /// <param name="output">Where results go (tables, plans, JSON).</param>
    /// <param name="error">Where errors and progress lines go.</param>
    /// <param name="cancellationToken">Cancels the run (wire Ctrl+C to it); applied files stay applied and recorded.</param>
    public static Task<int> RunAsync(
        string[] args, IReadOnlyList<ServiceSeeds> services, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, new SeedingCommandLineOptions { Services = services }, output, error, cancellationToken);

    /// <summary>Runs one command line with full host settings and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="args">The arguments, e.g. <c>["status", "--output", "json"]</c>.</param>
    /// <param name="options">The services and the host's settings.</param>
    /// <param name="output">Where results go (tables, plans, JSON).</param>
    /// <param name="error">Where errors and progress lines go.</param>
    /// <param name="cancellationToken">Cancels the run (wire Ctrl+C to it); applied files stay applied and recorded.</param>
    public static async Task<int> RunAsync(
        string[] args, SeedingCommandLineOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var context = new CommandContext(options, output, error);
        var definition = new CommandLineDefinition(context);
        var parse = definition.Root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            }

            var command = parse.CommandResult.Command == definition.Root ? string.Empty : parse.CommandResult.Command.Name + " ";
            await error.WriteLineAsync($"Run '{options.CommandName} {command}--help' for usage and examples.").ConfigureAwait(false);
            return DiffCommand.ErrorCode(ExitCodes.Usage, args.Contains(DiffCommand.DetailedExitCodeOption) && parse.CommandResult.Command.Name == DiffCommand.Name);
        }

        if (parse.Errors.Count == 0)
        {
            context.Project = definition.ProjectOptions.Read(parse);
        }

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,

            // The host owns Ctrl+C: it cancels the token it passes in (the tool and Samples.Host do).
            ProcessTerminationTimeout = null,
        };

        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Never a stack trace for a user: one line that names the failure, and the failure exit code.
            await error.WriteLineAsync($"error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// Runs the command line on the console: writes to standard output and error, and cancels on Ctrl+C (a second
    /// Ctrl+C ends the process at once). For a service's own <c>Program.cs</c>.
    /// </summary>
    /// <param name="args">The process arguments.</param>
    /// <param name="services">The services the host knows.</param>
    public static Task<int> RunConsoleAsync(string[] args, IReadOnlyList<ServiceSeeds> services) =>
        RunConsoleAsync(args, new SeedingCommandLineOptions { Services = services });

    /// <summary>
    /// Runs the command line on the console with full host settings (services, command name, configuration): writes to
    /// standard output and error, and cancels on Ctrl+C (SIGINT) or SIGTERM (what Kubernetes, Cloud Run and systemd send
    /// to stop a process) after the current write: the lease is released, the report is printed and the exit code is
    /// <see cref="ExitCodes.Cancelled"/>. A second signal ends the process at once. Hosts need not wire the console themselves.
    /// </summary>
    /// <param name="args">The process arguments.</param>
    /// <param name="options">The services and the host's settings.</param>
    public static async Task<int> RunConsoleAsync(string[] args, SeedingCommandLineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var cancellation = new CancellationTokenSource();
        void OnSignal(PosixSignalContext signal)
        {
            // The first signal is ours (the run stops after the current write, which stays applied and recorded); the
            // second is left to the runtime, which ends the process.
            if (!cancellation.IsCancellationRequested)
            {
                signal.Cancel = true;
                Console.Error.WriteLine(signal.Signal == PosixSignal.SIGTERM
                    ? "SIGTERM: cancelling after the current write (send it again to stop at once)..."
                    : "Cancelling after the current write (Ctrl+C again to stop at once)...");
                cancellation.Cancel();
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await RunAsync(args, options, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
    }
}
