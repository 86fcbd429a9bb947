using Microsoft.Extensions.Configuration;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

/// <summary>
/// Pending migrations with many documents stream: their documents are read, planned and written a chunk at a time,
/// with the same plan (dry run or not) as reading them all up front; definitions made lazily make no step until used.
/// </summary>
public sealed class StreamingRunnerTests
{
    // 2,510 pending documents: above SeedPlanner.StreamAbove, so the run streams.
    private static ServiceSeeds Large() => Service(
        Migration("0001_items", SeedPhase.Pre, "sha256:items", Create("items", Many(2500, "item"))),
        Migration("0002_touch", SeedPhase.Pre, "sha256:touch", Upsert("items", Many(10, "item").Select((d, i) => d with { Id = $"item-{2490 + i:D5}", Fields = Fields(2490 + i) }).ToArray())));

    private static Dictionary<string, Value> Fields(int n) => new(StringComparer.Ordinal) { ["n"] = Value.Integer(n), ["created_at"] = Value.ServerTimestamp };

    private static async Task<InMemoryDocumentStore> WithFirstHundredAsync()
    {
        var store = new InMemoryDocumentStore();
        await store.WriteBatchAsync(Many(100, "item").Select(d => DocumentWrite.Create(DocumentPath.Create("items", d.Id), d.Fields)).ToArray());
        return store;
    }

    [Fact]
    public async Task A_streamed_dry_run_plans_exactly_what_the_real_run_does()
    {
        var dry = await new SeedRunner(await WithFirstHundredAsync()).RunAsync(Large(), RunRequest.PreDeploy(dryRun: true));
        var store = await WithFirstHundredAsync();
        var real = await new SeedRunner(store).RunAsync(Large(), RunRequest.PreDeploy());

        Assert.Equal(dry.Seeds.SelectMany(s => s.Plan), real.Seeds.SelectMany(s => s.Plan));
        Assert.Equal((2400, 110, 0), (real.Created, real.Skipped, real.Updated)); // 100 existed; the upserts find what 0001 wrote
        Assert.Equal(2500 + 2 + 1, store.Count); // the items, two history entries, the released lock
    }

    [Fact]
    public async Task A_streamed_run_reads_in_chunks_of_a_thousand_paths()
    {
        var store = await WithFirstHundredAsync();
        await new SeedRunner(store).RunAsync(Large(), RunRequest.PreDeploy());

        // History; the lease; history again with the first 998 paths; 0001's next 1,000 and last 502; 0002's 10.
        Assert.Equal(6, store.ReadCalls);
    }

    [Fact]
    public async Task A_lazy_definition_makes_its_steps_on_first_use_only()
    {
        var made = 0;
        var definition = new SeedDefinition("0001_lazy", SeedPhase.Pre, "sha256:lazy", "migrations/pre/0001_lazy.yaml", null, () =>
        {
            Interlocked.Increment(ref made);
            return [Create("items", Many(3))];
        });
        var store = new InMemoryDocumentStore();
        await new SeedRunner(store).RunAsync(Service(definition), RunRequest.PreDeploy());
        Assert.Equal(1, made);

        var fresh = new SeedDefinition("0001_lazy", SeedPhase.Pre, "sha256:lazy", "migrations/pre/0001_lazy.yaml", null, () =>
        {
            Interlocked.Increment(ref made);
            return [Create("items", Many(3))];
        });
        var again = await new SeedRunner(store).RunAsync(Service(fresh), RunRequest.PreDeploy());
        Assert.Equal(SeedOutcome.AlreadyApplied, again.Seeds.Single().Outcome);
        Assert.Equal(1, made); // applied: id and checksum decided it, no step was made
    }

    [Fact]
    public async Task A_step_may_mix_documents_with_and_without_env_fields()
    {
        var step = SeedStep.Create("users", 1,
        [
            new SeedDocument("a", new Dictionary<string, Value> { ["name"] = Value.String("A") }, 3, [new ConfiguredField("email", "USER_A_EMAIL")]),
            new SeedDocument("b", new Dictionary<string, Value> { ["name"] = Value.String("B") }, 4),
        ]);
        var store = new InMemoryDocumentStore();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("USER_A_EMAIL", "a@example.com")]).Build();

        var report = await new SeedRunner(store).RunAsync(Service(Migration("0001_users", SeedPhase.Pre, "sha256:users", step)), RunRequest.PreDeploy() with { Configuration = configuration });

        Assert.Equal(2, report.Created);
        var read = await store.GetAllAsync([DocumentPath.Parse("users/a"), DocumentPath.Parse("users/b")]);
        Assert.Equal(Value.String("a@example.com"), read[0].Fields["email"]);
        Assert.False(read[1].Fields.ContainsKey("email"));
    }
}
