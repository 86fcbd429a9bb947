using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Cli.Commands;

/// <summary>
/// Reads the documents of a pull page by page and writes each page as it comes (<see cref="PullFiles"/>), so memory holds
/// one page whatever the collection's size. <c>defaults:</c> are decided from the first page: the fields every one of its
/// documents has with equal values (when it has two or more). A later document that lacks one of them cannot be written
/// under those defaults; the pull then starts again without <c>defaults:</c> (one more read of the collection, the price
/// of not reading it twice every time). A reference is written <c>!ref</c> when its target is one of the pulled documents,
/// else <c>!ref:external</c>.
/// </summary>
internal sealed class PullDocuments(IDocumentStore store, string storeName, PullRequest request, PullTargets targets)
{
    /// <summary>Documents per file unless <c>--max-documents-per-file</c> says otherwise.</summary>
    public const int DefaultMaxPerFile = 10_000;

    /// <summary>Documents read per store call.</summary>
    public const int PageSize = 500;

    private readonly HashSet<DocumentPath> _declared = [];
    private readonly HashSet<DocumentPath> _notDeclared = [];

    public async Task<IReadOnlyList<(string Path, int Documents)>> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunOnceAsync(useDefaults: true, cancellationToken).ConfigureAwait(false);
        }
        catch (DefaultsNoLongerHoldException)
        {
            _declared.Clear();
            _notDeclared.Clear();
            return await RunOnceAsync(useDefaults: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<(string Path, int Documents)>> RunOnceAsync(bool useDefaults, CancellationToken cancellationToken)
    {
        await using var files = new PullFiles(targets, request.MaxPerFile);
        IReadOnlyDictionary<string, Value>? defaults = null;
        var written = 0;
        await foreach (var page in PagesAsync(cancellationToken).ConfigureAwait(false))
        {
            await ResolveReferencesAsync(page, cancellationToken).ConfigureAwait(false);
            if (defaults is null)
            {
                defaults = useDefaults && page.Count >= 2 ? Shared(page) : new Dictionary<string, Value>(StringComparer.Ordinal);
                files.Preamble = Preamble(defaults, page[0].ReadTime);
            }

            foreach (var document in page)
            {
                await files.WriteAsync(SeedYamlWriter.DocumentEntry(document.Path.Id, WithoutDefaults(document.Fields, defaults), 2, IsDeclared), cancellationToken).ConfigureAwait(false);
                written++;
            }
        }

        if (written == 0)
        {
            throw await NothingFoundAsync(cancellationToken).ConfigureAwait(false);
        }

        return files.Commit();
    }

    // Pages of the documents asked for, in id order: --ids by one batched read, else the query page by page (--limit cuts it).
    private async IAsyncEnumerable<List<DocumentSnapshot>> PagesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = new List<DocumentSnapshot>(PageSize);
        var taken = 0;
        if (request.Ids is not null)
        {
            var paths = request.Ids.Select(id => DocumentPath.Create(request.Collection, id)).Order().ToArray();
            foreach (var chunk in paths.Chunk(Math.Max(1, store.MaxBatchSize)))
            {
                foreach (var snapshot in await store.GetAllAsync(chunk, cancellationToken).ConfigureAwait(false))
                {
                    if (!snapshot.Exists)
                    {
                        throw new CommandException(ExitCodes.NothingPulled, $"No document {Output.Printable.Escape(snapshot.Path.ToString())} on {storeName} (--ids). Nothing was written.");
                    }

                    if (request.Filters.All(f => f.Matches(snapshot.Fields)) && (request.Limit is null || taken < request.Limit))
                    {
                        page.Add(snapshot);
                        taken++;
                    }
                }
            }

            if (page.Count > 0)
            {
                yield return page;
            }

            yield break;
        }

        var pageSize = Math.Min(PageSize, request.Limit ?? PageSize);
        await foreach (var snapshot in store.QueryAllAsync(new DocumentQuery(request.Collection, request.Filters), pageSize, cancellationToken).ConfigureAwait(false))
        {
            page.Add(snapshot);
            taken++;
            if (page.Count == pageSize || taken == request.Limit)
            {
                yield return page;
                page = new List<DocumentSnapshot>(pageSize);
            }

            if (taken == request.Limit)
            {
                yield break;
            }
        }

        if (page.Count > 0)
        {
            yield return page;
        }
    }

    // Targets of references in the page's collection: declared when the pull writes them. With --ids or --limit the pull's
    // documents are few and known (this page and those before); otherwise a target is pulled when it exists and matches.
    private async Task ResolveReferencesAsync(List<DocumentSnapshot> page, CancellationToken cancellationToken)
    {
        if (request.Ids is not null || request.Limit is not null)
        {
            _declared.UnionWith(page.Select(d => d.Path));
            return;
        }

        _declared.UnionWith(page.Select(d => d.Path));
        var unknown = page.SelectMany(d => d.Fields.Values).SelectMany(References)
            .Where(p => p.Collection == request.Collection && !_declared.Contains(p) && !_notDeclared.Contains(p))
            .Distinct().ToArray();
        foreach (var chunk in unknown.Chunk(Math.Max(1, store.MaxBatchSize)))
        {
            foreach (var snapshot in await store.GetAllAsync(chunk, cancellationToken).ConfigureAwait(false))
            {
                var pulled = snapshot.Exists && request.Filters.All(f => f.Matches(snapshot.Fields));
                (pulled ? _declared : _notDeclared).Add(snapshot.Path);
            }
        }
    }

    private bool IsDeclared(DocumentPath path) => _declared.Contains(path);

    private static IEnumerable<DocumentPath> References(Value value) => value.Kind switch
    {
        ValueKind.Reference => [value.AsReference()],
        ValueKind.Array => value.AsArray().SelectMany(References),
        ValueKind.Map => value.AsMap().Values.SelectMany(References),
        _ => [],
    };

    // Fields every document of the page has with equal values (exactly: 1 and 1.0 differ, NaN equals NaN).
    private static Dictionary<string, Value> Shared(List<DocumentSnapshot> page)
    {
        var shared = new Dictionary<string, Value>(page[0].Fields, StringComparer.Ordinal);
        foreach (var document in page.Skip(1))
        {
            foreach (var (key, value) in shared.ToArray())
            {
                if (!document.Fields.TryGetValue(key, out var other) || !value.Equals(other))
                {
                    shared.Remove(key);
                }
            }
        }

        return shared;
    }

    private static Dictionary<string, Value> WithoutDefaults(IReadOnlyDictionary<string, Value> fields, IReadOnlyDictionary<string, Value> defaults)
    {
        var own = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var key in defaults.Keys)
        {
            if (!fields.ContainsKey(key))
            {
                throw new DefaultsNoLongerHoldException();
            }
        }

        foreach (var (key, value) in fields)
        {
            if (!defaults.TryGetValue(key, out var shared) || !shared.Equals(value))
            {
                own.Add(key, value);
            }
        }

        return own;
    }

    private string Preamble(IReadOnlyDictionary<string, Value> defaults, Timestamp? readTime)
    {
        var header = new System.Text.StringBuilder();
        header.Append("# Pulled by 'seeding pull' from ").Append(OneLine(storeName)).Append(": ").Append(OneLine(request.Describe())).Append(".\n");
        header.Append("# Each value keeps its exact Firestore type (exact_types: true); a reference to a document this pull did not read is !ref:external.\n");
        header.Append("# Pulling the same data again writes the same file.\n");
        if (request.ReadTime)
        {
            var at = readTime is { IsServerTime: false } time ? time : Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
            header.Append("# Read at ").Append(at.ToString()).Append(" (--read-time; comments do not change the checksum).\n");
        }

        header.Append("description: ").Append(SeedYamlWriter.Scalar("Pulled " + request.Collection)).Append('\n');
        header.Append("exact_types: true\n");
        header.Append(request.Verb).Append(": ").Append(SeedYamlWriter.Scalar(request.Collection)).Append('\n');
        if (defaults.Count > 0)
        {
            header.Append("defaults:\n").Append(SeedYamlWriter.BlockMapping(defaults, 2, IsDeclared));
        }

        return header.Append("documents:\n").ToString();
    }

    private static string OneLine(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private async Task<CommandException> NothingFoundAsync(CancellationToken cancellationToken)
    {
        if (request.Filters.Count > 0 || request.Ids is not null)
        {
            var any = await store.QueryAsync(new DocumentQuery(request.Collection, [], 1), cancellationToken).ConfigureAwait(false);
            if (any.Count > 0)
            {
                return new CommandException(ExitCodes.NothingPulled,
                    $"No document of {SeedYamlWriter.Scalar(request.Collection)} on {storeName} matches {OneLine(request.Describe())}. Check the field names and values " +
                    "(a document without the field never matches; 10, 10.5 and \"10\" differ). Nothing was written.");
            }
        }

        return new CommandException(ExitCodes.NothingPulled,
            $"{SeedYamlWriter.Scalar(request.Collection)} has no documents on {storeName}: it is empty or does not exist (Firestore has no empty collections). Check the path. Nothing was written.");
    }

    /// <summary>A document after the first page lacks a field the first page's documents all share.</summary>
    private sealed class DefaultsNoLongerHoldException : Exception;
}
