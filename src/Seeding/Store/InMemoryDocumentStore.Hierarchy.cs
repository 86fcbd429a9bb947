using Seeding.Documents;

namespace Seeding.Store;

/// <summary>The hierarchy (<see cref="IHierarchyStore"/>) over the stored paths.</summary>
public sealed partial class InMemoryDocumentStore : IHierarchyStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListCollectionIdsAsync(DocumentPath document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        cancellationToken.ThrowIfCancellationRequested();
        var prefix = document + "/";
        lock (_gate)
        {
            IReadOnlyList<string> ids = _documents.Keys.Select(p => p.Collection).Where(c => c.StartsWith(prefix, StringComparison.Ordinal))
                .Select(c => c[prefix.Length..].Split('/')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            return Task.FromResult(ids);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListCollectionGroupAsync(string collectionId, IReadOnlyList<FieldFilter> filters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        CollectionGroups.ValidateId(collectionId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<string> paths = _documents.Where(p => CollectionGroups.Contains(p.Key.Collection, collectionId) && filters.All(f => f.Matches(p.Value.Fields)))
                .Select(p => p.Key.Collection).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            return Task.FromResult(paths);
        }
    }
}
