using Seeding.Cli.Output;

namespace Seeding.Cli.Commands;

/// <summary>
/// Reports a command's failure: a line on standard error, and in JSON mode an error document on standard output, naming
/// the store when the command had opened one.
/// </summary>
internal static class Errors
{
    public static async Task ReportAsync(CommandContext context, string command, bool json, int exitCode, string kind, string message, string? store = null)
    {
        await context.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        if (exitCode == ExitCodes.Usage)
        {
            await context.Error.WriteLineAsync($"Run '{context.Options.CommandName} {command} --help' for usage and examples.").ConfigureAwait(false);
        }

        if (json)
        {
            await context.Output.WriteAsync(JsonOutput.Error(command, exitCode, kind, message, store)).ConfigureAwait(false);
        }
    }
}
