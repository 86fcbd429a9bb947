using Seeding.Documents;

namespace Seeding.Store;

/// <summary>
/// Implemented by a store that can walk Firestore's hierarchy beyond one collection: the subcollections under a document
/// (Firestore's ListCollectionIds) and the collections of a collection group (every collection with one id, at any depth:
/// Firestore's collection-group query). <c>seeding pull --recursive</c> and <c>--collection-group</c> use it; it is offered
/// through <see cref="StoreCapabilities.Hierarchy"/>. All three stores implement it.
/// </summary>
public interface IHierarchyStore
{
    /// <summary>
    /// The ids of the collections directly under <paramref name="document"/> that hold documents (at any depth below them),
    /// in ordinal order. The document itself need not exist.
    /// </summary>
    /// <param name="document">The parent document.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    Task<IReadOnlyList<string>> ListCollectionIdsAsync(DocumentPath document, CancellationToken cancellationToken = default);

    /// <summary>
    /// The paths of every collection whose last segment is <paramref name="collectionId"/> (<c>users</c>,
    /// <c>tenants/t1/users</c>, <c>tenants/t1/users/u1/users</c>...) holding at least one document that matches all of
    /// <paramref name="filters"/>, each once, in ordinal order.
    /// </summary>
    /// <param name="collectionId">The collection id (one segment, no slash).</param>
    /// <param name="filters">Conditions a document must meet for its collection to be listed (none: any document).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlyList<string>> ListCollectionGroupAsync(string collectionId, IReadOnlyList<FieldFilter> filters, CancellationToken cancellationToken = default);
}
