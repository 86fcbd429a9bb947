using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Cli.Commands;

/// <summary>
/// Reads the documents of a pull as one stream per collection (<see cref="DocumentStorePaging.QueryAllAsync"/>: one
/// RunQuery on Firestore) and writes them a page at a time as they come (<see cref="PullFiles"/>), so memory holds one
/// page and a bounded set of known paths (<see cref="KnownPathsKept"/>) whatever the collection's size. <c>defaults:</c> are decided from the first page of each collection: the fields
/// every one of its documents has with equal values (when it has two or more). A later document that lacks one of them
/// cannot be written under those defaults; the pull then starts again without <c>defaults:</c> (one more read, the price
/// of not reading every collection twice). A reference is written <c>!ref</c> when its target is one of the pulled
/// documents of the same collection, else <c>!ref:external</c>. With <c>--collection-group</c> or <c>--recursive</c> the
/// file has <c>steps:</c>, one per collection path (the group's collections, then each pulled document's subcollections,
/// depth first, listed through <see cref="IHierarchyStore"/>).
/// </summary>
internal sealed class PullDocuments(IDocumentStore store, IHierarchyStore? hierarchy, string storeName, PullRequest request, PullTargets targets)
{
    /// <summary>Documents per file unless <c>--max-documents-per-file</c> says otherwise.</summary>
    public const int DefaultMaxPerFile = 10_000;

    /// <summary>Documents per page: whose references are resolved together (one batched read for the unknown targets) and written (a store without streaming also reads one page per call).</summary>
    public const int PageSize = 500;

    /// <summary>
    /// Paths known to be pulled (true) or not (false) that are kept, at most (two generations of half each: beyond, the
    /// older generation is forgotten),
    /// so memory stays flat however many documents a pull writes. A reference to a pulled document that was forgotten is
    /// read again (BatchGetDocuments) when its collection is the one being pulled, and written <c>!ref:external</c> when it
    /// is in a collection pulled earlier (<c>--recursive</c>, <c>--collection-group</c>): still the same reference.
    /// </summary>
    internal const int KnownPathsKept = 200_000;

    private readonly KnownPaths _known = new(KnownPathsKept);
    private readonly HashSet<string> _pulled = new(StringComparer.Ordinal);
    private int _taken;
    private int _written;

    /// <summary>One collection path of the pull; <c>Chosen</c>: its documents are the ones --where, --ids and --limit choose (else all).</summary>
    private sealed record Source(string Collection, bool Chosen);

    private bool Steps => request.Group || request.Recursive;

