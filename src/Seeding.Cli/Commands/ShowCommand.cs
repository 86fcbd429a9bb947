using System.Globalization;
using Seeding.Cli.Output;
using Seeding.Cli.Stores;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Cli.Commands;

/// <summary>
/// <c>show</c>: reads documents through the store contract (any store) and prints them as YAML in the seed format
/// (<see cref="SeedYamlWriter"/>: paste them into a seed file), or as JSON. <c>show history</c> and <c>show lease</c>
/// are shortcuts for the migration history and the services' lease documents, as tables. Writes nothing.
/// </summary>
internal sealed partial class ShowCommand(CommandContext context)
{
    /// <summary>How many documents of a collection are shown when <c>--limit</c> is not given.</summary>
    public const int DefaultLimit = 100;

    public async Task<int> RunAsync(ShowInvocation invocation, CancellationToken cancellationToken)
    {
        string? storeName = null;
        try
        {
            var target = invocation.Target.Trim();
            var filters = invocation.Where.Select(ParseFilter).ToArray();
            if (invocation.Limit is < 1)
            {
                throw new UsageException($"--limit must be 1 or more, not {invocation.Limit}.");
            }

            var shortcut = target is "history" or "lease" ? target : null;
            DocumentPath? path = null;
            string? collection = null;
            if (shortcut is null)
            {
                // A collection that is itself called history or lease: "history/".
                path = ParseTarget(target.TrimEnd('/'), out collection);
            }

            if (path is not null && (filters.Length > 0 || invocation.Limit is not null))
            {
                throw new UsageException($"--where and --limit select documents of a collection; '{target}' names one document.");
            }

            if (invocation.Service is not null && shortcut is null)
            {
                throw new UsageException("--service narrows 'show history' and 'show lease'; documents are named by their path.");
            }

            await using var store = await MigrateCommand.Open(invocation.Store.Resolve(context), cancellationToken).ConfigureAwait(false);
            storeName = store.DisplayName;
            return shortcut switch
            {
                "history" => await HistoryAsync(store, invocation, filters, cancellationToken).ConfigureAwait(false),
                "lease" => await LeaseAsync(store, invocation, filters, cancellationToken).ConfigureAwait(false),
                _ when path is not null => await DocumentAsync(store, path, invocation.Json, cancellationToken).ConfigureAwait(false),
                _ => await CollectionAsync(store, collection!, filters, invocation.Limit ?? DefaultLimit, invocation.Json, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, "show", invocation.Json, e.ExitCode, e.Kind, e.Message, storeName).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (e is not OperationCanceledException && storeName is not null)
        {
            await Errors.ReportAsync(context, "show", invocation.Json, ExitCodes.Failure, "failure", $"Could not read from {storeName}: {e.Message}", storeName).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private async Task<int> DocumentAsync(OpenStore store, DocumentPath path, bool json, CancellationToken cancellationToken)
    {
        var snapshot = (await store.Store.GetAllAsync([path], cancellationToken).ConfigureAwait(false))[0];
        if (!snapshot.Exists)
        {
            throw new CommandException(ExitCodes.Failure, $"No document at {Printable.Escape(path.ToString())} on {store.DisplayName}.");
        }

        if (json)
        {
            await context.Output.WriteAsync(DataJson.Show(path.ToString(), store.DisplayName, [snapshot], more: false)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        await context.Output.WriteLineAsync($"# {SeedYamlWriter.Scalar(path.ToString())} on {store.DisplayName}: {Times(snapshot)}").ConfigureAwait(false);
        await context.Output.WriteAsync(SeedYamlWriter.Mapping(snapshot.Fields)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private async Task<int> CollectionAsync(OpenStore store, string collection, IReadOnlyList<FieldFilter> filters, int limit, bool json, CancellationToken cancellationToken)
    {
        // One more than asked for: whether more exist is said without a second read.
        var documents = await store.Store.QueryAsync(new DocumentQuery(collection, filters, limit + 1), cancellationToken).ConfigureAwait(false);
        var more = documents.Count > limit;
        var shown = documents.Take(limit).ToArray();
        if (json)
        {
            await context.Output.WriteAsync(DataJson.Show(collection, store.DisplayName, shown, more)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var output = context.Output;
        var where = filters.Count == 0 ? string.Empty : " where " + string.Join(" and ", filters.Select(Describe));
        await output.WriteLineAsync(
            $"# {SeedYamlWriter.Scalar(collection)} on {store.DisplayName}{where}: " +
            (shown.Length == 0 ? "no documents" : more ? $"the first {Format.Plural(shown.Length, "document", "documents")} (pass --limit for more)" : Format.Plural(shown.Length, "document", "documents")))
            .ConfigureAwait(false);
        if (shown.Length == 0)
        {
            await output.WriteLineAsync("[]").ConfigureAwait(false);
        }

        foreach (var document in shown)
        {
            await output.WriteLineAsync($"# {SeedYamlWriter.Scalar(document.Path.ToString())}: {Times(document)}").ConfigureAwait(false);
            await output.WriteAsync(SeedYamlWriter.SequenceItem(document.Fields)).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    // "roles/admin" names a document, "roles" or "tenants/t1/users" a collection.
    private static DocumentPath? ParseTarget(string target, out string? collection)
    {
        collection = null;
        try
        {
            if (target.Split('/').Length % 2 == 0)
            {
                return DocumentPath.Parse(target);
            }

            DocumentPath.ValidateCollectionPath(target);
            collection = target;
            return null;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"'{target}' is neither a collection nor a document path ({e.Message}). Write 'collection' or 'collection/id', or 'history' or 'lease'.");
        }
    }

    /// <summary>
    /// <c>field=value</c>: the value reads as in a seed file: <c>null</c>, <c>true</c>/<c>false</c>, an integer, a
    /// double, <c>!ref path</c>, <c>!timestamp time</c>, a quoted string (<c>"42"</c>), else the text as a string.
    /// </summary>
    internal static FieldFilter ParseFilter(string where)
    {
        var equals = where.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new UsageException($"--where '{where}' is not field=value (e.g. --where status=active, --where level=10, --where 'code=\"10\"').");
        }

        var field = where[..equals].Trim();
        var text = where[(equals + 1)..];
        if (text == "null")
        {
            return FieldFilter.IsNullValue(field);
        }

        return FieldFilter.EqualTo(field, ParseValue(text, where));
    }

    private static Value ParseValue(string text, string where)
    {
        if (text.Length >= 2 && (text[0], text[^1]) is ('"', '"') or ('\'', '\''))
        {
            return Value.String(text[1..^1]);
        }

        try
        {
            return text switch
            {
                "true" => Value.Boolean(true),
                "false" => Value.Boolean(false),
                _ when text.StartsWith("!ref ", StringComparison.Ordinal) => Value.Reference(DocumentPath.Parse(text[5..].Trim())),
                _ when text.StartsWith("!timestamp ", StringComparison.Ordinal) => Value.Timestamp(Timestamp.Parse(text[11..].Trim())),
                _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => Value.Integer(integer),
                _ when text.Any(char.IsAsciiDigit) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => Value.Double(number),
                _ => Value.String(text),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UsageException($"--where '{where}': {e.Message}");
        }
    }

    private static string Describe(FieldFilter filter) =>
        filter.Operator == FilterOperator.IsNull ? $"{filter.Field} is null" : $"{filter.Field} = {SeedYamlWriter.Inline(filter.Value!)}";

    private static string Times(DocumentSnapshot snapshot) => $"created {snapshot.CreateTime}, updated {snapshot.UpdateTime}";

    private static string Utc(Timestamp? time) =>
        time is { IsServerTime: false } at ? at.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";
}
