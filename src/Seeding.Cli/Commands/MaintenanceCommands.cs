using System.CommandLine;

namespace Seeding.Cli.Commands;

/// <summary>The commands that look after a service's seed files and applied migrations: <c>init</c>, <c>new</c>, <c>revert</c> and <c>lock</c>.</summary>
internal static class MaintenanceCommands
{
    public static Command BuildInit(CommandLineDefinition cli, string name)
    {
        var command = new Command(
            "init",
            "Set Seeding up in an existing project folder: seeding.yaml (the service's name, depends_on: []), migrations/pre/ " +
            "with a first migration to edit, migrations/post/ and bootstrap/. Then prints what the project still needs (the " +
            "package and the AddSeeding() line). Never overwrites: when seeding.yaml, migrations/ or bootstrap/ exists it " +
            "writes nothing, names what exists and exits 1.");
        var service = new Option<string>("--service", "-s")
        {
            Description = "The service's name in seeding.yaml. Default: the project's name (or the folder's), lowercase.",
            HelpName = "name",
        };
        command.Options.Add(service);
        var serviceDir = new Option<string>("--service-dir", "-d")
        {
            Description = "The project's folder (where its .csproj is). Default: --project's folder, else the current folder.",
            HelpName = "dir",
        };
        command.Options.Add(serviceDir);
        var migration = new Option<string>("--migration", "-m")
        {
            Description = "The first migration's name, in snake_case: migrations/pre/0001_<name>.yaml. Default: initial_data.",
            HelpName = "name",
            DefaultValueFactory = _ => "initial_data",
        };
        command.Options.Add(migration);
        command.SetAction((parse, cancellationToken) => new InitCommand(cli.Context).RunAsync(
            new InitInvocation
            {
                Service = parse.GetValue(service),
                ServiceDirectory = parse.GetValue(serviceDir),
                MigrationName = parse.GetValue(migration) ?? "initial_data",
                Json = cli.IsJson(parse),
            },
            cancellationToken));
        cli.Examples[command] =
        [
            $"{name} init                                  In the folder of MyService.csproj: service 'myservice'",
            $"{name} init --service orders -d src/Orders   Another project's folder, with the service's name",
            $"{name} init --migration default_roles        migrations/pre/0001_default_roles.yaml as the first migration",
        ];
        return command;
    }

    public static Command BuildNew(CommandLineDefinition cli, string name)
    {
        var command = new Command("new", "Create the next-numbered migration file (NNNN_snake_case.yaml) from a commented template.");
        var migrationName = new Argument<string>("name") { Description = "What the migration does, in snake_case (dashes become underscores), e.g. add_admin_role." };
        command.Arguments.Add(migrationName);
        var phase = new Option<string>("--phase", "-p")
        {
            Description = "pre (before deploy, the default) or post (after deploy).",
            HelpName = "pre|post",
            DefaultValueFactory = _ => "pre",
        };
        phase.AcceptOnlyFromAmong("pre", "post");
        command.Options.Add(phase);
        var serviceDir = new Option<string>("--service-dir", "-d")
        {
            Description = "The service project's folder (where seeding.yaml or the .csproj is). Default: --project's folder, else the current folder.",
            HelpName = "dir",
        };
        command.Options.Add(serviceDir);
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new NewInvocation
            {
                Name = parse.GetValue(migrationName)!,
                Phase = parse.GetValue(phase) ?? "pre",
                ServiceDirectory = parse.GetValue(serviceDir),
                Json = cli.IsJson(parse),
            };
            return new NewCommand(cli.Context).RunAsync(request, cancellationToken);
        });

        cli.Examples[command] =
        [
            $"{name} new add_admin_role                             migrations/pre/0003_add_admin_role.yaml here",
            $"{name} new backfill-timestamps --phase post           migrations/post/NNNN_backfill_timestamps.yaml",
            $"{name} new default_plans --service-dir seeds/license  In another service's folder",
        ];
        return command;
    }

    public static Command BuildRevert(CommandLineDefinition cli, string name)
    {
        var command = new Command(
            "revert",
            "Undo an applied migration safely: delete only the documents it created that nobody changed since, keep the rest " +
            "(with the reason), and record the revert in history so the migration is pending again.");
        var target = new MigrationTargetOptions(command, "Show what would be deleted and kept; change nothing.");
        command.SetAction((parse, cancellationToken) => new RevertCommand(cli.Context).RunAsync(target.Read(cli, parse), cancellationToken));
        cli.Examples[command] =
        [
            $"{name} revert 0003_add_plans --service license --dry-run   What would go, what would stay, and why",
            $"{name} revert pre/0003_add_plans --service license         Delete what it created and nobody changed",
        ];
        return command;
    }

    public static Command BuildLock(CommandLineDefinition cli, string name)
    {
        var command = new Command(
            "lock",
            "Write seeding.lock.json beside a service's seed files: the checksum of every migration applied in the store (pending " +
            "ones are left out: they may still change). Commit it: from then on, editing a locked migration is a compile error " +
            "that says to add a new migration instead.");
        var service = new Option<string>("--service", "-s") { Description = "The service to lock (needed when several are loaded).", HelpName = "name" };
        command.Options.Add(service);
        var serviceDir = new Option<string>("--service-dir", "-d")
        {
            Description = "The service project's folder (where seeding.yaml or the .csproj is). Default: --project's folder, else the current folder.",
            HelpName = "dir",
        };
        command.Options.Add(serviceDir);
        var store = new StoreOptions(command);
        command.SetAction((parse, cancellationToken) => new LockCommand(cli.Context).RunAsync(
            new LockInvocation
            {
                Service = parse.GetValue(service),
                ServiceDirectory = parse.GetValue(serviceDir),
                Store = store.Read(parse),
                Json = cli.IsJson(parse),
                Assemblies = parse.GetValue(cli.Assembly) ?? [],
            },
            cancellationToken));
        cli.Examples[command] =
        [
            $"{name} lock --service license --service-dir seeds/license   Lock the license service's migrations applied in .seeding/seeding.db",
        ];
        return command;
    }
}

/// <summary>What <c>lock</c> was asked to do, as parsed.</summary>
internal sealed record LockInvocation
{
    public string? Service { get; init; }

    public required StoreArguments Store { get; init; }

    public string? ServiceDirectory { get; init; }

    public bool Json { get; init; }

    public IReadOnlyList<string> Assemblies { get; init; } = [];
}