    public async Task<IReadOnlyList<(string Path, int Documents)>> RunAsync(CancellationToken cancellationToken)
    {
        if (Steps && hierarchy is null)
        {
            throw new UsageException($"{storeName} cannot list subcollections or collection groups; --recursive and --collection-group need Firestore, SQLite or the in-memory store.");
        }

        try
        {
            return await RunOnceAsync(useDefaults: true, cancellationToken).ConfigureAwait(false);
        }
        catch (DefaultsNoLongerHoldException)
        {
            return await RunOnceAsync(useDefaults: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<(string Path, int Documents)>> RunOnceAsync(bool useDefaults, CancellationToken cancellationToken)
    {
        _known.Clear();
        _pulled.Clear();
        _taken = 0;
        _written = 0;
        await using var files = new PullFiles(targets, request.MaxPerFile);
        var top = request.Group
            ? await hierarchy!.ListCollectionGroupAsync(request.Collection, request.Filters, cancellationToken).ConfigureAwait(false)
            : [request.Collection];
        foreach (var collection in top)
        {
            await PullAsync(files, new Source(collection, Chosen: true), useDefaults, cancellationToken).ConfigureAwait(false);
        }

        if (_written == 0)
        {
            throw await NothingFoundAsync(cancellationToken).ConfigureAwait(false);
        }

        return files.Commit();
    }

    // One collection as one step, then (--recursive) the subcollections of its documents, each as its own step.
    private async Task PullAsync(PullFiles files, Source source, bool useDefaults, CancellationToken cancellationToken)
    {
        if (!_pulled.Add(source.Collection))
        {
            return; // A collection of the group that is also a subcollection of one pulled before it (--recursive).
        }

        IReadOnlyDictionary<string, Value>? defaults = null;
        var below = new List<string>();
        await foreach (var page in PagesAsync(source, cancellationToken).ConfigureAwait(false))
        {
            await ResolveReferencesAsync(page, source, cancellationToken).ConfigureAwait(false);
            if (defaults is null)
            {
                defaults = useDefaults && page.Count >= 2 ? Shared(page) : new Dictionary<string, Value>(StringComparer.Ordinal);
                if (_written == 0)
                {
                    files.Preamble = Preamble(page[0].ReadTime) + (Steps ? "steps:\n" : StepKeys(source.Collection, defaults, 0));
                }

                if (Steps)
                {
                    await files.BeginStepAsync(StepKeys(source.Collection, defaults, 4), cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var document in page)
            {
                await files.WriteAsync(SeedYamlWriter.DocumentEntry(document.Path.Id, WithoutDefaults(document.Fields, defaults), Steps ? 6 : 2, IsDeclared), cancellationToken).ConfigureAwait(false);
                _written++;
                if (request.Recursive)
                {
                    below.AddRange((await hierarchy!.ListCollectionIdsAsync(document.Path, cancellationToken).ConfigureAwait(false)).Select(id => document.Path + "/" + id));
                }
            }
        }

        foreach (var collection in below)
        {
            await PullAsync(files, new Source(collection, Chosen: false), useDefaults, cancellationToken).ConfigureAwait(false);
        }
    }

    // Pages of the documents asked for, in id order: --ids by one batched read, else the query page by page (--limit cuts it).
    private async IAsyncEnumerable<List<DocumentSnapshot>> PagesAsync(Source source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = new List<DocumentSnapshot>(PageSize);
        var limit = source.Chosen ? request.Limit : null;
        if (source.Chosen && request.Ids is not null)
        {
            var paths = request.Ids.Select(id => DocumentPath.Create(source.Collection, id)).Order().ToArray();
            foreach (var chunk in paths.Chunk(Math.Max(1, store.MaxBatchSize)))
            {
                foreach (var snapshot in await store.GetAllAsync(chunk, cancellationToken).ConfigureAwait(false))
                {
                    if (!snapshot.Exists)
                    {
                        throw new CommandException(ExitCodes.NothingPulled, $"No document {Output.Printable.Escape(snapshot.Path.ToString())} on {storeName} (--ids). Nothing was written.");
                    }

                    if (request.Filters.All(f => f.Matches(snapshot.Fields)) && (limit is null || _taken < limit))
                    {
                        page.Add(snapshot);
                        _taken++;
                    }
                }
            }

            if (page.Count > 0)
            {
                yield return page;
            }

            yield break;
        }

        if (_taken == limit)
        {
            yield break;
        }

        var pageSize = Math.Min(PageSize, limit - _taken ?? PageSize);
        var query = new DocumentQuery(source.Collection, source.Chosen ? request.Filters : []);
        await foreach (var snapshot in store.QueryAllAsync(query, pageSize, cancellationToken).ConfigureAwait(false))
        {
            page.Add(snapshot);
            if (source.Chosen)
            {
                _taken++;
            }

            if (page.Count == pageSize || _taken == limit)
            {
                yield return page;
                page = new List<DocumentSnapshot>(pageSize);
            }

            if (_taken == limit)
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
    private async Task ResolveReferencesAsync(List<DocumentSnapshot> page, Source source, CancellationToken cancellationToken)
    {
        _known.AddPulled(page);
        if (source.Chosen && (request.Ids is not null || request.Limit is not null))
        {
            return;
        }

        var filters = source.Chosen ? request.Filters : [];
        var unknown = new HashSet<DocumentPath>();
        foreach (var document in page)
        {
            foreach (var value in document.Fields.Values)
            {
                AddReferences(value, source.Collection, unknown);
            }
        }

        foreach (var chunk in unknown.Chunk(Math.Max(1, store.MaxBatchSize)))
        {
            foreach (var snapshot in await store.GetAllAsync(chunk, cancellationToken).ConfigureAwait(false))
            {
                _known.Add(snapshot.Path, snapshot.Exists && filters.All(f => f.Matches(snapshot.Fields)));
            }
        }
    }

    private bool IsDeclared(DocumentPath path) => _known.IsPulled(path);

    // The targets in the collection being pulled that are not known yet (references nested in maps and arrays too).
    private void AddReferences(Value value, string collection, HashSet<DocumentPath> unknown)
    {
        switch (value.Kind)
        {
            case ValueKind.Reference when value.AsReference() is var target && target.Collection == collection && !_known.Knows(target):
                unknown.Add(target);
                break;
            case ValueKind.Array:
                foreach (var item in value.AsArray())
                {
                    AddReferences(item, collection, unknown);
                }

                break;
            case ValueKind.Map:
                foreach (var item in value.AsMap().Values)
                {
                    AddReferences(item, collection, unknown);
                }

                break;
        }
    }

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

    private static IReadOnlyDictionary<string, Value> WithoutDefaults(IReadOnlyDictionary<string, Value> fields, IReadOnlyDictionary<string, Value> defaults)
    {
        if (defaults.Count == 0)
        {
            return fields; // the common case: nothing to take out, nothing to copy
        }

        var own = new Dictionary<string, Value>(fields.Count, StringComparer.Ordinal); // sized once: no regrowth per document
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

    private string Preamble(Timestamp? readTime)
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

        header.Append("description: ").Append(SeedYamlWriter.Scalar("Pulled " + (request.Group ? "collection group " : string.Empty) + request.Collection)).Append('\n');
        return header.Append("exact_types: true\n").ToString();
    }

    // The keys of one step: the verb and collection, defaults, documents. At 0 the file's own; at 4 an item of steps:.
    private string StepKeys(string collection, IReadOnlyDictionary<string, Value> defaults, int indent)
    {
        var keys = new System.Text.StringBuilder();
        var pad = new string(' ', indent);
        keys.Append(indent == 0 ? string.Empty : new string(' ', indent - 2) + "- ").Append(request.Verb).Append(": ").Append(SeedYamlWriter.Scalar(collection)).Append('\n');
        if (defaults.Count > 0)
        {
            keys.Append(pad).Append("defaults:\n").Append(SeedYamlWriter.BlockMapping(defaults, indent + 2, IsDeclared));
        }

        return keys.Append(pad).Append("documents:\n").ToString();
    }

    private static string OneLine(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private async Task<CommandException> NothingFoundAsync(CancellationToken cancellationToken)
    {
        var what = (request.Group ? "Collection group " : string.Empty) + SeedYamlWriter.Scalar(request.Collection);
        if (request.Filters.Count > 0 || request.Ids is not null)
        {
            var any = request.Group
                ? (await hierarchy!.ListCollectionGroupAsync(request.Collection, [], cancellationToken).ConfigureAwait(false)).Count
                : (await store.QueryAsync(new DocumentQuery(request.Collection, [], 1), cancellationToken).ConfigureAwait(false)).Count;
            if (any > 0)
            {
                return new CommandException(ExitCodes.NothingPulled,
                    $"No document of {what} on {storeName} matches {OneLine(request.Describe())}. Check the field names and values " +
                    "(a document without the field never matches; 10, 10.5 and \"10\" differ). Nothing was written.");
            }
        }

        return new CommandException(ExitCodes.NothingPulled,
            $"{what} has no documents on {storeName}: it is empty or does not exist (Firestore has no empty collections). Check the {(request.Group ? "collection id" : "path")}. Nothing was written.");
    }

    /// <summary>A document after the first page lacks a field the first page's documents all share.</summary>
    private sealed class DefaultsNoLongerHoldException : Exception;
}
