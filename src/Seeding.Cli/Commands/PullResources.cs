using System.CommandLine;
using System.Globalization;
using Seeding.Cli.Output;
using Seeding.Documents;
using Seeding.Firestore.Indexes;
using Seeding.Resources;

namespace Seeding.Cli.Commands;

/// <summary>
/// The resource half of <c>pull</c>: <c>--topics</c> and <c>--subscriptions</c> read Pub/Sub (the emulator or a project,
/// as <c>migrate</c> resolves it), <c>--indexes</c> reads the Firestore Admin API (production Firestore, or the
/// configured Admin endpoint), <c>--indexes-file</c> a <c>firestore.indexes.json</c> instead (the emulator has no
/// Admin API). One seed file of resource steps is written (<see cref="ResourceYamlWriter"/>) where <c>--into</c> says,
/// by the document pull's rules (<see cref="PullTargets"/>: a new file, never an overwrite; <see cref="PullFiles"/>:
/// atomically), with settings at their defaults left out; the read time only with <c>--read-time</c>, so the same
/// resources give the same bytes. What a declaration cannot name
/// (a topic of another project, a deleted topic, an http push endpoint, vector indexes...) is left out with a note.
/// </summary>
internal static class PullResources
{
    private const string Topics = "--topics";
    private const string Subscriptions = "--subscriptions";
    private const string Indexes = "--indexes";
    private const string IndexesFile = "--indexes-file";
    private const string PubSubEmulatorHost = "--pubsub-emulator-host";
    private const string PubSubProject = "--pubsub-project";

    /// <summary>
    /// Adds <c>--topics</c>, <c>--subscriptions</c>, <c>--indexes</c>, <c>--indexes-file</c> to <paramref name="pull"/>,
    /// and the Pub/Sub target options unless its store options brought them (<c>new StoreOptions(pull, pubSub: true)</c>).
    /// </summary>
    public static void AddOptions(Command pull)
    {
        ArgumentNullException.ThrowIfNull(pull);
        pull.Options.Add(new Option<bool>(Topics) { Description = "Write a topic step for every Pub/Sub topic of the project (the Pub/Sub target migrate uses)." });
        pull.Options.Add(new Option<bool>(Subscriptions) { Description = "Write a subscription step for every Pub/Sub subscription of the project." });
        pull.Options.Add(new Option<bool>(Indexes)
        {
            Description = "Write an index step for every composite index and a field_override step for every field override, from the Firestore Admin API " +
                          "(production Firestore; the emulator has none: use --indexes-file).",
        });
        pull.Options.Add(new Option<string>(IndexesFile)
        {
            Description = $"Read the indexes from an index file in the Firebase CLI's format ({FirestoreIndexFile.DefaultFileName}, as 'firebase firestore:indexes' " +
                          "exports it or 'seeding indexes --file' writes it) instead of the Admin API. Implies --indexes.",
            HelpName = "path",
        });
        if (!pull.Options.Any(o => o.Name == PubSubEmulatorHost))
        {
            pull.Options.Add(new Option<string>(PubSubEmulatorHost) { Description = "The Pub/Sub emulator, host:port. Default: PUBSUB_EMULATOR_HOST.", HelpName = "host:port" });
            pull.Options.Add(new Option<string>(PubSubProject)
            {
                Description = "The Pub/Sub project id. Default: PUBSUB_PROJECT_ID, else the Firestore project, else demo-seeding on the emulator.",
                HelpName = "id",
            });
        }
    }

    /// <summary>True when the command line asks for resources (any of the options above).</summary>
    public static bool Requested(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Value<bool>(result, Topics) || Value<bool>(result, Subscriptions) || Value<bool>(result, Indexes) || Value<string>(result, IndexesFile) is not null;
    }

