using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.StoreContract.Seeds;
using Seeding.Values;

namespace Seeding.StoreContract;

/// <summary>
/// Large seed files compile their documents as compact data instead of an initializer. migrations/ holds the same
/// documents in both forms (every value kind); run through the runner, each store must give back the same values.
/// </summary>
public abstract partial class DocumentStoreContract
{
    [Fact]
    public async Task Compact_seed_data_round_trips_exactly_like_the_initializer_form()
    {
        Environment.SetEnvironmentVariable("SEEDING_CONTRACT_SECRET", "s3cret \u00fc");
        var seeds = SeedingRegistry.Service.Seeds;
        var (small, large) = (seeds.Single(s => s.Id == "0001_compact_small"), seeds.Single(s => s.Id == "0002_compact_large"));
        Assert.IsNotType<SeedDocument[]>(large.Steps[0].Documents); // compiled as data (above SeedingCompactThreshold 8)
        Assert.IsType<SeedDocument[]>(small.Steps[0].Documents);

        // A service name of this test's own: its history is its own, even on a shared emulator.
        var report = await new SeedRunner(Store).RunAsync(new ServiceSeeds(_prefix, [], seeds), RunRequest.PreDeploy());
        Assert.All(report.Seeds, s => Assert.Equal(SeedOutcome.Applied, s.Outcome));

        var declared = small.Steps[0].Documents;
        Assert.Equal(2, declared.Count);
        var smallRead = await Store.GetAllAsync(declared.Select(d => DocumentPath.Create("compact_small", d.Id)).ToArray());
        var largeRead = await Store.GetAllAsync(declared.Select(d => DocumentPath.Create("compact_large", d.Id)).ToArray());
        for (var i = 0; i < declared.Count; i++)
        {
            Assert.True(smallRead[i].Exists && largeRead[i].Exists);
            Assert.Equal(smallRead[i].Fields.Keys.Order(StringComparer.Ordinal), largeRead[i].Fields.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, value) in declared[i].Fields)
            {
                if (value.Equals(Value.ServerTimestamp))
                {
                    // Each file's commit resolves !now to its own time: both are stored timestamps.
                    Assert.Equal(ValueKind.Timestamp, smallRead[i].Fields[name].Kind);
                    Assert.Equal(ValueKind.Timestamp, largeRead[i].Fields[name].Kind);
                    continue;
                }

                Assert.Equal(smallRead[i].Fields[name], largeRead[i].Fields[name]);
            }

            Assert.Equal(Value.String("s3cret \u00fc"), largeRead[i].Fields.GetValueOrDefault("secret", Value.String("s3cret \u00fc")));
        }

        // Odd doubles survive bit for bit, through the compact form and the store alike.
        var first = largeRead[0].Fields;
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(first["ratio"].AsDouble()));
        Assert.True(double.IsNaN(first["nan"].AsDouble()));
        Assert.Equal(double.Epsilon, first["tiny"].AsDouble());
        Assert.Equal(Value.Integer(long.MinValue), first["small"]);
        Assert.Equal(Value.String("s3cret \u00fc"), first["secret"]);
        Assert.Equal(Value.Null, largeRead[1].Fields["optional"]);
        Assert.False(first.ContainsKey("optional"));
    }
}
