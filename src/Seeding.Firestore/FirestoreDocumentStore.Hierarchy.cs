using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Firestore;

/// <summary>The hierarchy (<see cref="IHierarchyStore"/>): ListCollectionIds, and a collection-group query at the database root.</summary>
public sealed partial class FirestoreDocumentStore : IHierarchyStore
{
    /// <inheritdoc />
    /// <remarks>ListCollectionIds, page by page.</remarks>
    public Task<IReadOnlyList<string>> ListCollectionIdsAsync(DocumentPath document, CancellationToken cancellationToken = default) =>
        _reader.ListCollectionIdsAsync(document, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// RunQuery with a collection selector over all descendants of the database root, reading document names only
    /// (a <c>__name__</c> projection), page by page in name order; each document's parent collection is kept once.
    /// </remarks>
    public Task<IReadOnlyList<string>> ListCollectionGroupAsync(string collectionId, IReadOnlyList<FieldFilter> filters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        CollectionGroups.ValidateId(collectionId);
        return _reader.ListCollectionGroupAsync(collectionId, filters, cancellationToken);
    }
}
