using Seeding.Resources;

namespace Seeding.Firestore;

/// <summary>The database's indexes and field overrides as a whole, for <c>seeding pull --indexes</c> (Admin API).</summary>
public sealed partial class FirestoreDocumentStore : IIndexInventory
{
    /// <inheritdoc />
    /// <remarks>One ListIndexes over every collection group (<c>collectionGroups/-</c>), page by page.</remarks>
    public Task<IReadOnlyList<IndexState>> ListAllIndexesAsync(Action<string>? skipped = null, CancellationToken cancellationToken = default) =>
        Indexes().ListAllIndexesAsync(skipped, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// One ListFields over every collection group with the filter Google documents for overridden fields
    /// (<c>indexConfig.usesAncestorConfig:false OR ttlConfig:*</c>), page by page. The database-wide default
    /// (<c>__default__</c>) and fields whose path a declaration cannot name are left out, each told to <paramref name="skipped"/>.
    /// </remarks>
    public Task<IReadOnlyList<FieldOverrideSpec>> ListFieldOverridesAsync(Action<string>? skipped = null, CancellationToken cancellationToken = default) =>
        Indexes().ListFieldOverridesAsync(skipped, cancellationToken);
}
