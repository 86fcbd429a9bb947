using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seeding.Cli.Tests;

public sealed class InitCommandTests : IDisposable
{
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
        // Editors find the schemas offline: the copies in .seeding/schema/, by a path relative to each file.
        Assert.StartsWith("# yaml-language-server: $schema=.seeding/schema/seeding.schema.json\n", settings);
        Assert.Contains("\nservice: orders.api\n", settings);
        Assert.Contains("\ndepends_on: []\n", settings);
        Assert.True(Directory.Exists(At("migrations/post")));
        Assert.True(Directory.Exists(At("bootstrap")));

        // The first migration is exactly what 'new' writes.
        var first = File.ReadAllText(At("migrations/pre/0001_initial_data.yaml"));
        Assert.Equal(Commands.NewCommand.Template("0001_initial_data", "initial_data", "pre", "# yaml-language-server: $schema=../../.seeding/schema/seed-file.schema.json\n"), first);
        Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "schema", "seed-file.schema.json")), File.ReadAllText(At(".seeding/schema/seed-file.schema.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "schema", "seeding.schema.json")), File.ReadAllText(At(".seeding/schema/seeding.schema.json")));

        // The local store stays out of git, the schema copies go in.
        Assert.Equal(["*.db", "*.db-*"], File.ReadAllLines(At(".seeding/.gitignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray());

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
            [
                "seeding.yaml", "migrations/pre/0001_initial_data.yaml", "migrations/post/", "bootstrap/",
                ".seeding/schema/seed-file.schema.json", ".seeding/schema/seeding.schema.json", ".seeding/.gitignore", ".vscode/settings.json",
            ],
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

    [Fact]
    public async Task Init_says_how_bootstrap_and_each_migration_phase_run()
    {
        Project("Orders");
        var result = await _workspace.RunAsync([], "init");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var output = result.Output;
        Assert.Contains("1. Edit migrations/pre/0001_initial_data.yaml (the build reports it until it declares a step), then build.", output);
        Assert.Contains("2. Bootstrap seeds (bootstrap/*.yaml) are ensured on every start of the host: builder.Services.AddSeeding(); runs them before the app serves.", output);
        Assert.Contains("3. Migrations are not applied by a plain start (it runs bootstrap only), so they stay pending until you apply them:", output);
        Assert.Contains("seeding migrate --phase pre     before deploying the new version", output);
        Assert.Contains("seeding migrate --phase post    after the new version is deployed", output);
        Assert.Contains("A host applies them on start with MIGRATION_PHASE=pre, post or all (Seeding:ApplyPreDeployMigrations=true applies pre);", output);
        Assert.Contains("in CI or a Makefile, run the commands above around the deploy.", output);
        Assert.Contains("4. seeding status    applied, pending and drifted migrations of this project", output);

        // The steps come after what the project still needs.
        Assert.True(output.IndexOf("Still needed:", StringComparison.Ordinal) < output.IndexOf("Next:", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task Init_writes_vs_code_settings_that_map_the_seed_files_to_the_schema_copies()
    {
        Project("Orders");
        var result = await _workspace.RunAsync([], "init");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("created .vscode/settings.json", result.Output);
        var settings = JsonNode.Parse(File.ReadAllText(At(".vscode/settings.json")))!;
        var schemas = settings["yaml.schemas"]!.AsObject();
        Assert.Equal(["migrations/**/*.yaml", "bootstrap/**/*.yaml"], schemas["./.seeding/schema/seed-file.schema.json"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray());
        Assert.Equal(["seeding.yaml"], schemas["./.seeding/schema/seeding.schema.json"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray());
        Assert.Contains("!env:safe scalar", settings["yaml.customTags"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Existing_plain_vs_code_settings_are_merged_and_keep_their_other_settings()
    {
        Project("Orders");
        Directory.CreateDirectory(At(".vscode"));
        File.WriteAllText(At(".vscode/settings.json"), "{ \"editor.tabSize\": 4, \"yaml.schemas\": { \"./other.json\": \"other/*.yaml\" } }");
        var result = await _workspace.RunAsync([], "init");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("updated .vscode/settings.json (yaml.schemas and yaml.customTags for the seed files; your other settings kept)", result.Output);
        var settings = JsonNode.Parse(File.ReadAllText(At(".vscode/settings.json")))!;
        Assert.Equal(4, settings["editor.tabSize"]!.GetValue<int>());
        Assert.Equal("other/*.yaml", settings["yaml.schemas"]!["./other.json"]!.GetValue<string>());
        Assert.NotNull(settings["yaml.schemas"]!["./.seeding/schema/seed-file.schema.json"]);
    }

    [Fact]
    public async Task Vs_code_settings_with_comments_are_left_alone_and_init_says_what_to_add()
    {
        Project("Orders");
        Directory.CreateDirectory(At(".vscode"));
        const string Mine = "{\n  // my settings\n  \"editor.tabSize\": 4,\n}\n";
        File.WriteAllText(At(".vscode/settings.json"), Mine);
        var result = await _workspace.RunAsync([], "init");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(Mine, File.ReadAllText(At(".vscode/settings.json")));
        Assert.Contains("left .vscode/settings.json as it is (it has comments", result.Output);
        Assert.Contains("\"./.seeding/schema/seed-file.schema.json\": [", result.Output);
    }
}
