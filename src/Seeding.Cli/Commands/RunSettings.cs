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

    /// <summary>The write budget: the option, else <c>Seeding:MaxWritesPerSecond</c> (the host's key; <c>Seeding__MaxWritesPerSecond</c> as a variable), else none.</summary>
    public static double? MaxWritesPerSecond(double? option, CommandContext context)
    {
        if (option is not null)
        {
            return option;
        }

        const string Key = "Seeding:MaxWritesPerSecond";
        var text = context.Options.Configuration?[Key] ?? context.Env("Seeding__MaxWritesPerSecond");
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new UsageException($"{Key} is '{text}'; set a positive number of document writes per second, or leave it unset for no budget.");
    }

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
