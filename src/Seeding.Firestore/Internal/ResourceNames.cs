using Seeding.Documents;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Turns <see cref="DocumentPath"/> into Firestore resource names and back:
/// <c>projects/{p}/databases/{d}/documents/{path}</c>. One instance per database.
/// </summary>
internal sealed class ResourceNames
{
    public ResourceNames(string projectId, string databaseId)
    {
        Database = $"projects/{projectId}/databases/{databaseId}";
        DocumentsRoot = Database + "/documents";
        _documentsPrefix = DocumentsRoot + "/";
    }

    private readonly string _documentsPrefix;

    /// <summary><c>projects/{p}/databases/{d}</c>: the value of the routing headers and of request <c>database</c> fields.</summary>
    public string Database { get; }

    /// <summary><c>projects/{p}/databases/{d}/documents</c>: the parent of root collections.</summary>
    public string DocumentsRoot { get; }

    public string DocumentName(DocumentPath path) => _documentsPrefix + path;

    /// <summary><c>projects/{p}/databases/{d}/collectionGroups/{cg}</c>: the parent of a collection group's indexes and fields.</summary>
    public string CollectionGroup(string collectionGroup)
    {
        if (string.IsNullOrWhiteSpace(collectionGroup) || collectionGroup.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{collectionGroup}' is not a collection group: give a collection id such as 'users' (the last segment of a collection path, no '/').",
                nameof(collectionGroup));
        }

        return $"{Database}/collectionGroups/{collectionGroup}";
    }

    /// <summary><c>projects/{p}/databases/{d}/collectionGroups/-</c>: the parent that lists every collection group's indexes and fields.</summary>
    public string AllCollectionGroups => $"{Database}/collectionGroups/-";

    /// <summary>The collection group of an index or field name of this database (<c>.../collectionGroups/{cg}/...</c>); null for another name.</summary>
    public string? CollectionGroupOf(string name)
    {
        var prefix = $"{Database}/collectionGroups/";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = name.IndexOf('/', prefix.Length);
        return end <= prefix.Length ? null : name[prefix.Length..end];
    }

    /// <summary>
    /// The collection group and declared (unquoted) path of a field name of this database; null for another name, the
    /// database-wide default (<c>__default__/fields/*</c>) and a path Seeding cannot declare.
    /// </summary>
    public (string CollectionGroup, string FieldPath)? FieldOf(string name)
    {
        const string Fields = "/fields/";
        var group = CollectionGroupOf(name);
        var marker = name.IndexOf(Fields, StringComparison.Ordinal);
        if (group is null or "__default__" || marker < 0)
        {
            return null;
        }

        return FieldPaths.Unquoted(name[(marker + Fields.Length)..]) is { } path ? (group, path) : null;
    }

    /// <summary>
    /// <c>projects/{p}/databases/{d}/collectionGroups/{cg}/fields/{field_path}</c>, the declared (unquoted, dotted) path
    /// written as the API reads it: names that are not simple identifiers in backticks (<c>fields/`expires-at`</c>).
    /// </summary>
    public string FieldName(string collectionGroup, string fieldPath)
    {
        if (string.IsNullOrWhiteSpace(fieldPath))
        {
            throw new ArgumentException("The field path is empty: give a field path such as 'expires_at'.", nameof(fieldPath));
        }

        return $"{CollectionGroup(collectionGroup)}/fields/{FieldPaths.Quoted(fieldPath)}";
    }

    public DocumentPath ToPath(string name)
    {
        if (!TryToPath(name, out var path))
        {
            // References to another project or database cannot be expressed as a DocumentPath of this store.
            throw new InvalidDataException(
                $"Firestore returned the document name '{name}', which is not under '{DocumentsRoot}'. " +
                "Seeding only reads documents and references within its own database.");
        }

        return path;
    }

    public bool TryToPath(string name, out DocumentPath path)
    {
        path = null!;
        if (!name.StartsWith(_documentsPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        path = DocumentPath.Parse(name[_documentsPrefix.Length..]);
        return true;
    }

    /// <summary>The query parent and collection id of a collection path (<c>tenants/t1/users</c> → parent <c>.../documents/tenants/t1</c>, id <c>users</c>).</summary>
    public (string Parent, string CollectionId) QueryTarget(string collection)
    {
        DocumentPath.ValidateCollectionPath(collection);
        var slash = collection.LastIndexOf('/');
        return slash < 0
            ? (DocumentsRoot, collection)
            : (_documentsPrefix + collection[..slash], collection[(slash + 1)..]);
    }
}
