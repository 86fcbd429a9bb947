namespace Seeding.Store;

/// <summary>What every store checks about a collection group's id (<see cref="IHierarchyStore.ListCollectionGroupAsync"/>).</summary>
public static class CollectionGroups
{
    /// <summary>Throws unless <paramref name="collectionId"/> is one valid collection id (no slash).</summary>
    /// <param name="collectionId">The id of the collections of the group, e.g. <c>users</c>.</param>
    /// <exception cref="ArgumentException">Empty, with a slash, or not a valid collection id.</exception>
    public static void ValidateId(string collectionId)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        if (collectionId.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{collectionId}' is not a collection id: a collection group is named by one id, without '/'.", nameof(collectionId));
        }

        Documents.DocumentPath.ValidateCollectionPath(collectionId);
    }

    /// <summary>True when <paramref name="collectionPath"/>'s last segment is <paramref name="collectionId"/>.</summary>
    /// <param name="collectionPath">A collection path such as <c>tenants/t1/users</c>.</param>
    /// <param name="collectionId">The group's collection id.</param>
    public static bool Contains(string collectionPath, string collectionId)
    {
        ArgumentNullException.ThrowIfNull(collectionPath);
        ArgumentNullException.ThrowIfNull(collectionId);
        return collectionPath.Length >= collectionId.Length && collectionPath.EndsWith(collectionId, StringComparison.Ordinal)
            && (collectionPath.Length == collectionId.Length || collectionPath[^(collectionId.Length + 1)] == '/');
    }
}
