using Seeding.Definitions;

namespace Seeding.Cli.Commands;

/// <summary>Phase and dry-run resolution: an option wins, then the seed runner's variables, then the default.</summary>
internal static class RunSettings
{
    public static IReadOnlyList<SeedPhase> Phases(string? option, CommandContext context)
    {
        var fromEnvironment = option is null;
        var value = option ?? context.Env("MIGRATION_PHASE") ?? "all";
        return value.ToLowerInvariant() switch
        {
            "pre" => [SeedPhase.Pre],
            "post" => [SeedPhase.Post],
            "bootstrap" => [SeedPhase.Bootstrap],
            "all" => [SeedPhase.Pre, SeedPhase.Bootstrap, SeedPhase.Post],
            _ => throw new UsageException(fromEnvironment
                ? $"MIGRATION_PHASE is '{value}', which is not a phase. Use pre, post, bootstrap or all (or unset it)."
                : $"Unknown phase '{value}'. Use pre, post, bootstrap or all."),
        };
    }

    public static bool DryRun(bool? option, CommandContext context)
    {
        if (option is { } given)
        {
            return given;
        }

        var value = context.Env("DRY_RUN");
        return value?.ToLowerInvariant() switch
        {
            null => false,
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new UsageException($"DRY_RUN is '{value}'; use true or false (or unset it)."),
        };
    }

    public static string? Environment(string? option, CommandContext context) =>
        option ?? context.Env("DOTNET_ENVIRONMENT") ?? context.Env("ASPNETCORE_ENVIRONMENT");

    public static string Name(SeedPhase phase) => phase.ToString().ToLowerInvariant();
}
