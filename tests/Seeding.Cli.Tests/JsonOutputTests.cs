using System.Text.Json;
using Seeding.Definitions;

namespace Seeding.Cli.Tests;

public sealed class JsonOutputTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Migrate_json_has_the_documented_shape()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--output", "json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(
            ["schemaVersion", "command", "exitCode", "dryRun", "store", "environment", "phases", "services", "totals", "error", "pubSub", "waitForIndexes"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("migrate", root.GetProperty("command").GetString());
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());
        Assert.False(root.GetProperty("dryRun").GetBoolean());
        Assert.StartsWith("sqlite:", root.GetProperty("store").GetString());
        Assert.Equal(["pre", "bootstrap", "post"], root.GetProperty("phases").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("pubSub").ValueKind);
        Assert.False(root.GetProperty("waitForIndexes").GetBoolean());

        var service = Assert.Single(root.GetProperty("services").EnumerateArray());
        Assert.Equal(["service", "status", "error", "durationMs", "seeds", "retries", "writeRampActive", "writeRampWaitMs"], service.EnumerateObject().Select(p => p.Name));
        Assert.Equal("catalog", service.GetProperty("service").GetString());
        Assert.Equal("ok", service.GetProperty("status").GetString());

        var seeds = service.GetProperty("seeds").EnumerateArray().ToArray();
        Assert.Equal(["0001_roles", "0002_plans", "system_account", "0001_flags"], seeds.Select(s => s.GetProperty("id").GetString()));
        var roles = seeds[0];
        Assert.Equal(
            ["id", "phase", "source", "description", "outcome", "created", "skipped", "updated", "durationMs", "skippedSteps", "plan", "error", "resources", "planOmitted"],
            roles.EnumerateObject().Select(p => p.Name));
        Assert.Equal("pre", roles.GetProperty("phase").GetString());
        Assert.Equal("migrations/pre/0001_roles.yaml", roles.GetProperty("source").GetString());
        Assert.Equal("applied", roles.GetProperty("outcome").GetString());
        Assert.Equal(2, roles.GetProperty("created").GetInt32());
        var first = roles.GetProperty("plan")[0];
        Assert.Equal("catalog_roles/admin", first.GetProperty("path").GetString());
        Assert.Equal("create", first.GetProperty("action").GetString());
        Assert.Equal(4, first.GetProperty("line").GetInt32());
        Assert.Equal("ensured", seeds[2].GetProperty("outcome").GetString());

        var totals = root.GetProperty("totals");
        Assert.Equal(
            ["services", "seedFiles", "applied", "alreadyApplied", "created", "skipped", "updated", "durationMs", "failed", "retries", "writeRampActive", "writeRampWaitMs", "resources", "cancelled"],
            totals.EnumerateObject().Select(p => p.Name));
        Assert.Equal(7, totals.GetProperty("created").GetInt32());

        var again = JsonDocument.Parse((await _workspace.RunAsync([TestServices.Catalog()], "migrate", "-o", "json")).Output).RootElement;
        Assert.Equal(3, again.GetProperty("totals").GetProperty("alreadyApplied").GetInt32());
        Assert.Equal("already_applied", again.GetProperty("services")[0].GetProperty("seeds")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Plan_json_marks_the_dry_run_and_its_skips()
    {
        await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "bootstrap");
        var result = await _workspace.RunAsync([TestServices.Catalog()], "plan", "--output", "json");
        var root = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("plan", root.GetProperty("command").GetString());
        Assert.True(root.GetProperty("dryRun").GetBoolean());
        var bootstrap = root.GetProperty("services")[0].GetProperty("seeds").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "system_account");
        Assert.Equal("planned", bootstrap.GetProperty("outcome").GetString());
        Assert.Equal("skip_exists", bootstrap.GetProperty("plan")[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task Drift_in_json_names_the_error_and_the_stopped_services()
    {
        await _workspace.RunAsync([TestServices.Catalog("tenant")], "migrate");
        ServiceSeeds[] edited = [TestServices.Catalog("tenant", rolesChecksum: "sha256:roles-v2"), TestServices.Small("user", "tenant")];

        var result = await _workspace.RunAsync(edited, "migrate", "--all", "--output", "json");
        Assert.Equal(ExitCodes.Drift, result.ExitCode);
        var root = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(3, root.GetProperty("exitCode").GetInt32());
        Assert.Equal("drift", root.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal(["drifted", "not_run"], root.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Status_json_lists_states_and_totals()
    {
        await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "pre");
        var result = await _workspace.RunAsync([TestServices.Catalog(rolesChecksum: "sha256:roles-v2")], "verify", "--output", "json");
        Assert.Equal(ExitCodes.Drift, result.ExitCode);
        var root = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(["schemaVersion", "command", "exitCode", "store", "services", "totals", "error"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("verify", root.GetProperty("command").GetString());
        var migrations = root.GetProperty("services")[0].GetProperty("migrations").EnumerateArray().ToArray();
        Assert.Equal(["drifted", "applied", "pending"], migrations.Select(m => m.GetProperty("state").GetString()));
        Assert.Equal("sha256:roles-v1", migrations[0].GetProperty("appliedChecksum").GetString());
        Assert.Equal("sha256:roles-v2", migrations[0].GetProperty("checksum").GetString());
        Assert.NotNull(migrations[0].GetProperty("appliedAt").GetString());
        Assert.Equal(JsonValueKind.Null, migrations[2].GetProperty("appliedAt").ValueKind);
        var totals = root.GetProperty("totals");
        Assert.Equal((1, 1, 1), (totals.GetProperty("applied").GetInt32(), totals.GetProperty("pending").GetInt32(), totals.GetProperty("drifted").GetInt32()));
    }

    [Fact]
    public async Task Usage_errors_in_json_mode_still_print_one_json_document()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--service", "nope", "--output", "json");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var root = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(2, root.GetProperty("exitCode").GetInt32());
        Assert.Equal("usage", root.GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("Unknown service 'nope'", root.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Every_json_document_names_the_store_it_writes_to()
    {
        async Task<JsonElement> Run(params string[] args) => JsonDocument.Parse((await _workspace.RunAsync([TestServices.Catalog()], args)).Output).RootElement;

        Assert.Equal("sqlite:.seeding/seeding.db", (await Run("migrate", "-o", "json")).GetProperty("store").GetString());
        Assert.Equal("sqlite:data/other.db", (await Run("plan", "--database", "data/other.db", "-o", "json")).GetProperty("store").GetString());
        Assert.Equal("in-memory", (await Run("migrate", "--store", "memory", "-o", "json")).GetProperty("store").GetString());
        Assert.Equal("sqlite:.seeding/seeding.db", (await Run("status", "-o", "json")).GetProperty("store").GetString());

        // An error document has the field too: null before a store was opened.
        var usage = await Run("migrate", "--service", "nope", "-o", "json");
        Assert.Equal(["schemaVersion", "command", "exitCode", "store", "error"], usage.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, usage.GetProperty("store").ValueKind);
    }
}
