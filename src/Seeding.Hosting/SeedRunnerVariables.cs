using Seeding.Definitions;

namespace Seeding.Hosting;

/// <summary>
/// The seed runner's variables, read the same way by the host (<c>AddSeeding</c>) and the <c>seeding</c> command:
/// <c>MIGRATION_PHASE</c> (which phases run) and <c>DRY_RUN</c> (plan only). Blank counts as unset; any other value
/// outside the lists below is a <see cref="SeedingConfigurationException"/> naming the variable.
/// </summary>
public static class SeedRunnerVariables
{
    /// <summary><c>pre</c>, <c>post</c>, <c>bootstrap</c> or <c>all</c>.</summary>
    public const string Phase = "MIGRATION_PHASE";

    /// <summary><c>true</c>/<c>false</c>, <c>1</c>/<c>0</c>, <c>yes</c>/<c>no</c>.</summary>
    public const string DryRun = "DRY_RUN";

    /// <summary>Every phase in run order (<see cref="Seeding.Running.SeedRunner.PhaseOrder"/>).</summary>
    public static IReadOnlyList<SeedPhase> AllPhases => Seeding.Running.SeedRunner.PhaseOrder;

    /// <summary>The phases <c>MIGRATION_PHASE</c> asks for, or null when it is unset or blank.</summary>
    /// <param name="variables">Reads a variable (the environment, or a host's configuration).</param>
    /// <exception cref="SeedingConfigurationException">The value is not a phase.</exception>
    public static IReadOnlyList<SeedPhase>? ReadPhases(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Given(variables(Phase)) is { } value ? ParsePhases(value, Phase) : null;
    }

    /// <summary>What <c>DRY_RUN</c> says, or null when it is unset or blank.</summary>
    /// <param name="variables">Reads a variable (the environment, or a host's configuration).</param>
    /// <exception cref="SeedingConfigurationException">The value is not a boolean.</exception>
    public static bool? ReadDryRun(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var value = Given(variables(DryRun));
        return value?.ToLowerInvariant() switch
        {
            null => null,
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new SeedingConfigurationException(DryRun, $"{DryRun} is '{value}'; use true or false (or unset it)."),
        };
    }

    /// <summary>Parses a phase name: <c>pre</c>, <c>post</c>, <c>bootstrap</c> or <c>all</c> (any case).</summary>
    /// <param name="value">The name.</param>
    /// <param name="source">Where it came from, for the message: <c>MIGRATION_PHASE</c>, <c>--phase</c>.</param>
    /// <exception cref="SeedingConfigurationException">Not a phase.</exception>
    public static IReadOnlyList<SeedPhase> ParsePhases(string value, string source)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToLowerInvariant() switch
        {
            "pre" => [SeedPhase.Pre],
            "post" => [SeedPhase.Post],
            "bootstrap" => [SeedPhase.Bootstrap],
            "all" => AllPhases,
            _ => throw new SeedingConfigurationException(source,
                $"{source} is '{value}', which is not a phase. Use pre, post, bootstrap or all{(source == Phase ? " (or unset it)" : string.Empty)}."),
        };
    }

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
