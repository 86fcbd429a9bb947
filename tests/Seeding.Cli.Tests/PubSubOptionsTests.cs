using System.Text.Json;
using Seeding.Cli.Stores;
using Seeding.PubSub;

namespace Seeding.Cli.Tests;

/// <summary>
/// The Pub/Sub options of migrate and plan: --pubsub-emulator-host and --pubsub-project win over the host's
/// configuration keys (Seeding__PubSub__*), which win over PUBSUB_EMULATOR_HOST and PUBSUB_PROJECT_ID; bad values are
/// usage errors naming them; the run names its Pub/Sub target; --wait-for-indexes reaches the run request.
/// </summary>
public sealed class PubSubOptionsTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private CommandContext Context() => new(
        new SeedingCommandLineOptions { EnvironmentVariables = _workspace.Environment.GetValueOrDefault, WorkingDirectory = _workspace.Directory },
        TextWriter.Null,
        TextWriter.Null);

    private PubSubOptions? Resolve(string? emulatorHost = null, string? project = null) =>
        StoreSettings.Resolve(null, null, null, null, null, Context(), emulatorHost, project).Choice.PubSub;

    // The resolved target as (project, emulator host): what the resolver decides, compared by value.
    private static (string Project, string? EmulatorHost) Target(string project, string? emulatorHost) => (project, emulatorHost);

    private static (string Project, string? EmulatorHost)? Of(PubSubOptions? options) => options is null ? null : (options.ProjectId, options.EmulatorHost);

    [Fact]
    public void Options_win_over_configuration_keys_which_win_over_the_variables()
    {
        Assert.Null(Resolve());

        _workspace.Environment["PUBSUB_EMULATOR_HOST"] = "127.0.0.1:1001";
        _workspace.Environment["PUBSUB_PROJECT_ID"] = "demo-variable";
        Assert.Equal(Target("demo-variable", "127.0.0.1:1001"), Of(Resolve()));

        _workspace.Environment["Seeding__PubSub__EmulatorHost"] = "127.0.0.1:1002";
        _workspace.Environment["Seeding__PubSub__ProjectId"] = "demo-configured";
        Assert.Equal(Target("demo-configured", "127.0.0.1:1002"), Of(Resolve()));

        Assert.Equal(Target("demo-option", "127.0.0.1:1003"), Of(Resolve("127.0.0.1:1003", "demo-option")));
    }

    [Fact]
    public void The_firestore_project_is_the_default_project()
    {
        var production = StoreSettings.Resolve(null, null, "shop-prod-123", null, null, Context()).Choice;
        Assert.Equal(Target("shop-prod-123", null), Of(production.PubSub));

        var emulators = StoreSettings.Resolve(null, null, "demo-shop", null, "127.0.0.1:8080", Context(), "127.0.0.1:8085").Choice;
        Assert.Equal(Target("demo-shop", "127.0.0.1:8085"), Of(emulators.PubSub));

        // The Firestore emulator alone: no Pub/Sub target, never production Pub/Sub.
        Assert.Null(StoreSettings.Resolve(null, null, "demo-shop", null, "127.0.0.1:8080", Context()).Choice.PubSub);
    }

    [Theory]
    [InlineData("--pubsub-emulator-host is 'localhost'", "plan", "--pubsub-emulator-host", "localhost")]
    [InlineData("--pubsub-project is 'No_Such'", "migrate", "--pubsub-emulator-host", "127.0.0.1:8085", "--pubsub-project", "No_Such")]
    public async Task A_malformed_option_is_a_usage_error_naming_it_before_anything_is_opened(string message, params string[] args)
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], args);
        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains(message, result.Error);
        Assert.False(File.Exists(_workspace.DefaultDatabase));
    }

    [Theory]
    [InlineData("PUBSUB_EMULATOR_HOST", " ", "PUBSUB_EMULATOR_HOST is set but blank")]
    [InlineData("PUBSUB_PROJECT_ID", "", "PUBSUB_PROJECT_ID is set but blank")]
    [InlineData("Seeding__PubSub__EmulatorHost", "http://127.0.0.1:8085", "Seeding:PubSub:EmulatorHost is 'http://127.0.0.1:8085': it has a scheme")]
    public async Task A_blank_or_malformed_variable_is_a_usage_error_naming_it(string variable, string value, string message)
    {
        _workspace.Environment[variable] = value;
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--output", "json");
        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains(message, result.Error);
        Assert.Equal("usage", JsonDocument.Parse(result.Output).RootElement.GetProperty("error").GetProperty("kind").GetString());
        Assert.False(File.Exists(_workspace.DefaultDatabase));
    }

    [Fact]
    public async Task Help_teaches_the_pub_sub_options_and_wait_for_indexes()
    {
        var migrate = (await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--help")).Output;
        Assert.Contains("--pubsub-emulator-host", migrate);
        Assert.Contains("PUBSUB_EMULATOR_HOST", migrate);
        Assert.Contains("--pubsub-project", migrate);
        Assert.Contains("PUBSUB_PROJECT_ID", migrate);
        Assert.Contains("--wait-for-indexes", migrate);

        var plan = (await _workspace.RunAsync([TestServices.Catalog()], "plan", "--help")).Output;
        Assert.Contains("--pubsub-emulator-host", plan);
        Assert.DoesNotContain("--wait-for-indexes", plan);

        var refused = await _workspace.RunAsync([TestServices.Catalog()], "plan", "--wait-for-indexes");
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
    }

    [Fact]
    public async Task Wait_for_indexes_is_carried_into_the_run_and_said()
    {
        var json = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--wait-for-indexes", "--output", "json");
        Assert.True(json.ExitCode == ExitCodes.Ok, json.ToString());
        Assert.True(JsonDocument.Parse(json.Output).RootElement.GetProperty("waitForIndexes").GetBoolean());

        var text = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--wait-for-indexes");
        Assert.Contains(", waiting for index builds.", text.Output.Split('\n')[0]);

        var without = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--output", "json");
        Assert.False(JsonDocument.Parse(without.Output).RootElement.GetProperty("waitForIndexes").GetBoolean());
    }
}
