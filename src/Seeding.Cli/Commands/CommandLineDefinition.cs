using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Seeding.Cli.Stores;

namespace Seeding.Cli.Commands;

/// <summary>The commands, their options and their help examples.</summary>
internal sealed partial class CommandLineDefinition
{
    private readonly CommandContext _context;
    private readonly Dictionary<Command, string[]> _examples = [];

    public CommandLineDefinition(CommandContext context)
    {
        _context = context;
        var name = context.Options.CommandName;
        // A plain Command as root, so usage lines show the host's command name rather than the executable's.
        Root = new Command(name.Any(char.IsWhiteSpace) ? "seeding" : name, "Seeding: apply a service's seed files (YAML and C# migrations, bootstrap seeds) to a document store.");
        Root.Options.Add(new HelpOption());
        Root.Options.Add(new VersionOption());
        Root.Options.Add(Assembly);
        Root.Options.Add(OutputFormat);
        ProjectOptions.AddTo(Root);
        Root.Subcommands.Add(BuildMigrate(name, "migrate", dryRunCommand: false));
        Root.Subcommands.Add(BuildMigrate(name, "plan", dryRunCommand: true));
        Root.Subcommands.Add(BuildStatus(name, "status"));
        Root.Subcommands.Add(BuildStatus(name, "verify"));
        Root.Subcommands.Add(BuildInit(name));
        Root.Subcommands.Add(BuildNew(name));
        Root.Subcommands.Add(BuildRevert(name));
        Root.Subcommands.Add(BuildLock(name));
        Root.Subcommands.Add(BuildIndexes(name));
        Root.Subcommands.Add(BuildShow(name));
        Root.Subcommands.Add(BuildAccept(name));
        Root.SetAction(parse =>
        {
            // No command: show the overview, and say it was a usage error.
            Root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = context.Output, Error = context.Error });
            return ExitCodes.Usage;
        });

        _examples[Root] =
        [
            $"{name} migrate --all                      Seed every service in dependency order (SQLite file .seeding/seeding.db)",
            $"{name} plan --service user                Show what would be written, document by document, with YAML file:line",
            $"{name} status                             In a service's folder: build it, then its applied, pending and drifted migrations",
            $"{name} verify                             Exit code 3 when an applied migration was edited",
            $"{name} init                               Set Seeding up in this project: seeding.yaml, migrations/, bootstrap/",
            $"{name} new add_admin_role --phase pre     Create migrations/pre/NNNN_add_admin_role.yaml",
            $"{name} indexes --file firestore.indexes.json   Every declared Firestore index, for firebase deploy",
            $"{name} status --project src/Orders --no-build   Another folder's project, as last built",
            $"{name} --assembly bin/Debug/net10.0/MyService.dll migrate --all   Load built assemblies instead (repeatable)",
        ];

        var help = Root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExamples((HelpAction)help.Action!, _examples);
    }

    public Command Root { get; }

    public Option<string[]> Assembly { get; } = new("--assembly", "-a")
    {
        Description = "A service assembly (.dll) whose Seeding registry to load. Repeat for several services.",
        HelpName = "path.dll",
        Recursive = true,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> OutputFormat { get; } = CreateOutputOption();

    /// <summary><c>--project</c>, <c>--no-build</c>, <c>--configuration</c>, <c>--framework</c>, <c>--verbose</c>.</summary>
    public ProjectOptions ProjectOptions { get; } = new();

    private static Option<string> CreateOutputOption()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "text (tables, for people) or json (one stable document on standard output, for machines).",
            HelpName = "text|json",
            Recursive = true,
            DefaultValueFactory = _ => "text",
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    private Command BuildMigrate(string name, string commandName, bool dryRunCommand)
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
        var lockTimeout = new Option<double?>("--lock-timeout")
        {
            Description = "Seconds to wait for another runner's migration lock before giving up with exit code 4. Default: 120.",
            HelpName = "seconds",
        };
        lockTimeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is < 0)
            {
                result.AddError("--lock-timeout must be zero or more seconds.");
            }
        });
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
                Verbose = parse.GetValue(ProjectOptions.Verbose),
                LockTimeout = parse.GetValue(lockTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                AllowPendingPre = parse.GetValue(allowPendingPre),
                WaitForIndexes = waitForIndexes is not null && parse.GetValue(waitForIndexes),
                Store = store.Read(parse),
                Json = IsJson(parse),
                Assemblies = parse.GetValue(Assembly) ?? [],
            };
            return new MigrateCommand(_context).RunAsync(request, cancellationToken);
        });

        _examples[command] = dryRunCommand
            ?
            [
                $"{name} plan --all                          Plan every service in dependency order",
                $"{name} plan --service user --phase pre     Only the user service's pre-deploy migrations",
                $"{name} plan --all --output json            The plan as JSON (see the README for its shape)",
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
            ];
        return command;
    }

    private Command BuildStatus(string name, string commandName)
    {
        var verify = commandName == "verify";
        var command = new Command(
            commandName,
            verify
                ? "Check that every applied migration still has the checksum it was applied with. Exit code 3 when any drifted."
                : "Show each service's migrations: applied, pending or drifted (edited after it was applied).");
        var selection = new ServiceSelectionOptions(command);
        var store = new StoreOptions(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new StatusInvocation
            {
                Verify = verify,
                Services = selection.Read(parse),
                Store = store.Read(parse),
                Json = IsJson(parse),
                Assemblies = parse.GetValue(Assembly) ?? [],
            };
            return new StatusCommand(_context).RunAsync(request, cancellationToken);
        });

        _examples[command] = verify
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

    private Command BuildNew(string name)
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
                Json = IsJson(parse),
            };
            return new NewCommand(_context).RunAsync(request, cancellationToken);
        });

        _examples[command] =
        [
            $"{name} new add_admin_role                             migrations/pre/0003_add_admin_role.yaml here",
            $"{name} new backfill-timestamps --phase post           migrations/post/NNNN_backfill_timestamps.yaml",
            $"{name} new default_plans --service-dir seeds/license  In another service's folder",
        ];
        return command;
    }

    private bool IsJson(ParseResult parse) => string.Equals(parse.GetValue(OutputFormat), "json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The default help, then the command's examples.</summary>
    private sealed class HelpWithExamples(HelpAction inner, IReadOnlyDictionary<Command, string[]> examples) : SynchronousCommandLineAction
    {
        /// <summary>Help shows even when the rest of the command line is incomplete (<c>new --help</c>).</summary>
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var result = inner.Invoke(parseResult);
            if (examples.TryGetValue(parseResult.CommandResult.Command, out var lines))
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (var line in lines)
                {
                    output.WriteLine("  " + line);
                }

                output.WriteLine();
                output.WriteLine("Exit codes: 0 ok, 1 failure, 2 usage error, 3 drift, 4 lock timeout, 5 pre-deploy migrations pending, 130 cancelled.");
            }

            return result;
        }
    }
}

