namespace Seeding.Documents;

/// <summary>
/// The path of a document relative to the database root: <c>collection/id</c>, or nested
/// <c>collection/id/subcollection/id</c>. Compared ordinally; validated on creation.
/// </summary>
public sealed class DocumentPath : IEquatable<DocumentPath>, IComparable<DocumentPath>
{
    private readonly string _path;

    private DocumentPath(string path, string collection, string id)
    {
        _path = path;
        Collection = collection;
        Id = id;
    }

    /// <summary>The collection path that holds the document, e.g. <c>roles</c> or <c>tenants/t1/users</c>.</summary>
    public string Collection { get; }

    /// <summary>The document id, the last segment.</summary>
    public string Id { get; }

    /// <summary>Creates the path of document <paramref name="id"/> in <paramref name="collection"/>.</summary>
    /// <exception cref="ArgumentException">An id or collection segment breaks Firestore's rules.</exception>
    public static DocumentPath Create(string collection, string id)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(id);
        Validate(collection, id);
        return new DocumentPath(collection + "/" + id, collection, id);
    }

    private static void Validate(string collection, string id)
    {
        ValidateCollectionPath(collection);
        var problem = DocumentRules.ValidateId(id);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid document id in collection '{collection}': {problem}.", nameof(id));
        }
    }

    /// <summary>Parses <c>collection/id[/collection/id...]</c>.</summary>
    /// <exception cref="ArgumentException">The path has an odd number of segments or an invalid segment.</exception>
    public static DocumentPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var slash = path.LastIndexOf('/');
        if (slash <= 0)
        {
            throw new ArgumentException($"'{path}' is not a document path; expected 'collection/id'.", nameof(path));
        }

        var (collection, id) = (path[..slash], path[(slash + 1)..]);
        Validate(collection, id);
        return new DocumentPath(path, collection, id); // the path itself: equal to collection + "/" + id, one string less a path read
    }

    /// <summary>Checks a collection path such as <c>roles</c> or <c>tenants/t1/users</c> (an odd number of segments).</summary>
    /// <exception cref="ArgumentException">The path is not a valid collection path.</exception>
    public static void ValidateCollectionPath(string collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var problem = DocumentRules.ValidateCollectionPath(collection);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid collection path '{collection}': {problem}.", nameof(collection));
        }
    }

    /// <inheritdoc />
    public bool Equals(DocumentPath? other) => other is not null && string.Equals(_path, other._path, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DocumentPath);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_path);

    /// <summary>Orders paths by segments, as Firestore orders document names.</summary>
    public int CompareTo(DocumentPath? other)
    {
        if (other is null)
        {
            return 1;
        }

        var left = _path.Split('/');
        var right = other._path.Split('/');
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            var c = CompareUtf8(left[i], right[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    // Firestore orders ids by their UTF-8 bytes, which is code point order; UTF-16 ordinal order differs
    // for characters above U+FFFF versus U+E000..U+FFFF, so compare runes.
    private static int CompareUtf8(string left, string right)
    {
        var l = left.EnumerateRunes();
        var r = right.EnumerateRunes();
        while (true)
        {
            var hasLeft = l.MoveNext();
            var hasRight = r.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft.CompareTo(hasRight);
            }

            var c = l.Current.Value.CompareTo(r.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }

    /// <summary>The path text, <c>collection/id</c>.</summary>
    public override string ToString() => _path;

    /// <summary>Equality.</summary>
    public static bool operator ==(DocumentPath? left, DocumentPath? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DocumentPath? left, DocumentPath? right) => !(left == right);
}
