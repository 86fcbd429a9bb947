using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.StoreContract;

// The hierarchy (IHierarchyStore, which every store implements): subcollections under a document, and the collections
// of a collection group at any depth, filtered by their documents.
public abstract partial class DocumentStoreContract
{
    [Fact]
    public async Task Hierarchy_lists_subcollections_and_every_collection_of_a_group()
    {
        var hierarchy = Assert.IsAssignableFrom<IHierarchyStore>(Store);
        var group = Collection("grp");
        var top = Collection("t");
        string[] paths = [$"{group}/a", $"{top}/t1/{group}/b", $"{top}/t1/{group}/b/{group}/c", $"{top}/t1/other/d", $"{top}/t2/{group}/e", $"{top}/t1"];
        foreach (var (path, i) in paths.Select((p, i) => (p, i)))
        {
            await Set(DocumentPath.Parse(path), F(("k", Value.Integer(i))));
        }

        Assert.Equal(new[] { group, "other" }.Order(StringComparer.Ordinal), await hierarchy.ListCollectionIdsAsync(DocumentPath.Parse($"{top}/t1")));
        Assert.Equal([group], await hierarchy.ListCollectionIdsAsync(DocumentPath.Parse($"{top}/t2")));
        Assert.Equal([group], await hierarchy.ListCollectionIdsAsync(DocumentPath.Parse($"{top}/t1/{group}/b")));
        Assert.Empty(await hierarchy.ListCollectionIdsAsync(DocumentPath.Parse($"{top}/t3")));
        Assert.Empty(await hierarchy.ListCollectionIdsAsync(DocumentPath.Parse($"{group}/a")));

        Assert.Equal(
            new[] { group, $"{top}/t1/{group}", $"{top}/t1/{group}/b/{group}", $"{top}/t2/{group}" }.Order(StringComparer.Ordinal),
            await hierarchy.ListCollectionGroupAsync(group, []));
        Assert.Equal([$"{top}/t1/{group}/b/{group}"], await hierarchy.ListCollectionGroupAsync(group, [FieldFilter.EqualTo("k", Value.Integer(2))]));
        Assert.Empty(await hierarchy.ListCollectionGroupAsync(group, [FieldFilter.EqualTo("k", Value.Integer(3))]));
        Assert.Empty(await hierarchy.ListCollectionGroupAsync(Collection("none"), []));
        await Assert.ThrowsAsync<ArgumentException>(() => hierarchy.ListCollectionGroupAsync($"{top}/t1/{group}", []));
    }
}