    /// <summary>Reads the asked-for resources, writes the seed file, reports it; the exit code.</summary>
    public static async Task<int> RunAsync(ParseResult result, CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        var json = string.Equals(Value<string>(result, "--output"), "json", StringComparison.OrdinalIgnoreCase);
        try
        {
            return await RunCoreAsync(result, context, json, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, "pull", json, e.ExitCode, e.Kind, e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
    }

    private static async Task<int> RunCoreAsync(ParseResult result, CommandContext context, bool json, CancellationToken cancellationToken)
    {
        var request = new ResourceRequest(
            Value<bool>(result, Topics), Value<bool>(result, Subscriptions), Value<bool>(result, Indexes) || Value<string>(result, IndexesFile) is not null, Value<string>(result, IndexesFile));
        if (request.File is { } given && string.IsNullOrWhiteSpace(given))
        {
            throw new UsageException($"--indexes-file is blank. Give the path of an index file such as {FirestoreIndexFile.DefaultFileName}.");
        }

        var name = request.PubSub && request.Indexes ? "pulled_resources" : request.PubSub ? "pulled_pubsub" : "pulled_indexes";
        var targets = PullTargets.Resolve(context, Value<string>(result, "--into"), Value<string>(result, "--service-dir"), name);
        var path = targets.PathOf(0);
        if (request.Indexes && targets.Phase != "pre")
        {
            throw new UsageException(
                $"Index and field_override steps go only in pre-deploy migrations (SEED044), and --into {context.DisplayPath(path)} is not one. " +
                "Give a file or folder under migrations/pre (or leave --into out for a new pre-deploy migration), or pull the indexes separately.");
        }

        var store = new StoreArguments(
            Value<string>(result, "--store"), Value<string>(result, "--database"), Value<string>(result, "--firestore-project"),
            Value<string>(result, "--firestore-database"), Value<string>(result, "--emulator-host"))
        {
            PubSubEmulatorHost = Value<string>(result, PubSubEmulatorHost),
            PubSubProject = Value<string>(result, PubSubProject),
        };
        var pulled = await PulledResourceReader.ReadAsync(context, request, store, cancellationToken).ConfigureAwait(false);
        foreach (var note in pulled.Notes)
        {
            await context.Error.WriteLineAsync($"note: not pulled: {Printable.Escape(note)}").ConfigureAwait(false);
        }

        var sources = string.Join(" and ", pulled.Sources);
        if (pulled.Count == 0)
        {
            throw new CommandException(ExitCodes.NothingPulled, $"Nothing to pull: {sources} {(pulled.Notes.Count > 0 ? "has nothing a seed file can declare (see the notes above)" : "has none of the resources asked for")}; no file was written.");
        }

        var header = new List<string> { "Pulled by 'seeding pull' from:" };
        header.AddRange(pulled.Sources.Select(s => "  " + s));
        header.Add("Settings at their defaults are left out; what is written is declared and compared when the file runs.");
        header.Add("Pulling the same resources again writes the same file.");
        if (Value<bool>(result, "--read-time"))
        {
            var time = context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            header.Add($"Read at {time} (--read-time; comments do not change the checksum).");
        }

        var yaml = ResourceYamlWriter.SeedFile(header, $"Pulled from {sources}", pulled.Topics, pulled.Subscriptions, pulled.Indexes, pulled.FieldOverrides);
        try
        {
            await using var files = new PullFiles(targets, maxPerFile: 1);
            await files.WriteFileAsync(yaml, cancellationToken).ConfigureAwait(false);
            files.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandException(ExitCodes.Failure, $"Could not write {context.DisplayPath(path)}: {e.Message} Nothing was written.", e);
        }

        var shown = context.DisplayPath(path);
        var counts = new (int Count, string One, string Many)[]
        {
            (pulled.Topics.Count, "topic", "topics"), (pulled.Subscriptions.Count, "subscription", "subscriptions"),
            (pulled.Indexes.Count, "index", "indexes"), (pulled.FieldOverrides.Count, "field override", "field overrides"),
        };
        if (json)
        {
            await context.Output.WriteAsync(PullResourcesJson.Written(shown, pulled)).ConfigureAwait(false);
        }
        else
        {
            var what = string.Join(", ", counts.Where(c => c.Count > 0).Select(c => Format.Plural(c.Count, c.One, c.Many)));
            await context.Output.WriteLineAsync($"Wrote {Printable.Escape(shown)}: {what} from {Printable.Escape(sources)}.").ConfigureAwait(false);
            await context.Output.WriteLineAsync("Build the service to compile it; 'plan' then shows each resource as existing.").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    // An option of the command (or a recursive one of its ancestors) by name; the default when the command has none.
    private static T? Value<T>(ParseResult result, string name)
    {
        for (var command = result.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var option in command.Command.Options)
            {
                if (option is Option<T> typed && (option.Name == name || option.Aliases.Contains(name)))
                {
                    return result.GetValue(typed);
                }
            }
        }

        return default;
    }
}

/// <summary>What <c>pull</c> was asked for, of resources.</summary>
internal sealed record ResourceRequest(bool Topics, bool Subscriptions, bool Indexes, string? File)
{
    public bool PubSub => Topics || Subscriptions;
}
