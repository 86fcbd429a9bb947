using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Seeding.Firestore;
using Seeding.PubSub;
using Seeding.Resources;

namespace Seeding.Hosting.Tests;

/// <summary>
/// The Pub/Sub target is resolved by the one resolver the host and the seeding command share: code or option, then
/// configuration (Seeding:PubSub:*), then PUBSUB_* variables; the project defaults to the Firestore project, or
/// demo-seeding on the emulator; local runs without Pub/Sub settings have no target; bad values fail by name. Tested
/// through what the resolver returns (no Pub/Sub call is made).
/// </summary>
public sealed class PubSubTargetTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seeding-pubsub-").FullName;
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private SeedingStoreChoice Resolve(SeedingStoreOverrides? overrides = null) =>
        SeedingStores.Resolve(_settings.GetValueOrDefault, _variables.GetValueOrDefault, _root, overrides);

    private SeedingConfigurationException Refused(SeedingStoreOverrides? overrides = null) =>
        Assert.Throws<SeedingConfigurationException>(() => Resolve(overrides));

    // The resolved target as (project, emulator host): what the resolver decides, compared by value.
    private static (string Project, string? EmulatorHost) Target(string project, string? emulatorHost) => (project, emulatorHost);

    private static (string Project, string? EmulatorHost)? Of(PubSubOptions? options) => options is null ? null : (options.ProjectId, options.EmulatorHost);

    [Fact]
    public void The_embedded_default_with_nothing_configured_has_no_pub_sub_target()
    {
        var choice = Resolve();
        Assert.Equal(SeedingStoreKind.Sqlite, choice.Kind);
        Assert.Null(choice.PubSub);
        Assert.Null(choice.PubSubDisplayName);
        Assert.Null(choice.CreatePubSub());
    }

    [Fact]
    public void The_firestore_emulator_alone_has_no_pub_sub_target_so_production_is_never_reached_by_a_local_run()
    {
        _variables[FirestoreStoreOptions.EmulatorHostVariable] = "127.0.0.1:8080";
        var choice = Resolve();
        Assert.Equal(SeedingStoreKind.Firestore, choice.Kind);
        Assert.Null(choice.PubSub);
    }

    [Fact]
    public void An_emulator_host_beside_sqlite_uses_the_demo_project()
    {
        _variables[PubSubOptions.EmulatorHostVariable] = " 127.0.0.1:8085 ";
        var choice = Resolve();
        Assert.Equal(SeedingStoreKind.Sqlite, choice.Kind);
        Assert.Equal(Target("demo-seeding", "127.0.0.1:8085"), Of(choice.PubSub));
        Assert.Equal("pubsub-emulator:127.0.0.1:8085/projects/demo-seeding", choice.PubSubDisplayName);
    }

    [Fact]
    public void An_emulator_host_beside_firestore_uses_the_firestore_project()
    {
        _variables[FirestoreStoreOptions.EmulatorHostVariable] = "127.0.0.1:8080";
        _variables[FirestoreStoreOptions.ProjectIdVariable] = "demo-shop";
        _variables[PubSubOptions.EmulatorHostVariable] = "127.0.0.1:8085";
        Assert.Equal(Target("demo-shop", "127.0.0.1:8085"), Of(Resolve().PubSub));

        _variables[PubSubOptions.ProjectIdVariable] = "demo-events";
        Assert.Equal("demo-events", Resolve().PubSub!.ProjectId);
    }

    [Fact]
    public void Production_firestore_means_production_pub_sub_in_the_same_project_unless_another_is_named()
    {
        _settings[SeedingStores.ProjectIdKey] = "shop-prod-123";
        var choice = Resolve();
        Assert.Equal(Target("shop-prod-123", null), Of(choice.PubSub));
        Assert.Equal("pubsub:projects/shop-prod-123", choice.PubSubDisplayName);

        _variables[PubSubOptions.ProjectIdVariable] = "events-prod-123";
        Assert.Equal(Target("events-prod-123", null), Of(Resolve().PubSub));
    }

    [Fact]
    public void A_named_project_without_an_emulator_is_production_pub_sub_whatever_the_store()
    {
        _variables[PubSubOptions.ProjectIdVariable] = "events-prod-123";
        var choice = Resolve();
        Assert.Equal(SeedingStoreKind.Sqlite, choice.Kind);
        Assert.Equal(Target("events-prod-123", null), Of(choice.PubSub));
    }

    [Fact]
    public void The_caller_wins_over_configuration_which_wins_over_the_variables()
    {
        _variables[PubSubOptions.EmulatorHostVariable] = "127.0.0.1:1001";
        _variables[PubSubOptions.ProjectIdVariable] = "demo-variable";
        Assert.Equal(Target("demo-variable", "127.0.0.1:1001"), Of(Resolve().PubSub));

        _settings[SeedingStores.PubSubEmulatorHostKey] = "127.0.0.1:1002";
        _settings[SeedingStores.PubSubProjectIdKey] = "demo-configured";
        Assert.Equal(Target("demo-configured", "127.0.0.1:1002"), Of(Resolve().PubSub));

        var overrides = new SeedingStoreOverrides
        {
            PubSubEmulatorHost = new CloudSetting("127.0.0.1:1003", "--pubsub-emulator-host"),
            PubSubProjectId = new CloudSetting("demo-option", "--pubsub-project"),
        };
        Assert.Equal(Target("demo-option", "127.0.0.1:1003"), Of(Resolve(overrides).PubSub));
    }

    [Theory]
    [InlineData(PubSubOptions.EmulatorHostVariable, "", "PUBSUB_EMULATOR_HOST is set but blank")]
    [InlineData(PubSubOptions.EmulatorHostVariable, "http://127.0.0.1:8085", "PUBSUB_EMULATOR_HOST is 'http://127.0.0.1:8085': it has a scheme")]
    [InlineData(PubSubOptions.EmulatorHostVariable, "127.0.0.1", "PUBSUB_EMULATOR_HOST is '127.0.0.1': it has no port")]
    [InlineData(PubSubOptions.ProjectIdVariable, " ", "PUBSUB_PROJECT_ID is set but blank")]
    [InlineData(PubSubOptions.ProjectIdVariable, "Bad_Project", "PUBSUB_PROJECT_ID is 'Bad_Project'")]
    public void A_blank_or_malformed_variable_is_refused_by_name(string variable, string value, string message)
    {
        _variables[variable] = value;
        var error = Refused();
        Assert.Equal(variable, error.Setting);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(PubSubOptions.EmulatorHostVariable, "127.0.0.1", "it has no port")]
    [InlineData(PubSubOptions.ProjectIdVariable, "Bad_Project", "a project id is lowercase letters")]
    public void A_bad_pub_sub_value_is_a_pub_sub_setting_error_not_a_firestore_one(string variable, string value, string problem)
    {
        _variables[variable] = value;
        var error = Refused();
        Assert.Equal(variable, error.Setting);
        Assert.Contains(problem, error.Message);
        Assert.Contains("Pub/Sub", error.Message);
        Assert.DoesNotContain("Firestore", error.Message);
        Assert.IsNotType<CloudSettingException>(error.InnerException);
    }

    [Fact]
    public void The_target_has_one_name_the_admin_and_the_output_share()
    {
        _variables[PubSubOptions.EmulatorHostVariable] = "127.0.0.1:8085";
        var choice = Resolve();
        using var admin = Assert.IsType<PubSubAdmin>(choice.CreatePubSub());
        Assert.Equal(choice.PubSubDisplayName, admin.Name);
        Assert.Equal(choice.PubSub!.DisplayName, admin.Name);
    }

    [Fact]
    public void A_malformed_configuration_key_is_refused_by_name()
    {
        _settings[SeedingStores.PubSubEmulatorHostKey] = "127.0.0.1:99999";
        var error = Refused();
        Assert.Equal(SeedingStores.PubSubEmulatorHostKey, error.Setting);
        Assert.Contains("'99999' is not a port", error.Message);
    }

    [Fact]
    public void Requiring_pub_sub_with_no_project_anywhere_is_a_configuration_error_and_configure_can_supply_it()
    {
        var error = Refused(new SeedingStoreOverrides { RequirePubSub = true });
        Assert.Equal(SeedingStores.PubSubProjectIdKey, error.Setting);
        Assert.Contains("Pub/Sub needs a project", error.Message);
        Assert.Contains(PubSubOptions.EmulatorHostVariable, error.Message);

        var configured = Resolve(new SeedingStoreOverrides { RequirePubSub = true, ConfigurePubSub = o => { o.ProjectId = "events-prod-123"; o.MaxAttempts = 2; } });
        Assert.Equal(("events-prod-123", (string?)null, 2), (configured.PubSub!.ProjectId, configured.PubSub.EmulatorHost, configured.PubSub.MaxAttempts));
    }

    [Fact]
    public async Task UsePubSub_without_any_pub_sub_setting_stops_the_host_naming_the_setting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root });
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create(HostStoreTests.ThrowOnFailure.Key, (string?)HostStoreTests.ThrowOnFailure.Value)]);
        builder.Services.AddSeeding(HostStoreTests.Seeds()).UsePubSub();
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<SeedingConfigurationException>(() => host.StartAsync());
        Assert.Contains("Pub/Sub needs a project", error.Message);
    }
}
