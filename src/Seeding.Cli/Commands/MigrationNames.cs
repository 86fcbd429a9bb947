using Seeding.Definitions;

namespace Seeding.Cli.Commands;

/// <summary>Migrations named on the command line as <c>status</c> names them: <c>0001_plans</c>, or <c>pre/0001_plans</c>.</summary>
internal static class MigrationNames
{
    /// <summary>The key of a migration in <c>seeding.lock.json</c> and in status output: <c>pre/0001_plans</c>.</summary>
    public static string Key(SeedDefinition migration) => $"{RunSettings.Name(migration.Phase)}/{migration.Id}";

    /// <summary>
    /// The service's migration named <paramref name="given"/>: its id alone, or <c>phase/id</c>; an id used in both phases
    /// must say which (usage error), and an unknown one lists the service's migrations (failure).
    /// </summary>
    public static SeedDefinition Resolve(ServiceSeeds service, string given)
    {
        var slash = given.IndexOf('/', StringComparison.Ordinal);
        var id = slash < 0 ? given : given[(slash + 1)..];
        var phase = slash < 0 ? null : given[..slash];
        var matches = service.Seeds.Where(s => s.IsMigration && s.Id == id && (phase is null || RunSettings.Name(s.Phase) == phase)).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new CommandException(ExitCodes.Failure,
                $"Service '{service.Service}' has no migration '{given}'. Its migrations: {string.Join(", ", service.Seeds.Where(s => s.IsMigration))}."),
            _ => throw new UsageException($"'{given}' exists in more than one phase; write it as pre/{id} or post/{id}."),
        };
    }
}
