using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Generators.Tests;

/// <summary>
/// <c>seeding diff</c>'s first pass reads only the ids of a large file's compact data: the same ids, in the same order,
/// as decoding every document, and not one document decoded.
/// </summary>
public sealed class CompactIdsTests
{
    [Fact]
    public void The_ids_of_compact_data_are_read_without_decoding_a_document()
    {
        const string path = "migrations/pre/0043_ids_only.yaml";
        var assembly = CompactDataTests.Run((path, CompactDataTests.Many(3000)), threshold: 0).AssertClean().Load();
        var definition = (SeedDefinition)assembly.GetType("Acme.Users.Seeds.Pre0043IdsOnly")!.GetProperty("Definition")!.GetValue(null)!;
        var documents = Assert.Single(definition.Steps).Documents;

        using var decoded = new DecodedDocuments(path);

        var ids = CompactDocuments.IdsOf(documents).ToList();

        Assert.Equal(0, decoded.Count);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"item-{i:D5}"), ids);
        Assert.Equal(documents.Select(d => d.Id), ids);
        Assert.Equal(3000, decoded.Count); // the check above decoded them all, so the counter counts
    }
}
