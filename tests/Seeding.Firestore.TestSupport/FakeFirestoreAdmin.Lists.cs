using Grpc.Core;
using Admin = Seeding.Firestore.Protocol.Admin;

namespace Seeding.Firestore.TestSupport;

/// <summary>Listing across collection groups (<c>collectionGroups/-</c>) and ListFields, as <c>seeding pull --indexes</c> uses them.</summary>
internal sealed partial class FakeAdminService
{
    /// <summary>
    /// Fields with an override of their own, as Google's API lists them: only with the filter for overridden fields
    /// (anything else is INVALID_ARGUMENT), a field with only a TTL policy reporting the indexes it inherits.
    /// </summary>
    public override Task<Admin.ListFieldsResponse> ListFields(Admin.ListFieldsRequest request, ServerCallContext context)
    {
        state.Enter(nameof(ListFields), context);
        RequireParent(request.Parent);
        if (request.Filter.Replace(" ", string.Empty, StringComparison.Ordinal) is not ("indexConfig.usesAncestorConfig:false" or "indexConfig.usesAncestorConfig:falseORttlConfig:*"))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"ListFields supports only listing overridden fields (filter indexConfig.usesAncestorConfig:false), not '{request.Filter}'"));
        }

        lock (state.Gate)
        {
            var all = state.Fields.Values.Where(f => InParent(f.Name, request.Parent, "/fields/") && (f.IndexConfig is not null || f.TtlConfig is not null))
                .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
            var offset = request.PageToken.Length == 0 ? 0 : int.Parse(request.PageToken, System.Globalization.CultureInfo.InvariantCulture);
            var response = new Admin.ListFieldsResponse();
            foreach (var stored in all.Skip(offset).Take(state.PageSize))
            {
                var field = stored.Clone();
                if (field.IndexConfig is null)
                {
                    var (parent, fieldPath) = SplitFieldName(field.Name);
                    field.IndexConfig = Inherited(parent, fieldPath);
                }

                response.Fields.Add(field);
            }

            if (offset + state.PageSize < all.Count)
            {
                response.NextPageToken = (offset + state.PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Task.FromResult(response);
        }
    }

    // A resource directly under the parent's collection group, or under any when the parent is collectionGroups/-.
    private static bool InParent(string name, string parent, string kind)
    {
        if (parent.EndsWith(CollectionGroups + "-", StringComparison.Ordinal))
        {
            var database = parent[..^("-".Length)];
            return name.StartsWith(database, StringComparison.Ordinal) && name.IndexOf(kind, database.Length, StringComparison.Ordinal) > database.Length;
        }

        return name.StartsWith(parent + kind, StringComparison.Ordinal);
    }
}
