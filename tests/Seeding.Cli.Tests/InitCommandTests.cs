using System.Text.Json;

namespace Seeding.Cli.Tests;

public sealed class InitCommandTests : IDisposable
{
    private const string SchemaBase = "https://raw.githubusercontent.com/seeding-dev/seeding/main/docs/schema/";

    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string At(string relative) => Path.Combine(_workspace.Directory, relative);

    private void Project(string name, string content = "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />\n") => File.WriteAllText(At(name + ".csproj"), content);

    [Fact]
    public async Task Init_writes_the_settings_the_folders_and_the_first_migration_and_says_what_is_still_needed()
    {
        Project("Orders.Api");
        var result = await _workspace.RunAsync([], "init");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());

        var settings = File.ReadAllText(At("seeding.yaml"));
        Assert.StartsWith($"# yaml-language-server: $schema={SchemaBase}seeding.schema.json\n", settings);
        Assert.Contains("\nservice: orders.api\n", settings);
        Assert.Contains("\ndepends_on: []\n", settings);
        Assert.True(Directory.Exists(At("migrations/post")));
        Assert.True(Directory.Exists(At("bootstrap")));

        // The first migration is exactly what 'new' writes.
        var first = File.ReadAllText(At("migrations/pre/0001_initial_data.yaml"));
        Assert.Equal(Commands.NewCommand.Template("0001_initial_data", "initial_data", "pre"), first);
        Assert.StartsWith($"# yaml-language-server: $schema={SchemaBase}seed-file.schema.json\n", first);

        Assert.Contains("created seeding.yaml", result.Output);
        Assert.Contains("created migrations/pre/0001_initial_data.yaml", result.Output);
        Assert.Contains("dotnet add package Seeding.Hosting", result.Output);
        Assert.Contains("builder.Services.AddSeeding();", result.Output);
    }

    [Fact]
    public async Task A_project_that_references_the_hosting_package_is_told_only_the_code_line()
    {
        Project("Billing", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><ItemGroup><PackageReference Include=\"Seeding.Hosting\" Version=\"1.0.0\" /></ItemGroup></Project>\n");
        var result = await _workspace.RunAsync([], "init", "--service", "billing-core", "--migration", "default-plans");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.DoesNotContain("dotnet add package", result.Output);
        Assert.Contains("builder.Services.AddSeeding();", result.Output);
        Assert.Contains("\nservice: billing-core\n", File.ReadAllText(At("seeding.yaml")));
        Assert.True(File.Exists(At("migrations/pre/0001_default_plans.yaml")));
    }

    [Theory]
    [InlineData("seeding.yaml", false)]
    [InlineData("migrations", true)]
    [InlineData("bootstrap", true)]
    public async Task Init_refuses_to_overwrite_and_writes_nothing(string existing, bool isFolder)
    {
        Project("Orders");
        if (isFolder)
        {
            Directory.CreateDirectory(At(existing));
        }
        else
        {
            File.WriteAllText(At(existing), "service: mine\n");
        }

        var before = Directory.EnumerateFileSystemEntries(_workspace.Directory, "*", SearchOption.AllDirectories).Order().ToArray();
        var result = await _workspace.RunAsync([], "init");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains($"{existing}{(isFolder ? "/" : string.Empty)} exists", result.Error);
        Assert.Contains("Nothing was written", result.Error);
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(_workspace.Directory, "*", SearchOption.AllDirectories).Order().ToArray());
        if (!isFolder)
        {
            Assert.Equal("service: mine\n", File.ReadAllText(At(existing)));
        }
    }

    [Fact]
    public async Task A_folder_without_a_project_is_refused_with_what_to_do()
    {
        var result = await _workspace.RunAsync([], "init");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("has no .csproj", result.Error);
        Assert.Contains("dotnet new web", result.Error);
        Assert.False(File.Exists(At("seeding.yaml")));
    }

    [Fact]
    public async Task A_bad_service_name_is_refused()
    {
        Project("Orders");
        var result = await _workspace.RunAsync([], "init", "--service", "-bad name");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("is not a service name", result.Error);
        Assert.False(File.Exists(At("seeding.yaml")));
    }

    [Fact]
    public async Task Json_output_lists_what_was_created()
    {
        Project("Orders");
        var result = await _workspace.RunAsync([], "--output", "json", "init");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("init", json.RootElement.GetProperty("command").GetString());
        Assert.Equal("orders", json.RootElement.GetProperty("service").GetString());
        Assert.Equal(
            ["seeding.yaml", "migrations/pre/0001_initial_data.yaml", "migrations/post/", "bootstrap/"],
            json.RootElement.GetProperty("created").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task Help_teaches_what_init_writes_and_that_it_never_overwrites()
    {
        var result = await _workspace.RunAsync([], "init", "--help");
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("seeding.yaml", result.Output);
        Assert.Contains("Never overwrites", result.Output);
        Assert.Contains("--service-dir", result.Output);
        Assert.Contains("--migration", result.Output);
        Assert.Contains("init --service orders -d src/Orders", result.Output);
    }
}
