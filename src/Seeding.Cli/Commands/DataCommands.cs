using System.CommandLine;

namespace Seeding.Cli.Commands;

/// <summary>The commands that look at stored data and accept an intended edit: <c>show</c> and <c>accept</c>.</summary>
internal static class DataCommands
{
    public static Command BuildShow(CommandLineDefinition cli, string name)
    {
        var command = new Command(
            "show",
            "Print stored documents as YAML in the seed format (paste them into a seed file), or as JSON with --output json: " +
            "one document (collection/id), or a collection's documents (collection [--where field=value]... [--limit N]). " +
            "'show history' lists the applied migrations (checksums, times, who) and accepted edits; 'show lease' the services' " +
            "migration leases (holder, expiry by the store's clock). Writes nothing.");
        var target = new Argument<string>("target") { Description = "collection/id, collection (e.g. tenants/t1/users), history or lease (a collection with one of these names: history/)." };
        command.Arguments.Add(target);
        var where = new Option<string[]>("--where", "-w")
        {
            Description = "Only documents whose top-level field equals the value: field=value, read as in a seed file " +
                          "(10 is an integer, \"10\" a string; true, null, !ref roles/a, !timestamp 2024-05-01T00:00:00Z). Repeatable: all must hold.",
            HelpName = "field=value",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        command.Options.Add(where);
        var limit = new Option<int?>("--limit", "-l") { Description = $"At most this many documents of a collection. Default: {ShowCommand.DefaultLimit}.", HelpName = "N" };
        command.Options.Add(limit);
        var service = new Option<string>("--service", "-s") { Description = "history and lease: only this service's entries.", HelpName = "name" };
        command.Options.Add(service);
        var store = new StoreOptions(command);
        command.SetAction((parse, cancellationToken) => new ShowCommand(cli.Context).RunAsync(
            new ShowInvocation
            {
                Target = parse.GetValue(target)!,
                Where = parse.GetValue(where) ?? [],
                Limit = parse.GetValue(limit),
                Service = parse.GetValue(service),
                Store = store.Read(parse),
                Json = cli.IsJson(parse),
            },
            cancellationToken));
        cli.Examples[command] =
        [
            $"{name} show roles/platform-admin                   One document, as seed-format YAML",
            $"{name} show tenants/t1/users --where status=active --limit 10",
            $"{name} show roles --output json                    A collection's documents as JSON",
            $"{name} show history --service user                 Applied migrations, checksums, who and when; accepted edits",
            $"{name} show lease                                  Who holds each service's migration lease, until when",
        ];
        return command;
    }

    public static Command BuildAccept(CommandLineDefinition cli, string name)
    {
        var command = new Command(
            "accept",
            "Accept an intended edit of an applied migration (Flyway's repair): record the checksum its file gives now, with an " +
            "audit entry in history (old and new checksum, who, when, --reason), and update its entry in seeding.lock.json. " +
            "The edit is not run. Refused for a migration that is pending or has not drifted.");
        var target = new MigrationTargetOptions(command, "Show what would be recorded; write nothing.");
        var reason = new Option<string>("--reason", "-r") { Description = "Why the edit is intended (required; recorded in history).", HelpName = "text" };
        command.Options.Add(reason);
        var serviceDir = new Option<string>("--service-dir", "-d")
        {
            Description = "The service project's folder, whose seeding.lock.json is updated when it has one. Default: the current folder.",
            HelpName = "dir",
        };
        command.Options.Add(serviceDir);
        command.SetAction((parse, cancellationToken) => new AcceptCommand(cli.Context).RunAsync(
            new AcceptInvocation
            {
                Target = target.Read(cli, parse),
                Reason = parse.GetValue(reason),
                ServiceDirectory = parse.GetValue(serviceDir),
            },
            cancellationToken));
        cli.Examples[command] =
        [
            $"{name} accept pre/0001_plans --reason \"typo in a description\" --dry-run   What would be recorded",
            $"{name} accept 0001_plans --service license --reason \"JIRA-123: price fixed in place\" -d seeds/license",
        ];
        return command;
    }
}

/// <summary>What <c>show</c> was asked to do, as parsed.</summary>
internal sealed record ShowInvocation
{
    public required string Target { get; init; }

    public IReadOnlyList<string> Where { get; init; } = [];

    public int? Limit { get; init; }

    public string? Service { get; init; }

    public required StoreArguments Store { get; init; }

    public bool Json { get; init; }
}

/// <summary>What <c>accept</c> was asked to do, as parsed.</summary>
internal sealed record AcceptInvocation
{
    public required MigrationTarget Target { get; init; }

    public string? Reason { get; init; }

    public string? ServiceDirectory { get; init; }
}
