using System.CommandLine;
using Seeding.Cli.Output;
using Seeding.Cli.Stores;
using Seeding.Documents;
using Seeding.Firestore;
using Seeding.Store;

namespace Seeding.Cli.Commands;

/// <summary>
/// <c>pull</c>: reads live documents (any store) and writes them as a seed file the generator compiles, every value in the
/// YAML that declares its exact type (<see cref="PullDocuments"/>). Documents are read page by page and written as they come
/// into temporary files that are renamed into place only when the whole pull succeeded: nothing partial is ever left.
/// With <c>--topics</c>, <c>--subscriptions</c> or <c>--indexes</c> it pulls resources instead (<see cref="PullResources"/>).
/// </summary>
internal sealed class PullCommand(CommandContext context)
{
    public static Command Build(CommandLineDefinition cli, string name)
    {
        var command = new Command(
            "pull",
            "Write live documents as a seed file that declares them exactly (Terraform's import): a new pre-deploy migration of the " +
            "service in the current folder by default. Every Firestore type is kept (integers and doubles, timestamps, bytes, geo " +
            "points, references, maps, lists, null); build, then 'plan' reports every pulled document as skip. With --topics, --subscriptions " +
            "or --indexes (--indexes-file firestore.indexes.json) it writes Pub/Sub topics and subscriptions, Firestore indexes and field overrides instead.");
        var collection = new Argument<string?>("collection") { Description = "The collection path (e.g. roles, tenants/t1/users).", Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(collection);
        var group = new Option<string>("--collection-group", "-g")
        {
            Description = "Instead of one collection, every collection with this id at any depth (users, tenants/t1/users, ...): one step per collection path.",
            HelpName = "id",
        };
        command.Options.Add(group);
        var recursive = new Option<bool>("--recursive", "-r")
        {
            Description = "Also every subcollection of each pulled document, at any depth, whole (--where, --ids and --limit choose only the top documents): one step per collection path.",
        };
        command.Options.Add(recursive);
        var where = new Option<string[]>("--where", "-w")
        {
            Description = "Only documents whose top-level field equals the value: field=value, the value read as by 'show --where' " +
                          "(10 an integer, 1.5 a double, true/false, null, \"10\" or '10' a string, !ref roles/a, !timestamp 2024-05-01T00:00:00Z, else the text). Repeatable: all must hold.",
            HelpName = "field=value",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        command.Options.Add(where);
        var limit = new Option<int?>("--limit", "-l") { Description = "At most this many documents (the first by id).", HelpName = "N" };
        command.Options.Add(limit);
        var ids = new Option<string>("--ids") { Description = "Only these documents: ids separated by commas.", HelpName = "a,b,c" };
        command.Options.Add(ids);
        var into = new Option<string>("--into")
        {
            Description = "Where to write: a folder (migrations/pre, migrations/post: a new migration with the next free number; bootstrap: a bootstrap file) " +
                          "or a file (migrations/post/0007_roles.yaml, bootstrap/roles.yaml). Default: a new migration in migrations/pre of the service folder.",
            HelpName = "path",
        };
        command.Options.Add(into);
        var verb = new Option<string>("--verb") { Description = "create (each document created when absent; the default) or upsert (its fields merged).", HelpName = "create|upsert", DefaultValueFactory = _ => "create" };
        verb.AcceptOnlyFromAmong("create", "upsert");
        command.Options.Add(verb);
        var maxPerFile = new Option<int?>("--max-documents-per-file") { Description = $"Start a new file (the next migration number) after this many documents. Default: {PullDocuments.DefaultMaxPerFile}.", HelpName = "N" };
        command.Options.Add(maxPerFile);
        var readTime = new Option<bool>("--read-time") { Description = "Write when the data was read into the header comment (the file then differs on every pull; comments never change a checksum)." };
        command.Options.Add(readTime);
        var serviceDir = new Option<string>("--service-dir", "-d") { Description = "The service project's folder. Default: --project's folder, else the current folder.", HelpName = "dir" };
        command.Options.Add(serviceDir);
        var store = new StoreOptions(command);
        PullResources.AddOptions(command);
        command.SetAction((parse, cancellationToken) => PullResources.Requested(parse)
            ? ResourcesAsync(parse, cli, cancellationToken, collection, where, limit, ids, verb, maxPerFile)
            : new PullCommand(cli.Context).RunAsync(
            new PullInvocation
            {
                Collection = parse.GetValue(collection),
                CollectionGroup = parse.GetValue(group),
                Recursive = parse.GetValue(recursive),
                Where = parse.GetValue(where) ?? [],
                Limit = parse.GetValue(limit),
                Ids = parse.GetValue(ids),
                Into = parse.GetValue(into),
                Verb = parse.GetValue(verb) ?? "create",
                MaxDocumentsPerFile = parse.GetValue(maxPerFile),
                ReadTime = parse.GetValue(readTime),
                ServiceDirectory = parse.GetValue(serviceDir),
                Store = store.Read(parse),
                Json = cli.IsJson(parse),
            },
            cancellationToken));
        cli.Examples[command] =
        [
            $"{name} pull roles                                  A new migrations/pre/NNNN_pull_roles.yaml with every role",
            $"{name} pull tenants/t1/users --where status=active --limit 100",
            $"{name} pull config --ids app,mail --into bootstrap --verb upsert",
            $"{name} pull plans --into migrations/post --max-documents-per-file 5000",
            $"{name} pull --topics --subscriptions               Every topic and subscription of the Pub/Sub target, as a new pre-deploy migration",
            $"{name} pull --indexes-file firestore.indexes.json  The indexes of an index file (the emulator has no index API)",
            $"{name} pull --indexes --firestore-project my-proj  The indexes of a production database (Admin API)",
            $"{name} pull --collection-group users --where active=true  Every users collection, one step per path",
            $"{name} pull tenants --recursive                     Tenants and every subcollection below them",
        ];
        return command;
    }

    // The resource half (--topics, --subscriptions, --indexes); a collection or a document option with it is a usage error,
    // since one pull writes documents or resources, never both in one file.
    private static async Task<int> ResourcesAsync(
        ParseResult parse, CommandLineDefinition cli, CancellationToken cancellationToken, Argument<string?> collection, params Option[] documentOptions)
    {
        var given = parse.GetValue(collection) is { } named
            ? $"the collection '{named}'"
            : documentOptions.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).FirstOrDefault();
        if (given is not null)
        {
            await Errors.ReportAsync(
                cli.Context, "pull", cli.IsJson(parse), ExitCodes.Usage, "usage",
                $"pull writes documents or resources (--topics, --subscriptions, --indexes) in one run, not both: {given} is for documents. " +
                "Run 'pull' once for the documents and once for the resources.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await PullResources.RunAsync(parse, cli.Context, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> RunAsync(PullInvocation invocation, CancellationToken cancellationToken)
    {
        string? storeName = null;
        try
        {
            var request = PullRequest.From(invocation);
            var targets = PullTargets.Resolve(context, invocation.Into, invocation.ServiceDirectory, PullTargets.CollectionWords(request.Collection));
            await using var store = await MigrateCommand.Open(invocation.Store.Resolve(context), cancellationToken).ConfigureAwait(false);
            storeName = store.DisplayName;
            var hierarchy = Hosting.SeedingStoreCapabilities.Of(store.Store).Hierarchy;
            var written = await new PullDocuments(store.Store, hierarchy, store.DisplayName, request, targets).RunAsync(cancellationToken).ConfigureAwait(false);
            var files = written.Select(f => (context.DisplayPath(f.Path), f.Documents)).ToArray();
            if (invocation.Json)
            {
                await context.Output.WriteAsync(PullJson.Pulled(store.DisplayName, request.Collection, files)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            foreach (var (path, documents) in files)
            {
                await context.Output.WriteLineAsync($"Pulled {Format.Plural(documents, "document", "documents")} of {(request.Group ? "collection group " : string.Empty)}{Printable.Escape(request.Collection)} into {path}").ConfigureAwait(false);
            }

            await context.Output.WriteLineAsync("Build the service, then 'plan' reports each pulled document as skip.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, "pull", invocation.Json, e.ExitCode, e.Kind, e.Message, storeName).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (e is not OperationCanceledException && storeName is not null)
        {
            var message = e is FirestoreStoreException { StatusCode: Grpc.Core.StatusCode.PermissionDenied }
                ? $"{storeName} refused to read (PERMISSION_DENIED): the credentials in use may not read this collection. Grant them read access (e.g. roles/datastore.viewer) or use other credentials. Nothing was written."
                : $"Could not read from {storeName}: {e.Message} Nothing was written.";
            await Errors.ReportAsync(context, "pull", invocation.Json, ExitCodes.Failure, "failure", message, storeName).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}

/// <summary>What <c>pull</c> was asked to do, as parsed.</summary>
internal sealed record PullInvocation
{
    public string? Collection { get; init; }

    public string? CollectionGroup { get; init; }

    public bool Recursive { get; init; }

    public IReadOnlyList<string> Where { get; init; } = [];

    public int? Limit { get; init; }

    public string? Ids { get; init; }

    public string? Into { get; init; }

    public string Verb { get; init; } = "create";

    public int? MaxDocumentsPerFile { get; init; }

    public bool ReadTime { get; init; }

    public string? ServiceDirectory { get; init; }

    public required StoreArguments Store { get; init; }

    public bool Json { get; init; }
}

/// <summary>
/// A checked pull: the collection (with <paramref name="Group"/>, the id of a collection group), its filters, whether
/// subcollections follow (<paramref name="Recursive"/>), and how the files are cut.
/// </summary>
internal sealed record PullRequest(string Collection, IReadOnlyList<FieldFilter> Filters, int? Limit, IReadOnlyList<string>? Ids, string Verb, int MaxPerFile, bool ReadTime, bool Group = false, bool Recursive = false)
{
    public static PullRequest From(PullInvocation invocation)
    {
        if (invocation.CollectionGroup is not null && invocation.Collection is not null)
        {
            throw new UsageException($"Name a collection ('{invocation.Collection}') or a collection group (--collection-group {invocation.CollectionGroup}), not both.");
        }

        var group = invocation.CollectionGroup is not null;
        var collection = (invocation.CollectionGroup ?? invocation.Collection)?.Trim().Trim('/')
            ?? throw new UsageException("Name the collection to pull, e.g. 'pull roles' or 'pull tenants/t1/users', or a collection group: 'pull --collection-group users'.");
        try
        {
            if (group)
            {
                CollectionGroups.ValidateId(collection);
            }
            else
            {
                DocumentPath.ValidateCollectionPath(collection);
            }
        }
        catch (ArgumentException e)
        {
            throw new UsageException(group
                ? $"--collection-group '{collection}' is not a collection id ({e.Message}). Write one id, e.g. --collection-group users."
                : $"'{collection}' is not a collection path ({e.Message}). Write e.g. roles or tenants/t1/users.");
        }

        if (group && invocation.Ids is not null)
        {
            throw new UsageException("--ids names documents of one collection; with --collection-group choose documents with --where.");
        }

        if (invocation.Limit is < 1)
        {
            throw new UsageException($"--limit must be 1 or more, not {invocation.Limit}.");
        }

        if (invocation.MaxDocumentsPerFile is < 1)
        {
            throw new UsageException($"--max-documents-per-file must be 1 or more, not {invocation.MaxDocumentsPerFile}.");
        }

        string[]? ids = null;
        if (invocation.Ids is not null)
        {
            ids = invocation.Ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            var bad = ids.Select(id => (id, problem: DocumentRules.ValidateId(id))).FirstOrDefault(p => p.problem is not null);
            if (ids.Length == 0 || bad.problem is not null)
            {
                throw new UsageException(ids.Length == 0 ? "--ids needs at least one id: --ids a,b,c." : $"--ids: '{bad.id}' is not a document id ({bad.problem}).");
            }
        }

        var filters = invocation.Where.Select(ShowCommand.ParseFilter).ToArray();
        return new PullRequest(collection, filters, invocation.Limit, ids, invocation.Verb, invocation.MaxDocumentsPerFile ?? PullDocuments.DefaultMaxPerFile, invocation.ReadTime, group, invocation.Recursive);
    }

    /// <summary>What was read, for the header: <c>collection 'roles' where status = active, limit 10</c>.</summary>
    public string Describe()
    {
        var text = (Group ? "collection group " : "collection ") + SeedYamlWriter.Scalar(Collection);
        if (Filters.Count > 0)
        {
            text += " where " + string.Join(" and ", Filters.Select(f => f.Operator == FilterOperator.IsNull ? $"{f.Field} is null" : $"{f.Field} = {SeedYamlWriter.Inline(f.Value!)}"));
        }

        if (Ids is not null)
        {
            text += ", ids " + string.Join(", ", Ids.Select(SeedYamlWriter.Scalar));
        }

        text = Limit is null ? text : text + $", limit {Limit}";
        return Recursive ? text + ", with every subcollection" : text;
    }
}
