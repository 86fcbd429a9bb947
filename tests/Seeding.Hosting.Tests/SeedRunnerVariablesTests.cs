using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Hosting.Tests;

/// <summary>DRY_RUN and MIGRATION_PHASE mean in a host what they mean to `seeding migrate`.</summary>
public sealed class SeedRunnerVariablesTests
{
    private static IHost Build(InMemoryDocumentStore store, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Services.AddSingleton<IDocumentStore>(store);
        builder.Services.AddSeeding(HostStoreTests.Seeds());
        return builder.Build();
    }

    private static async Task<bool[]> RunAsync(params (string Key, string Value)[] settings)
    {
        var store = new InMemoryDocumentStore();
        using (var host = Build(store, settings))
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        var found = await store.GetAllAsync([DocumentPath.Parse("roles/admin"), DocumentPath.Parse("users/system"), DocumentPath.Parse("flags/beta")]);
        return found.Select(s => s.Exists).ToArray();
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1")]
    [InlineData("YES")]
    public async Task DRY_RUN_makes_the_startup_run_write_nothing(string value)
    {
        var store = new InMemoryDocumentStore();
        using var host = Build(store, ("DRY_RUN", value), ("Seeding:ApplyPreDeployMigrations", "true"));
        await host.StartAsync();

        Assert.Equal(0, store.WriteCalls);
        Assert.False((await store.GetAllAsync([DocumentPath.Parse("users/system")]))[0].Exists);
        await host.StopAsync();
    }

    [Fact]
    public async Task DRY_RUN_false_or_blank_writes()
    {
        Assert.Equal(new[] { false, true, false }, await RunAsync(("DRY_RUN", "false")));
        Assert.Equal(new[] { false, true, false }, await RunAsync(("DRY_RUN", " ")));
    }

    [Theory]
    [InlineData("pre", new[] { true, false, false })]
    [InlineData("bootstrap", new[] { false, true, false })]
    [InlineData("ALL", new[] { true, true, true })]
    public async Task MIGRATION_PHASE_picks_the_startup_phases_instead_of_the_options(string phase, bool[] expected)
    {
        Assert.Equal(expected, await RunAsync(("MIGRATION_PHASE", phase)));
    }

    [Fact]
    public async Task MIGRATION_PHASE_post_is_refused_while_a_pre_deploy_migration_is_pending_as_the_tool_refuses_it()
    {
        var store = new InMemoryDocumentStore();
        using var host = Build(store, ("MIGRATION_PHASE", "post"), ("Seeding:StopApplicationOnFailure", "false"));

        var refused = await Assert.ThrowsAsync<Seeding.Running.PendingPreDeployException>(() => host.StartAsync());

        Assert.Equal(["pre/0001_roles"], refused.Pending.Select(m => m.ToString()));
        Assert.Contains("pre/0001_roles", refused.Message);
        Assert.Equal(0, store.WriteCalls);
        Assert.False((await store.GetAllAsync([DocumentPath.Parse("flags/beta")]))[0].Exists);
    }

    [Fact]
    public async Task MIGRATION_PHASE_post_runs_when_pending_pre_deploy_migrations_are_allowed_or_applied()
    {
        Assert.Equal(new[] { false, false, true }, await RunAsync(("MIGRATION_PHASE", "post"), ("Seeding:AllowPendingPreDeploy", "true")));

        var store = new InMemoryDocumentStore();
        foreach (var phase in new[] { "pre", "post" })
        {
            using var host = Build(store, ("MIGRATION_PHASE", phase));
            await host.StartAsync();
            await host.StopAsync();
        }

        Assert.True((await store.GetAllAsync([DocumentPath.Parse("flags/beta")]))[0].Exists);
    }

    [Fact]
    public async Task Without_MIGRATION_PHASE_the_options_decide()
    {
        Assert.Equal(new[] { false, true, false }, await RunAsync());
        Assert.Equal(new[] { true, true, false }, await RunAsync(("Seeding:ApplyPreDeployMigrations", "true")));
        Assert.Equal(new[] { false, false, false }, await RunAsync(("Seeding:Bootstrap", "false")));
    }

    [Fact]
    public async Task Seeding_Phases_picks_the_startup_phases_and_MIGRATION_PHASE_wins_over_it()
    {
        Assert.Equal(new[] { true, true, true }, await RunAsync(("Seeding:Phases", "all")));
        Assert.Equal(new[] { false, false, true }, await RunAsync(("Seeding:Phases", "post"), ("Seeding:Bootstrap", "true"), ("Seeding:AllowPendingPreDeploy", "true")));
        Assert.Equal(new[] { true, false, false }, await RunAsync(("Seeding:Phases", "all"), ("MIGRATION_PHASE", "pre")));
    }

    [Theory]
    [InlineData("MIGRATION_PHASE", "during", "not a phase")]
    [InlineData("Seeding:Phases", "during", "not a phase")]
    [InlineData("DRY_RUN", "maybe", "use true or false")]
    public async Task A_bad_value_stops_startup_naming_the_variable_even_when_failures_are_tolerated(string variable, string value, string why)
    {
        var store = new InMemoryDocumentStore();
        using var host = Build(store, (variable, value), ("Seeding:FailStartupOnError", "false"), HostStoreTests.ThrowOnFailure);

        var e = await Assert.ThrowsAsync<SeedingConfigurationException>(() => host.StartAsync());
        Assert.Equal(variable, e.Setting);
        Assert.Contains($"{variable} is '{value}'", e.Message);
        Assert.Contains(why, e.Message);
        Assert.Equal(0, store.WriteCalls);
    }
}
