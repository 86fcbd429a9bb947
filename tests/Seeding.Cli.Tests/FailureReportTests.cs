using System.Text.Json;
using Seeding.Definitions;

namespace Seeding.Cli.Tests;

/// <summary>When a run goes wrong, the output says what failed, where, and what the run had already done.</summary>
public sealed class FailureReportTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_migration_failing_mid_run_is_named_with_what_was_applied_before_it()
    {
        var result = await _workspace.RunAsync([FailingServices.Accounts()], "migrate");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Matches(@"accounts\s+pre/0001_roles\s+applied\s+2\s+0\s+0", result.Output);
        Assert.Matches(@"accounts\s+pre/0002_import\s+failed\s+3\s+0\s+0", result.Output);
        Assert.DoesNotContain("post/0001_flags", result.Output);
        Assert.Contains("Total: 1 service, 2 seed files (1 applied, 0 already applied, 1 failed): 5 created", result.Output);
        Assert.Contains(
            "Failed: accounts pre/0002_import (Migrations/Pre/0002_import.cs, code): InvalidOperationException: the legacy table has no column 'email'",
            result.Output);
        Assert.Contains("pre/0002_import is still pending", result.Output);
        Assert.Contains("error: accounts: Seeding accounts failed at pre/0002_import", result.Error);
        Assert.Contains("Applied before it in this run: pre/0001_roles", result.Error);

        // What the output claims is what the store holds: the first migration recorded, the failed one still pending.
        var status = await _workspace.RunAsync([FailingServices.Accounts()], "status");
        Assert.Contains("3 migrations: 1 applied, 2 pending, 0 drifted", status.Output);
    }

    [Fact]
    public async Task A_migration_failing_mid_run_is_in_the_json_with_its_step_and_what_was_applied()
    {
        var result = await _workspace.RunAsync([FailingServices.Accounts()], "migrate", "--output", "json");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        var root = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());
        var service = Assert.Single(root.GetProperty("services").EnumerateArray());
        Assert.Equal("failed", service.GetProperty("status").GetString());
        var seeds = service.GetProperty("seeds").EnumerateArray().ToArray();
        Assert.Equal(["0001_roles", "0002_import"], seeds.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal("applied", seeds[0].GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, seeds[0].GetProperty("error").ValueKind);
        var failed = seeds[1];
        Assert.Equal("failed", failed.GetProperty("outcome").GetString());
        Assert.Equal("Migrations/Pre/0002_import.cs", failed.GetProperty("source").GetString());
        Assert.Equal(3, failed.GetProperty("created").GetInt32());
        Assert.Equal(["accounts/a1", "accounts/a2", "accounts/a3"], failed.GetProperty("plan").EnumerateArray().Select(p => p.GetProperty("path").GetString()));
        var error = failed.GetProperty("error");
        Assert.Equal(["step", "line", "type", "message"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal("code", error.GetProperty("step").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("line").ValueKind);
        Assert.Equal("InvalidOperationException", error.GetProperty("type").GetString());
        Assert.Equal("the legacy table has no column 'email'", error.GetProperty("message").GetString());

        var totals = root.GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("services").GetInt32());
        Assert.Equal(2, totals.GetProperty("seedFiles").GetInt32());
        Assert.Equal(1, totals.GetProperty("applied").GetInt32());
        Assert.Equal(1, totals.GetProperty("failed").GetInt32());
        Assert.Equal(5, totals.GetProperty("created").GetInt32());
        Assert.Equal("failure", root.GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("pre/0002_import", root.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_failing_yaml_step_is_named_with_its_line()
    {
        // A match step whose document lacks the match field fails in the runtime, at the step's line.
        var broken = new ServiceSeeds("shop", [],
        [
            TestServices.Create("0001_roles", SeedPhase.Pre, "shop_roles", "sha256:roles", "admin"),
            new SeedDefinition("0002_match", SeedPhase.Pre, "sha256:match", "migrations/pre/0002_match.yaml", null,
                [SeedStep.CreateMatching("users", 6, [TestServices.Document("x", 8, ("name", "x"))], ["email"], "{hash:12}")]),
        ]);

        var result = await _workspace.RunAsync([broken], "migrate", "--store", "memory");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.True(result.Output.Contains("Failed: shop pre/0002_match (migrations/pre/0002_match.yaml:6, create (match) users): InvalidOperationException: migrations/pre/0002_match.yaml:8: the document has no value for match field 'email'", StringComparison.Ordinal), result.ToString());
        Assert.Matches(@"shop\s+pre/0001_roles\s+applied\s+1", result.Output);
    }
}

public sealed class PendingPreDeployTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Post_phase_refuses_while_pre_deploy_migrations_are_pending_and_writes_nothing()
    {
        ServiceSeeds[] services = [TestServices.Catalog()];

        var result = await _workspace.RunAsync(services, "migrate", "--phase", "post");

        Assert.True(result.ExitCode == ExitCodes.PendingPreDeploy, result.ToString());
        Assert.Equal(5, ExitCodes.PendingPreDeploy);
        Assert.Matches(@"catalog\s+-\s+refused: pre-deploy pending", result.Output);
        Assert.Contains("error: catalog: 2 pre-deploy migrations are pending: pre/0001_roles, pre/0002_plans.", result.Error);
        Assert.Contains("--phase pre", result.Error);
        Assert.Contains("--allow-pending-pre", result.Error);
        var status = await _workspace.RunAsync(services, "status");
        Assert.Contains("3 migrations: 0 applied, 3 pending, 0 drifted", status.Output);
    }

    [Fact]
    public async Task Post_phase_runs_once_pre_is_applied_or_when_explicitly_allowed()
    {
        ServiceSeeds[] services = [TestServices.Catalog()];

        var allowed = await _workspace.RunAsync(services, "migrate", "--phase", "post", "--allow-pending-pre");
        Assert.True(allowed.ExitCode == ExitCodes.Ok, allowed.ToString());
        Assert.Matches(@"post/0001_flags\s+applied", allowed.Output);

        var planned = await _workspace.RunAsync(services, "plan", "--phase", "post");
        Assert.True(planned.ExitCode == ExitCodes.Ok, planned.ToString());

        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "migrate", "--phase", "pre")).ExitCode);
        var after = await _workspace.RunAsync(services, "migrate", "--phase", "post");
        Assert.True(after.ExitCode == ExitCodes.Ok, after.ToString());
    }

    [Fact]
    public async Task The_refusal_is_in_the_json_and_applies_to_the_phase_variable()
    {
        _workspace.Environment["MIGRATION_PHASE"] = "post";

        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--output", "json");

        Assert.Equal(ExitCodes.PendingPreDeploy, result.ExitCode);
        var root = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(ExitCodes.PendingPreDeploy, root.GetProperty("exitCode").GetInt32());
        Assert.Equal("pending_pre_deploy", root.GetProperty("services")[0].GetProperty("status").GetString());
        Assert.Equal("pending_pre_deploy", root.GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("pre/0001_roles, pre/0002_plans", root.GetProperty("error").GetProperty("message").GetString());
    }
}

