using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Seeding.Cli.Stores;

namespace Seeding.Cli.Commands;

/// <summary>The commands, their options and their help examples.</summary>
internal sealed class CommandLineDefinition
{
    public CommandLineDefinition(CommandContext context)
    {
        Context = context;
        var name = context.Options.CommandName;
        // A plain Command as root, so usage lines show the host's command name rather than the executable's.
        Root = new Command(name.Any(char.IsWhiteSpace) ? "seeding" : name, "Seeding: apply a service's seed files (YAML and C# migrations, bootstrap seeds) to a document store.");
        Root.Options.Add(new HelpOption());
        Root.Options.Add(new VersionOption());
        Root.Options.Add(Assembly);
        Root.Options.Add(OutputFormat);
        ProjectOptions.AddTo(Root);
        Root.Subcommands.Add(RunCommands.BuildMigrate(this, name, "migrate", dryRunCommand: false));
        Root.Subcommands.Add(RunCommands.BuildMigrate(this, name, "plan", dryRunCommand: true));
        Root.Subcommands.Add(RunCommands.BuildStatus(this, name, "status"));
        Root.Subcommands.Add(RunCommands.BuildStatus(this, name, "verify"));
        Root.Subcommands.Add(DiffCommand.Build(this, name));
        Root.Subcommands.Add(MaintenanceCommands.BuildInit(this, name));
        Root.Subcommands.Add(MaintenanceCommands.BuildNew(this, name));
        Root.Subcommands.Add(MaintenanceCommands.BuildRevert(this, name));
        Root.Subcommands.Add(MaintenanceCommands.BuildLock(this, name));
        Root.Subcommands.Add(IndexesCommand.BuildIndexes(this, name));
        Root.Subcommands.Add(DataCommands.BuildShow(this, name));
        Root.Subcommands.Add(DataCommands.BuildAccept(this, name));
        Root.Subcommands.Add(PullCommand.Build(this, name));
        Root.SetAction(parse =>
        {
            // No command: show the overview, and say it was a usage error.
            Root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = context.Output, Error = context.Error });
            return ExitCodes.Usage;
        });

        Examples[Root] =
        [
            $"{name} migrate --all                      Seed every service in dependency order (SQLite file .seeding/seeding.db)",
            $"{name} plan --service user                Show what would be written, document by document, with YAML file:line",
            $"{name} status                             In a service's folder: build it, then its applied, pending and drifted migrations",
            $"{name} verify                             Exit code 3 when an applied migration was edited",
            $"{name} init                               Set Seeding up in this project: seeding.yaml, migrations/, bootstrap/",
            $"{name} new add_admin_role --phase pre     Create migrations/pre/NNNN_add_admin_role.yaml",
            $"{name} indexes --file firestore.indexes.json   Every declared Firestore index, for firebase deploy",
            $"{name} pull roles                         Write the live roles as a new migration that declares them exactly",
            $"{name} status --project src/Orders --no-build   Another folder's project, as last built",
            $"{name} --assembly bin/Debug/net10.0/MyService.dll migrate --all   Load built assemblies instead (repeatable)",
        ];

        var help = Root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExamples((HelpAction)help.Action!, Examples);
    }

    public Command Root { get; }

    /// <summary>What the commands run against (the host's options, standard output and error).</summary>
    public CommandContext Context { get; }

    /// <summary>Each command's help examples, shown after its help by <see cref="HelpWithExamples"/>.</summary>
    public Dictionary<Command, string[]> Examples { get; } = [];

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

    /// <summary>Whether <c>--output json</c> was given.</summary>
    public bool IsJson(ParseResult parse) => string.Equals(parse.GetValue(OutputFormat), "json", StringComparison.OrdinalIgnoreCase);

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
    /// <summary><c>--pubsub-emulator-host</c> (migrate, plan, diff and status).</summary>
    public string? PubSubEmulatorHost { get; init; }

    /// <summary><c>--pubsub-project</c> (migrate, plan, diff and status).</summary>
    public string? PubSubProject { get; init; }

    public StoreSettings Resolve(CommandContext context) =>
        StoreSettings.Resolve(Store, Database, Project, FirestoreDatabase, EmulatorHost, context, PubSubEmulatorHost, PubSubProject);
}
