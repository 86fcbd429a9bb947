using System.Text.Json;
using Seeding.Definitions;

namespace Seeding.Cli.Tests;

/// <summary>
/// <c>seeding indexes --file</c>: every declared composite index and field override, in the Firebase CLI's index file
/// format, sorted, duplicates once, a field declared twice merged in run order; --service narrows; bad use exits 2.
/// </summary>
public sealed class IndexesCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static ServiceSeeds[] Services => [ResourceServices.Admin(), ResourceServices.Users(), ResourceServices.Events(), TestServices.Catalog()];

    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", name)).Replace("\r\n", "\n");

    [Fact]
    public async Task Every_service_s_indexes_are_written_sorted_once_each_in_the_firebase_format()
    {
        var result = await _workspace.RunAsync(Services, "indexes", "--file", "deploy/firestore.indexes.json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("Wrote deploy/firestore.indexes.json: 3 indexes, 2 field overrides from users, admin, catalog, events.\n", result.Output);

        var written = await File.ReadAllTextAsync(Path.Combine(_workspace.Directory, "deploy", "firestore.indexes.json"));
        IndexFileFormat.AssertValid(written);
        Assert.Equal(Golden("hand-built.indexes.json"), written);
        Assert.EndsWith("}\n", written);
        Assert.DoesNotContain("\r", written);
    }

    [Fact]
    public async Task The_same_services_in_another_order_give_the_same_file()
    {
        var first = await _workspace.RunAsync(Services, "indexes", "--file", "-");
        var second = await _workspace.RunAsync(Services.Reverse().ToArray(), "indexes", "--file", "-");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(Golden("hand-built.indexes.json"), first.Output);
    }

    [Fact]
    public async Task A_field_declared_twice_gets_the_settings_applying_both_in_run_order_leaves()
    {
        var result = await _workspace.RunAsync(Services, "indexes", "--file", "-");
        using var json = JsonDocument.Parse(result.Output);
        var sessions = json.RootElement.GetProperty("fieldOverrides").EnumerateArray().Single(f => f.GetProperty("collectionGroup").GetString() == "sessions");
        // users turns TTL on; admin (after it, depends_on users) declares the indexes and leaves TTL as it is.
        Assert.True(sessions.GetProperty("ttl").GetBoolean());
        Assert.Equal(
            ["ASCENDING COLLECTION_GROUP", "DESCENDING COLLECTION"],
            sessions.GetProperty("indexes").EnumerateArray().Select(i => $"{i.GetProperty("order").GetString()} {i.GetProperty("queryScope").GetString()}"));
    }

    [Fact]
    public async Task Field_names_that_are_not_simple_identifiers_are_written_quoted_as_firestore_reads_them()
    {
        var tenants = new ServiceSeeds("tenants", [], [new SeedDefinition("0001_indexes", SeedPhase.Pre, "sha256:tenants", "migrations/pre/0001_indexes.yaml", "Tenants",
        [
            SeedStep.Index(2, new Seeding.Resources.IndexSpec("members", Seeding.Resources.IndexScope.Collection,
                [new Seeding.Resources.IndexField("tenant-id", Seeding.Resources.IndexOrder.Ascending), new Seeding.Resources.IndexField("profile.1st", Seeding.Resources.IndexOrder.Descending)])),
            SeedStep.FieldOverride(7, new Seeding.Resources.FieldOverrideSpec("members", "expires-at") { Ttl = true }),
        ])]);

        var result = await _workspace.RunAsync([tenants], "indexes", "--file", "-");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        IndexFileFormat.AssertValid(result.Output);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(
            ["`tenant-id`", "profile.`1st`"],
            json.RootElement.GetProperty("indexes")[0].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("fieldPath").GetString()));
        Assert.Equal("`expires-at`", json.RootElement.GetProperty("fieldOverrides")[0].GetProperty("fieldPath").GetString());
    }

    [Fact]
    public async Task Service_narrows_the_file_to_that_service_s_declarations()
    {
        var result = await _workspace.RunAsync(Services, "indexes", "--file", "-", "--service", "users");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        IndexFileFormat.AssertValid(result.Output);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(["users", "users"], json.RootElement.GetProperty("indexes").EnumerateArray().Select(i => i.GetProperty("collectionGroup").GetString()));
        // Undeclared indexes are written as Firestore's automatic ones: the format requires the list.
        var sessions = Assert.Single(json.RootElement.GetProperty("fieldOverrides").EnumerateArray());
        Assert.Equal(3, sessions.GetProperty("indexes").GetArrayLength());
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task A_service_without_indexes_gives_empty_lists_and_says_so()
    {
        var result = await _workspace.RunAsync(Services, "indexes", "--file", "-", "--service", "catalog");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("{\n  \"indexes\": [],\n  \"fieldOverrides\": []\n}\n", result.Output);
        Assert.Contains("catalog declare no index or field_override steps", result.Error);
    }

    [Fact]
    public async Task Json_output_summarises_what_was_written()
    {
        var result = await _workspace.RunAsync(Services, "indexes", "--file", "firestore.indexes.json", "--output", "json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(["schemaVersion", "command", "exitCode", "path", "services", "indexes", "fieldOverrides", "error"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("firestore.indexes.json", root.GetProperty("path").GetString());
        Assert.Equal(3, root.GetProperty("indexes").GetInt32());
        Assert.Equal(2, root.GetProperty("fieldOverrides").GetInt32());
        Assert.True(File.Exists(Path.Combine(_workspace.Directory, "firestore.indexes.json")));
    }

    [Theory]
    [InlineData("Unknown service 'nobody'", "indexes", "--file", "-", "--service", "nobody")]
    [InlineData("--file", "indexes")]
    [InlineData("standard output", "indexes", "--file", "-", "--output", "json")]
    [InlineData("--file is blank", "indexes", "--file", " ")]
    public async Task Bad_use_exits_2_with_a_clear_message_and_writes_nothing(string message, params string[] args)
    {
        var result = await _workspace.RunAsync(Services, args);
        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("\"fieldOverrides\"", result.Output);
        Assert.Empty(Directory.GetFiles(_workspace.Directory, "*.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_existing_file_is_replaced_whole()
    {
        var path = Path.Combine(_workspace.Directory, "firestore.indexes.json");
        await File.WriteAllTextAsync(path, new string('x', 100_000));
        var result = await _workspace.RunAsync(Services, "indexes", "--file", "firestore.indexes.json", "--service", "admin");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        IndexFileFormat.AssertValid(await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(_workspace.Directory));
    }

    [Fact]
    public async Task Help_teaches_the_command()
    {
        var result = await _workspace.RunAsync(Services, "indexes", "--help");
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("--file", result.Output);
        Assert.Contains("firestore.indexes.json", result.Output);
        Assert.Contains("--service", result.Output);
        Assert.Contains("indexes", (await _workspace.RunAsync(Services, "--help")).Output);
    }
}