public sealed class RetryOutputTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_service_that_fails_before_any_seed_file_still_counts_in_the_text_totals()
    {
        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = "127.0.0.1:9";

        var result = await _workspace.RunAsync([TestServices.Small("tenant")], "migrate");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("Total: 1 service, 0 seed files (0 applied, 0 already applied): 0 created", result.Output);
    }

    [Fact]
    public async Task Retries_before_a_store_gives_up_are_printed_with_verbose_and_counted_in_the_json()
    {
        // Nothing listens on port 9 (discard): every call is refused (UNAVAILABLE), retried, and finally given up.
        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = "127.0.0.1:9";

        var result = await _workspace.RunAsync([TestServices.Small("tenant")], "migrate", "--verbose", "--output", "json");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        var warnings = result.Error.Split('\n').Where(l => l.StartsWith("warning: Firestore BatchGetDocuments projects/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, warnings.Length); // 6 attempts: 5 retries
        Assert.Contains("attempt 5 of 6 failed with Unavailable", warnings[4]);
        var root = JsonDocument.Parse(result.Output).RootElement;
        Assert.StartsWith("firestore-emulator:127.0.0.1:9/", root.GetProperty("store").GetString());
        Assert.Equal(5, root.GetProperty("services")[0].GetProperty("retries").GetInt64());
        Assert.Equal(5, root.GetProperty("totals").GetProperty("retries").GetInt64());
        // The one service failed before any seed file ran: it still counts (not "0 services").
        Assert.Equal(1, root.GetProperty("totals").GetProperty("services").GetInt32());
        Assert.Contains("after 6 attempt(s)", root.GetProperty("error").GetProperty("message").GetString());
    }
}
