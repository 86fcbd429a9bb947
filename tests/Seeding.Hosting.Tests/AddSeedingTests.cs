using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Hosting;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Hosting.Tests;

public class AddSeedingTests
{
    private static SeedDocument Doc(string id) => new(id, new Dictionary<string, Value> { ["name"] = Value.String(id) }, 1);

    private static ServiceSeeds Seeds(string checksum = "sha256:a") => new("tenant", [],
    [
        new SeedDefinition("0001_roles", SeedPhase.Pre, checksum, "migrations/pre/0001_roles.yaml", null, [SeedStep.Create("roles", 1, [Doc("admin")])]),
        new SeedDefinition("system", SeedPhase.Bootstrap, "sha256:b", "bootstrap/system.yaml", null, [SeedStep.Create("users", 1, [Doc("system")])]),
    ]);

    private static IHost BuildHost(IDocumentStore store, ServiceSeeds seeds, params string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSingleton(store);
        builder.Services.AddSeeding(seeds);
        return builder.Build();
    }

    [Fact]
    public async Task A_host_started_twice_bootstraps_once()
    {
        var store = new InMemoryDocumentStore();
        using (var first = BuildHost(store, Seeds()))
        {
            await first.StartAsync();
            await first.StopAsync();
        }

        var writesAfterFirst = store.WriteCalls;
        using (var second = BuildHost(store, Seeds()))
        {
            await second.StartAsync();
            await second.StopAsync();
        }

        Assert.True((await store.GetAllAsync([DocumentPath.Parse("users/system")]))[0].Exists);
        Assert.True(writesAfterFirst > 0);
        Assert.Equal(writesAfterFirst, store.WriteCalls);
        Assert.False((await store.GetAllAsync([DocumentPath.Parse("roles/admin")]))[0].Exists); // pre-deploy is opt-in
    }

    [Fact]
    public async Task Pre_deploy_migrations_run_at_startup_when_configured_from_configuration()
    {
        var store = new InMemoryDocumentStore();
        using var host = BuildHost(store, Seeds(), "--Seeding:ApplyPreDeployMigrations=true");
        await host.StartAsync();

        Assert.True((await store.GetAllAsync([DocumentPath.Parse("roles/admin")]))[0].Exists);
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task Health_check_reports_pending_then_a_drifted_migration()
    {
        var store = new InMemoryDocumentStore();
        using (var host = BuildHost(store, Seeds()))
        {
            await host.StartAsync();
            var pending = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Degraded, pending.Status);
            Assert.Contains("pre/0001_roles", pending.Entries["seeding"].Description);
            await host.StopAsync();
        }

        await new SeedRunner(store).RunAsync(Seeds(), RunRequest.PreDeploy());
        using var drifted = BuildHost(store, Seeds(checksum: "sha256:changed"));
        await drifted.StartAsync();
        var report = await drifted.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("migrations/pre/0001_roles.yaml", report.Entries["seeding"].Description);
        await drifted.StopAsync();
    }

    [Fact]
    public async Task A_failed_startup_seeding_stops_the_host_with_the_reason()
    {
        var store = new InMemoryDocumentStore();
        await new SeedRunner(store).RunAsync(Seeds(), RunRequest.PreDeploy());
        using var host = BuildHost(store, Seeds(checksum: "sha256:changed"), "--Seeding:ApplyPreDeployMigrations=true", "--Seeding:StopApplicationOnFailure=false");

        var error = await Assert.ThrowsAsync<MigrationDriftException>(() => host.StartAsync());
        Assert.Contains("0001_roles", error.Message);
    }

    [Fact]
    public void An_assembly_without_seeds_is_explained()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceSeeds.FromAssembly(typeof(AddSeedingTests).Assembly));
        Assert.Contains("no seed files compiled in", error.Message);
    }
}

public class AddSeedingConfigurationTests
{
    [Fact]
    public async Task Env_values_when_conditions_and_environments_come_from_the_host()
    {
        var seeds = new ServiceSeeds("user", [],
        [
            new SeedDefinition("admin", SeedPhase.Bootstrap, "sha256:a", "bootstrap/admin.yaml", null,
            [
                SeedStep.Create("users", 2, [new SeedDocument("admin", new Dictionary<string, Value>(), 5, [new ConfiguredField("email", "PLATFORM_ADMIN_EMAIL")])],
                    new StepConditions(When: "PLATFORM_ADMIN_EMAIL")),
                SeedStep.Create("demo", 8, [new SeedDocument("tenant", new Dictionary<string, Value>(), 9)], new StepConditions(Environments: ["Staging"])),
            ]),
        ]);
        var store = new InMemoryDocumentStore();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Development",
            Args = ["--PLATFORM_ADMIN_EMAIL=admin@example.com"],
        });
        builder.Services.AddSingleton<IDocumentStore>(store);
        builder.Services.AddSeeding(seeds);
        using var host = builder.Build();

        await host.StartAsync();

        var docs = await store.GetAllAsync([DocumentPath.Parse("users/admin"), DocumentPath.Parse("demo/tenant")]);
        Assert.Equal("admin@example.com", docs[0].Fields["email"].AsString());
        Assert.False(docs[1].Exists);
        await host.StopAsync();
    }
}
