using Seeding.Cli.Commands;
using Seeding.Documents;

namespace Seeding.Cli.Tests;

/// <summary>What a pull remembers about paths is bounded: the newest are kept, the oldest forgotten, none misreported.</summary>
public sealed class KnownPathsTests
{
    [Fact]
    public void Beyond_the_capacity_the_oldest_generation_is_forgotten_and_the_newest_paths_stay_known()
    {
        var known = new KnownPaths(capacity: 100);
        var paths = Enumerable.Range(0, 175).Select(i => DocumentPath.Create("items", $"i{i:D3}")).ToArray();
        for (var i = 0; i < paths.Length; i++)
        {
            known.Add(paths[i], pulled: i % 3 != 0);
        }

        // Generations of 50: when 150 arrived, 100-149 became the older and 0-99 were forgotten; 100-174 are known, each
        // with what was said about it (always at least the newest half of the capacity).
        Assert.All(paths[..100], p => Assert.False(known.Knows(p)));
        Assert.All(paths[..100], p => Assert.False(known.IsPulled(p)));
        for (var i = 100; i < paths.Length; i++)
        {
            Assert.True(known.Knows(paths[i]), paths[i].ToString());
            Assert.Equal(i % 3 != 0, known.IsPulled(paths[i]));
        }

        known.Clear();
        Assert.False(known.Knows(paths[^1]));
    }
}
