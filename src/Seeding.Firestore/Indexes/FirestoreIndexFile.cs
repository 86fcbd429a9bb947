using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Seeding.Definitions;
using Seeding.Firestore.Internal;
using Seeding.Resources;
using Seeding.Running;

namespace Seeding.Firestore.Indexes;

/// <summary>
/// The composite indexes and field overrides that seed files declare, in the index configuration format the Firebase CLI
/// deploys (<c>firebase deploy --only firestore:indexes</c>) and exports (<c>firebase firestore:indexes</c>),
/// conventionally named <c>firestore.indexes.json</c>: <c>{"indexes": [...], "fieldOverrides": [...]}</c>. For teams
/// that deploy indexes with that tool, or review them in a pull request; <c>seeding migrate</c> itself ensures them through the Admin API.
/// </summary>
/// <remarks>
/// The file is deterministic: indexes sorted by collection group, query scope and fields, field overrides by collection
/// group and field path, 2-space indentation, <c>\n</c> line ends and a final newline, so it can be committed and
/// compared. An index declared more than once (by two services, say) is written once. A field declared more than once
/// is written once with the settings that applying the declarations in run order leaves: a later declaration's
/// settings replace an earlier one's, settings it leaves undeclared keep the earlier value. Step conditions
/// (<c>when</c>, <c>environments</c>) are not evaluated: every declared index is written. Field paths are written as
/// Firestore reads them: a name that is not a simple identifier is quoted in backticks (<c>`tenant-id`</c>,
/// <c>profile.`e-mail`</c>), as the Admin API needs.
/// </remarks>
public sealed class FirestoreIndexFile
{
    /// <summary>The file name the Firebase CLI reads by default.</summary>
    public const string DefaultFileName = "firestore.indexes.json";

    // Firestore's automatic single-field indexes, written for an override that leaves its indexes undeclared: the
    // format requires the list, and this one keeps what Firestore indexes by default (only the TTL policy changes).
    internal static readonly FieldIndex[] AutomaticIndexes =
    [
        new(IndexOrder.Ascending, IndexScope.Collection),
        new(IndexOrder.Descending, IndexScope.Collection),
        new(IndexOrder.Contains, IndexScope.Collection),
    ];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private FirestoreIndexFile(IReadOnlyList<IndexSpec> indexes, IReadOnlyList<FieldOverrideSpec> fieldOverrides)
    {
        Indexes = indexes;
        FieldOverrides = fieldOverrides;
    }

    /// <summary>The composite indexes, each once, sorted.</summary>
    public IReadOnlyList<IndexSpec> Indexes { get; }

    /// <summary>The field overrides, one per collection group and field path, sorted.</summary>
    public IReadOnlyList<FieldOverrideSpec> FieldOverrides { get; }

    /// <summary>
    /// Every <see cref="IndexStep"/> and <see cref="FieldOverrideStep"/> of <paramref name="services"/>: services in the
    /// order given (pass them in dependency order), each service's seed files in run order (pre, bootstrap, post).
    /// </summary>
    /// <param name="services">The services, e.g. every loaded <c>SeedingRegistry.Service</c>.</param>
    public static FirestoreIndexFile FromServices(IEnumerable<ServiceSeeds> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var steps = services
            .SelectMany(service => SeedRunner.PhaseOrder.SelectMany(service.InPhase))
            .Where(seed => seed.Code is null)
            .SelectMany(seed => seed.Steps)
            .ToArray();
        return Create(steps.OfType<IndexStep>().Select(s => s.Spec), steps.OfType<FieldOverrideStep>().Select(s => s.Spec));
    }

    /// <summary>A file of the given declarations, in the order they apply: duplicates merged, then sorted.</summary>
    /// <param name="indexes">Composite indexes.</param>
    /// <param name="fieldOverrides">Field overrides, in the order they apply.</param>
    public static FirestoreIndexFile Create(IEnumerable<IndexSpec> indexes, IEnumerable<FieldOverrideSpec> fieldOverrides)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        ArgumentNullException.ThrowIfNull(fieldOverrides);
        var distinct = new List<IndexSpec>();
        foreach (var index in indexes)
        {
            if (!distinct.Any(index.SameIndexAs))
            {
                distinct.Add(index);
            }
        }

        distinct.Sort(CompareIndexes);

