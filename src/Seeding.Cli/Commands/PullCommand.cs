using System.CommandLine;

namespace Seeding.Cli.Commands;

/// <summary>
/// <c>pull</c>: writes what a live project holds as a seed file. This registration carries only the resource half
/// (<see cref="PullResources"/>); the document half replaces it with its own command, which calls
/// <see cref="PullResources.AddOptions"/> and, when <see cref="PullResources.Requested"/>, <see cref="PullResources.RunAsync"/>.
/// </summary>
internal static class PullCommand
{
    public static Command BuildPull(CommandLineDefinition cli, string name)
    {
        var command = new Command(
            "pull",
            "Write what a live project holds as a seed file the build compiles: Pub/Sub topics and subscriptions (--topics, --subscriptions), " +
            "Firestore indexes and field overrides (--indexes, or --indexes-file firestore.indexes.json).");
        var into = new Option<string>("--into")
        {
            Description = "Where to write: a .yaml file (replaced whole), or a folder for a new migration with the next free number " +
                          "(migrations/pre, migrations/post, or a service folder: its migrations/pre). Default: a new pre-deploy migration of the service in the current folder.",
            HelpName = "path",
        };
        command.Options.Add(into);
        _ = new StoreOptions(command, pubSub: true);
        PullResources.AddOptions(command);
        command.SetAction((parse, cancellationToken) => PullResources.Requested(parse)
            ? PullResources.RunAsync(parse, cli.Context, cancellationToken)
            : Task.FromResult(Usage(cli.Context)));
        cli.Examples[command] =
        [
            $"{name} pull --topics --subscriptions               Every topic and subscription of the Pub/Sub target, as a new pre-deploy migration",
            $"{name} pull --indexes-file firestore.indexes.json  The indexes of an index file (the emulator has no index API)",
            $"{name} pull --indexes --firestore-project my-proj  The indexes of a production database (Admin API)",
        ];
        return command;
    }

    private static int Usage(CommandContext context)
    {
        context.Error.WriteLine("error: say what to pull: --topics, --subscriptions, --indexes or --indexes-file PATH.");
        context.Error.WriteLine($"Run '{context.Options.CommandName} pull --help' for usage and examples.");
        return ExitCodes.Usage;
    }
}