/// <summary><c>--service</c> and <c>--all</c> on one command.</summary>
internal sealed class ServiceSelectionOptions
{
    private readonly Option<string[]> _service = new("--service", "-s")
    {
        Description = "A service to run, by its name in seeding.yaml. Repeatable.",
        HelpName = "name",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<bool> _all = new("--all") { Description = "Every service, in dependency order (depends_on)." };

    public ServiceSelectionOptions(Command command)
    {
        command.Options.Add(_service);
        command.Options.Add(_all);
    }

    public ServiceSelection Read(ParseResult parse) => new(parse.GetValue(_service) ?? [], parse.GetValue(_all));
}

/// <summary>What <c>--service</c> and <c>--all</c> said.</summary>
internal sealed record ServiceSelection(IReadOnlyList<string> Names, bool All);

/// <summary>The store options on one command.</summary>
internal sealed class StoreOptions
{
    private readonly Option<string> _store = CreateStore();
    private readonly Option<string> _database = new("--database") { Description = $"The SQLite file. Default: {StoreSettings.DefaultDatabase} under the current folder (created).", HelpName = "file" };
    private readonly Option<string> _project = new("--firestore-project") { Description = "The Firestore project id. Default: FIRESTORE_PROJECT_ID.", HelpName = "id" };
    private readonly Option<string> _firestoreDatabase = new("--firestore-database") { Description = "The Firestore database id. Default: FIRESTORE_DATABASE, else (default).", HelpName = "id" };
    private readonly Option<string> _emulatorHost = new("--emulator-host") { Description = "The Firestore emulator, host:port. Default: FIRESTORE_EMULATOR_HOST.", HelpName = "host:port" };

    private readonly Option<string> _pubSubEmulatorHost = new("--pubsub-emulator-host")
    {
        Description = "The Pub/Sub emulator for topic and subscription steps, host:port. Default: PUBSUB_EMULATOR_HOST. " +
                      "Without it, and without a project, those steps have no target (reported, not applied) unless the store is production Firestore.",
        HelpName = "host:port",
    };

    private readonly Option<string> _pubSubProject = new("--pubsub-project")
    {
        Description = "The Pub/Sub project id. Default: PUBSUB_PROJECT_ID, else the Firestore project, else demo-seeding on the emulator.",
        HelpName = "id",
    };

    private readonly bool _pubSub;

    public StoreOptions(Command command, bool pubSub = false)
    {
        command.Options.Add(_store);
        command.Options.Add(_database);
        command.Options.Add(_project);
        command.Options.Add(_firestoreDatabase);
        command.Options.Add(_emulatorHost);
        _pubSub = pubSub;
        if (pubSub)
        {
            command.Options.Add(_pubSubEmulatorHost);
            command.Options.Add(_pubSubProject);
        }
    }

    public StoreArguments Read(ParseResult parse) => new(
        parse.GetValue(_store), parse.GetValue(_database), parse.GetValue(_project), parse.GetValue(_firestoreDatabase), parse.GetValue(_emulatorHost))
    {
        PubSubEmulatorHost = _pubSub ? parse.GetValue(_pubSubEmulatorHost) : null,
        PubSubProject = _pubSub ? parse.GetValue(_pubSubProject) : null,
    };

    private static Option<string> CreateStore()
    {
        var option = new Option<string>("--store")
        {
            Description = "sqlite (an embedded file, the default), memory (nothing kept; for trying), or firestore. " +
                          "Setting FIRESTORE_EMULATOR_HOST or FIRESTORE_PROJECT_ID picks firestore.",
            HelpName = "sqlite|memory|firestore",
        };
        option.AcceptOnlyFromAmong("sqlite", "memory", "firestore");
        return option;
    }
}

/// <summary>What the store options said, before the environment fills the gaps.</summary>
internal sealed record StoreArguments(string? Store, string? Database, string? Project, string? FirestoreDatabase, string? EmulatorHost)
{
    /// <summary><c>--pubsub-emulator-host</c> (migrate and plan only).</summary>
    public string? PubSubEmulatorHost { get; init; }

    /// <summary><c>--pubsub-project</c> (migrate and plan only).</summary>
    public string? PubSubProject { get; init; }

    public StoreSettings Resolve(CommandContext context) =>
        StoreSettings.Resolve(Store, Database, Project, FirestoreDatabase, EmulatorHost, context, PubSubEmulatorHost, PubSubProject);
}
