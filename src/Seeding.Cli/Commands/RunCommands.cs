using System.CommandLine;

namespace Seeding.Cli.Commands;

/// <summary>The commands that run or check a service's migrations: <c>migrate</c>, <c>plan</c>, <c>status</c> and <c>verify</c>.</summary>
internal static class RunCommands
{
    public static Command BuildMigrate(CommandLineDefinition cli, string name, string commandName, bool dryRunCommand)
    {
        var command = new Command(
            commandName,
            dryRunCommand
                ? "Plan a run without writing anything (not even history): every document with its action and YAML file:line. Same as migrate --dry-run."
                : "Apply pending migrations once each (recorded with checksums) and ensure bootstrap seeds.");
        var selection = new ServiceSelectionOptions(command);
        var phase = new Option<string>("--phase", "-p")
        {
            Description = "Which seed files: pre (pre-deploy migrations), post (post-deploy), bootstrap, or all. Default: MIGRATION_PHASE, else all.",
            HelpName = "pre|post|bootstrap|all",
        };
        phase.AcceptOnlyFromAmong("pre", "post", "bootstrap", "all");
        command.Options.Add(phase);
        Option<bool>? dryRun = null;
        if (!dryRunCommand)
        {
            dryRun = new Option<bool>("--dry-run", "-n")
            {
                Description = "Plan only: write nothing, print the per-document plan. Default: DRY_RUN (true/false), else false.",
            };
            command.Options.Add(dryRun);
        }

        var environment = new Option<string>("--environment", "-e")
        {
            Description = "The environment name (dev, staging, ...). Default: DOTNET_ENVIRONMENT.",
            HelpName = "name",
        };
        command.Options.Add(environment);
        var lockTimeout = LockTimeoutOption.Create();
        command.Options.Add(lockTimeout);
        var allowPendingPre = new Option<bool>("--allow-pending-pre")
        {
            Description = "Run post-deploy migrations even while pre-deploy ones of the service are pending (refused otherwise, exit code 5).",
        };
        command.Options.Add(allowPendingPre);
        Option<bool>? waitForIndexes = null;
        if (!dryRunCommand)
        {
            waitForIndexes = new Option<bool>("--wait-for-indexes")
            {
                Description = "Wait until the Firestore indexes this run starts building are ready, and fail if a build fails. " +
                              "Default: report them as building and go on (queries that need an index fail until it is built).",
            };
            command.Options.Add(waitForIndexes);
        }

        var store = new StoreOptions(command, pubSub: true);
        var savedPlan = new Option<string>(dryRunCommand ? "--out" : "--plan")
        {
            Description = dryRunCommand
                ? "Also save the plan to this file (JSON), for migrate --plan: every planned write with what the read saw of its document."
                : "Apply exactly the writes of a plan saved with plan --out, refusing it (exit code 6) when a planned document changed since.",
            HelpName = "file",
        };
        command.Options.Add(savedPlan);
        var backfill = new BackfillOptions(command, dryRunCommand);

        command.SetAction((parse, cancellationToken) =>
        {
            var request = new MigrateInvocation
            {
                CommandName = commandName,
                Services = selection.Read(parse),
                Phase = parse.GetValue(phase),
                DryRunOption = dryRunCommand ? true : (parse.GetResult(dryRun!) is { Implicit: false } ? parse.GetValue(dryRun!) : null),
                ForcedDryRun = dryRunCommand,
                Environment = parse.GetValue(environment),
                Verbose = parse.GetValue(cli.ProjectOptions.Verbose),
                LockTimeout = LockTimeoutOption.Read(parse, lockTimeout),
                AllowPendingPre = parse.GetValue(allowPendingPre),
                WaitForIndexes = waitForIndexes is not null && parse.GetValue(waitForIndexes),
                Store = store.Read(parse),
                Json = cli.IsJson(parse),
                Assemblies = parse.GetValue(cli.Assembly) ?? [],
                PlanOut = dryRunCommand ? parse.GetValue(savedPlan) : null,
                PlanFile = dryRunCommand ? null : parse.GetValue(savedPlan),
            };
            return new MigrateCommand(cli.Context).RunAsync(backfill.Read(parse, request), cancellationToken);
        });

        cli.Examples[command] = dryRunCommand
            ?
            [
                $"{name} plan --all                          Plan every service in dependency order",
                $"{name} plan --service user --phase pre     Only the user service's pre-deploy migrations",
                $"{name} plan --all --output json            The plan as JSON (see the README for its shape)",
                $"{name} plan --all --out plan.json          Save the plan for review; the deploy applies it with migrate --plan",
            ]
            :
            [
                $"{name} migrate --all                                   Every service in dependency order, every phase",
                $"{name} migrate --service user --phase pre              Pre-deploy migrations of one service",
                $"{name} migrate --service user --phase post --dry-run   Plan the post-deploy step without writing",
                $"MIGRATION_PHASE=pre DRY_RUN=true {name} migrate          The seed runner's variables still work",
                $"{name} migrate --all --store firestore --firestore-project my-project",
                $"FIRESTORE_EMULATOR_HOST=localhost:8080 FIRESTORE_PROJECT_ID=demo {name} migrate --all",
                $"PUBSUB_EMULATOR_HOST=127.0.0.1:8085 {name} migrate --all   Topics and subscriptions on the Pub/Sub emulator",
                $"{name} migrate --all --firestore-project my-project --wait-for-indexes   Production: wait for new index builds",
                $"{name} migrate --plan plan.json --firestore-project my-project   Apply exactly the reviewed plan (exit code 6 when stale)",
                $"{name} migrate --service user --phase post --max-writes-per-second 200   A backfill at most 200 writes/s across all workers",
                $"{name} migrate --phase post --workers 4            Four backfill workers in this process (more processes join)",
            ];
        return command;
    }

    public static Command BuildStatus(CommandLineDefinition cli, string name, string commandName)
    {
        var verify = commandName == "verify";
        var command = new Command(
            commandName,
            verify
                ? "Check that every applied migration still has the checksum it was applied with. Exit code 3 when any drifted."
                : "Show each service's migrations: applied, pending or drifted (edited after it was applied).");
        var selection = new ServiceSelectionOptions(command);
        var store = new StoreOptions(command, pubSub: !verify); // status --drift compares topics and subscriptions
        var drift = StatusDrift.AddOption(command, verify);
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new StatusInvocation
            {
                Verify = verify,
                Drift = drift is not null && parse.GetValue(drift),
                Services = selection.Read(parse),
                Store = store.Read(parse),
                Json = cli.IsJson(parse),
                Assemblies = parse.GetValue(cli.Assembly) ?? [],
            };
            return new StatusCommand(cli.Context).RunAsync(request, cancellationToken);
        });

        cli.Examples[command] = verify
            ?
            [
                $"{name} verify                     Every service (in CI: fails with exit code 3 on drift)",
                $"{name} verify --service user      One service",
                $"{name} verify --output json       The result as JSON",
            ]
            :
            [
                $"{name} status                     Every service",
                $"{name} status --service tenant    One service",
                $"{name} status --database prod-copy.db",
            ];
        return command;
    }
}
