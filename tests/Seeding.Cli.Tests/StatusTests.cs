using Seeding.Definitions;

namespace Seeding.Cli.Tests;

public sealed class StatusTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Status_shows_applied_pending_and_drifted_per_service()
    {
        await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "pre");

        // The first migration was edited since; the post migration was never applied.
        var result = await _workspace.RunAsync([TestServices.Catalog(rolesChecksum: "sha256:roles-v2")], "status");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Matches(@"catalog\s+pre/0001_roles\s+drifted\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+sha256:roles-v1", result.Output);
        Assert.Matches(@"catalog\s+pre/0002_plans\s+applied\s+\d{4}-", result.Output);
        Assert.Matches(@"catalog\s+post/0001_flags\s+pending\s+-", result.Output);
        Assert.Contains("Bootstrap seeds (ensured on every run, never recorded): catalog/system_account.", result.Output);
        Assert.Contains("3 migrations: 1 applied, 1 pending, 1 drifted", result.Output);
        Assert.Contains("was applied with sha256:roles-v1; the file now gives sha256:roles-v2", result.Output);
    }

    [Fact]
    public async Task Status_covers_every_service_by_default_in_dependency_order()
    {
        var result = await _workspace.RunAsync([TestServices.Small("user", "tenant"), TestServices.Small("tenant")], "status");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Matches(@"tenant\s+pre/0001_init\s+pending[^\n]*\nuser\s+pre/0001_init\s+pending", result.Output);
    }

    [Fact]
    public async Task Verify_passes_when_applied_migrations_match()
    {
        await _workspace.RunAsync([TestServices.Catalog()], "migrate");
        var result = await _workspace.RunAsync([TestServices.Catalog()], "verify");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Verified: 3 applied migrations match their files, 0 pending.", result.Output);
    }

    [Fact]
    public async Task Verify_fails_with_exit_code_3_when_an_applied_migration_changed()
    {
        await _workspace.RunAsync([TestServices.Catalog()], "migrate");

        var result = await _workspace.RunAsync([TestServices.Catalog(rolesChecksum: "sha256:roles-v2")], "verify");
        Assert.Equal(ExitCodes.Drift, result.ExitCode);
        Assert.Contains("Verify failed: 1 drifted, 2 match, 0 pending.", result.Output);
        Assert.Contains("Drifted: catalog pre/0001_roles (migrations/pre/0001_roles.yaml)", result.Output);
        Assert.Contains("edited after being applied", result.Error);
    }

    [Fact]
    public async Task Verify_passes_with_pending_migrations_and_lists_them_in_its_table()
    {
        await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "pre");

        var result = await _workspace.RunAsync([TestServices.Catalog()], "verify");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Matches(@"catalog\s+pre/0002_plans\s+applied\s+\d{4}-", result.Output);
        Assert.Matches(@"catalog\s+post/0001_flags\s+pending\s+-\s+sha256:flags-v1\n", result.Output);
        Assert.Contains("2 applied migrations match their files, 1 pending", result.Output);
    }
}