        var fields = new Dictionary<(string, string), FieldOverrideSpec>();
        foreach (var field in fieldOverrides)
        {
            var key = (field.CollectionGroup, field.FieldPath);
            fields[key] = fields.TryGetValue(key, out var earlier)
                ? field with { Indexes = field.Indexes ?? earlier.Indexes, Ttl = field.Ttl ?? earlier.Ttl }
                : field;
        }

        var sortedFields = fields.Values
            .OrderBy(f => f.CollectionGroup, StringComparer.Ordinal)
            .ThenBy(f => f.FieldPath, StringComparer.Ordinal)
            .ToArray();
        return new FirestoreIndexFile(distinct, sortedFields);
    }

    /// <summary>
    /// Reads an index file (<c>firestore.indexes.json</c>, as <c>firebase firestore:indexes</c> exports it or
    /// <see cref="ToJson"/> writes it) as declarations: field paths unquoted, a trailing <c>__name__</c> dropped, an
    /// override's indexes left out (null) when they are Firestore's automatic ones (which the format must list), and
    /// <c>"ttl": false</c> left out (off is the default). Entries Seeding cannot declare (vector fields, other API
    /// scopes, a field name holding a '.', a composite index of fewer than two fields, an override that changes
    /// nothing) are left out and told to <paramref name="skipped"/>. Duplicates are merged as <see cref="Create"/> does.
    /// </summary>
    /// <param name="json">The file's text.</param>
    /// <param name="skipped">Told what each left-out entry is and why, e.g. <c>indexes[3] (users): a vector field</c>.</param>
    /// <exception cref="FormatException">The text is not JSON in this format; the message names the place (<c>indexes[0].fields[1].order</c>).</exception>
    public static FirestoreIndexFile Parse(string json, Action<string>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var (indexes, fieldOverrides) = IndexFileReader.Read(json, skipped);
        return Create(indexes, fieldOverrides);
    }

    /// <summary>The file's text: the index configuration JSON, 2-space indented, with a final newline.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("indexes");
            foreach (var index in Indexes)
            {
                w.WriteStartObject();
                w.WriteString("collectionGroup", index.CollectionGroup);
                w.WriteString("queryScope", Scope(index.Scope));
                w.WriteStartArray("fields");
                foreach (var field in index.Fields)
                {
                    w.WriteStartObject();
                    w.WriteString("fieldPath", FieldPaths.Quoted(field.FieldPath));
                    WriteOrder(w, field.Order);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("fieldOverrides");
            foreach (var field in FieldOverrides)
            {
                w.WriteStartObject();
                w.WriteString("collectionGroup", field.CollectionGroup);
                w.WriteString("fieldPath", FieldPaths.Quoted(field.FieldPath));
                if (field.Ttl is { } ttl)
                {
                    w.WriteBoolean("ttl", ttl);
                }

                w.WriteStartArray("indexes");
                foreach (var index in (field.Indexes ?? AutomaticIndexes).Distinct().OrderBy(i => i.Order).ThenBy(i => i.Scope))
                {
                    w.WriteStartObject();
                    WriteOrder(w, index.Order);
                    w.WriteString("queryScope", Scope(index.Scope));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteOrder(Utf8JsonWriter w, IndexOrder order)
    {
        if (order == IndexOrder.Contains)
        {
            w.WriteString("arrayConfig", "CONTAINS");
        }
        else
        {
            w.WriteString("order", order == IndexOrder.Ascending ? "ASCENDING" : "DESCENDING");
        }
    }

    private static string Scope(IndexScope scope) => scope == IndexScope.CollectionGroup ? "COLLECTION_GROUP" : "COLLECTION";

    private static int CompareIndexes(IndexSpec a, IndexSpec b)
    {
        var byGroup = string.CompareOrdinal(a.CollectionGroup, b.CollectionGroup);
        if (byGroup != 0)
        {
            return byGroup;
        }

        if (a.Scope != b.Scope)
        {
            return a.Scope.CompareTo(b.Scope);
        }

        for (var i = 0; i < Math.Min(a.Fields.Count, b.Fields.Count); i++)
        {
            var byPath = string.CompareOrdinal(a.Fields[i].FieldPath, b.Fields[i].FieldPath);
            if (byPath != 0)
            {
                return byPath;
            }

            if (a.Fields[i].Order != b.Fields[i].Order)
            {
                return a.Fields[i].Order.CompareTo(b.Fields[i].Order);
            }
        }

        return a.Fields.Count.CompareTo(b.Fields.Count);
    }
}
