using Seeding.Resources;
using Admin = Seeding.Firestore.Protocol.Admin;

namespace Seeding.Firestore.Internal;

/// <summary>Listing every index and field override of the database (ListIndexes, ListFields over <c>collectionGroups/-</c>).</summary>
internal sealed partial class FirestoreIndexes
{
    /// <summary>What ListFields accepts: only fields with an override of their own (indexes or a TTL policy).</summary>
    public const string OverriddenFieldsFilter = "indexConfig.usesAncestorConfig:false OR ttlConfig:*";

    public async Task<IReadOnlyList<IndexState>> ListAllIndexesAsync(Action<string>? skipped, CancellationToken cancellationToken)
    {
        var parent = _names.AllCollectionGroups;
        var result = new List<IndexState>();
        var pageToken = string.Empty;
        do
        {
            var request = new Admin.ListIndexesRequest { Parent = parent, PageToken = pageToken };
            var page = (await CallAsync("ListIndexes", "parent", parent, options => _indexes.ListIndexesAsync(request, options).ResponseAsync, null, cancellationToken)
                .ConfigureAwait(false))!;
            foreach (var index in page.Indexes)
            {
                if (_names.CollectionGroupOf(index.Name) is { } group && IndexMapping.FromProto(group, index) is { } state)
                {
                    result.Add(state);
                }
                else
                {
                    skipped?.Invoke(index.Name);
                }
            }

            pageToken = page.NextPageToken;
        }
        while (pageToken.Length > 0);

        return result;
    }

    public async Task<IReadOnlyList<FieldOverrideSpec>> ListFieldOverridesAsync(Action<string>? skipped, CancellationToken cancellationToken)
    {
        var parent = _names.AllCollectionGroups;
        var result = new List<FieldOverrideSpec>();
        var pageToken = string.Empty;
        do
        {
            var request = new Admin.ListFieldsRequest { Parent = parent, Filter = OverriddenFieldsFilter, PageToken = pageToken };
            var page = (await CallAsync("ListFields", "parent", parent, options => _indexes.ListFieldsAsync(request, options).ResponseAsync, null, cancellationToken)
                .ConfigureAwait(false))!;
            foreach (var field in page.Fields)
            {
                if (_names.FieldOf(field.Name) is not { } at)
                {
                    skipped?.Invoke(field.Name);
                }
                else if (IndexMapping.Declared(at.CollectionGroup, at.FieldPath, field) is { } spec)
                {
                    result.Add(spec);
                }
            }

            pageToken = page.NextPageToken;
        }
        while (pageToken.Length > 0);

        return result;
    }
}
