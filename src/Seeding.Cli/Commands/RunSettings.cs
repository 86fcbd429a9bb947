using Seeding.Definitions;
using Seeding.Hosting;

namespace Seeding.Cli.Commands;

/// <summary>
/// Phase and dry-run resolution: an option wins, then the seed runner's variables (read by
/// <see cref="SeedRunnerVariables"/>, the same rules as a host's startup run), then the default.
/// </summary>
internal static class RunSettings
{
    public static IReadOnlyList<SeedPhase> Phases(string? option, CommandContext context) => Usage(() =>
        option is null ? SeedRunnerVariables.ReadPhases(context.Env) ?? SeedRunnerVariables.AllPhases : SeedRunnerVariables.ParsePhases(option, "--phase"));

    public static bool DryRun(bool? option, CommandContext context) => option ?? Usage(() => SeedRunnerVariables.ReadDryRun(context.Env)) ?? false;

    public static string? Environment(string? option, CommandContext context) =>
        option ?? context.Env("DOTNET_ENVIRONMENT") ?? context.Env("ASPNETCORE_ENVIRONMENT");

    public static string Name(SeedPhase phase) => phase.ToString().ToLowerInvariant();

    private static T Usage<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SeedingConfigurationException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
