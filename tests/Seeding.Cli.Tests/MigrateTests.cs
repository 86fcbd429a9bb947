using Seeding.Definitions;

namespace Seeding.Cli.Tests;

public sealed class MigrateTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Migrate_seeds_into_the_default_sqlite_file_and_a_second_run_skips_everything()
    {
        ServiceSeeds[] services = [TestServices.Catalog()];

        var first = await _workspace.RunAsync(services, "migrate");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.True(File.Exists(_workspace.DefaultDatabase), "the default database .seeding/seeding.db is created under the working directory");
        Assert.Contains("on sqlite:.seeding/seeding.db, phases pre, bootstrap, post.", first.Output);
        Assert.Contains("catalog  pre/0001_roles", first.Output);
        Assert.Matches(@"pre/0001_roles\s+applied\s+2\s+0\s+0", first.Output);
        Assert.Matches(@"bootstrap/system_account\s+ensured\s+1\s+0\s+0", first.Output);
        Assert.Contains("Total: 1 service, 4 seed files (3 applied, 0 already applied): 7 created, 0 skipped, 0 updated", first.Output);

        var second = await _workspace.RunAsync(services, "migrate");
        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        Assert.Matches(@"pre/0001_roles\s+already applied\s+0\s+0\s+0", second.Output);
        Assert.Matches(@"pre/0002_plans\s+already applied", second.Output);
        Assert.Matches(@"post/0001_flags\s+already applied", second.Output);
        Assert.Matches(@"bootstrap/system_account\s+ensured\s+0\s+1\s+0", second.Output);
        Assert.Contains("(0 applied, 3 already applied): 0 created, 1 skipped, 0 updated", second.Output);
    }

    [Fact]
    public async Task Plan_prints_each_document_with_its_yaml_line_and_writes_nothing()
    {
        ServiceSeeds[] services = [TestServices.Catalog()];

        var plan = await _workspace.RunAsync(services, "plan");
        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        Assert.Matches(@"create\s+catalog_roles/admin\s+migrations/pre/0001_roles.yaml:4", plan.Output);
        Assert.Matches(@"create\s+catalog_roles/user\s+migrations/pre/0001_roles.yaml:5", plan.Output);
        Assert.Matches(@"create\s+catalog_accounts/system\s+bootstrap/system_account.yaml:4", plan.Output);
        Assert.Matches(@"pre/0001_roles\s+planned\s+2\s+0\s+0", plan.Output);
        Assert.Contains("Dry run: nothing was written", plan.Output);

        // Nothing written, not even history: everything is still pending and a real run still creates everything.
        var status = await _workspace.RunAsync(services, "status");
        Assert.Contains("3 migrations: 0 applied, 3 pending, 0 drifted", status.Output);
        var migrate = await _workspace.RunAsync(services, "migrate");
        Assert.Contains("7 created", migrate.Output);
    }

    [Fact]
    public async Task Migrate_dry_run_is_the_same_plan()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--dry-run");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Matches(@"create\s+catalog_roles/admin\s+migrations/pre/0001_roles.yaml:4", result.Output);
        Assert.Contains("Dry run: nothing was written", result.Output);
        Assert.Contains("0 applied, 3 pending", (await _workspace.RunAsync([TestServices.Catalog()], "status")).Output);
    }

    [Fact]
    public async Task Plan_after_migrate_shows_skips_and_already_applied_files()
    {
        ServiceSeeds[] services = [TestServices.Catalog()];
        await _workspace.RunAsync(services, "migrate", "--phase", "pre");

        var plan = await _workspace.RunAsync(services, "plan");
        Assert.Contains("pre/0001_roles (migrations/pre/0001_roles.yaml): already applied, nothing to do", plan.Output);
        Assert.Matches(@"create\s+catalog_flags/beta\s+migrations/post/0001_flags.yaml:4", plan.Output);
    }

    [Fact]
    public async Task Phase_option_runs_only_that_phase()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "post", "--allow-pending-pre");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("post/0001_flags", result.Output);
        Assert.DoesNotContain("pre/0001_roles", result.Output);
        Assert.DoesNotContain("bootstrap/system_account", result.Output);
    }

    [Fact]
    public async Task All_runs_services_in_dependency_order()
    {
        // Given in reverse: audit needs user and tenant, user needs tenant.
        ServiceSeeds[] services = [TestServices.Small("audit", "user", "tenant"), TestServices.Small("user", "tenant"), TestServices.Small("tenant")];

        var result = await _workspace.RunAsync(services, "migrate", "--all");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var tenant = result.Output.IndexOf("tenant   pre/0001_init", StringComparison.Ordinal);
        var user = result.Output.IndexOf("user     pre/0001_init", StringComparison.Ordinal);
        var audit = result.Output.IndexOf("audit    pre/0001_init", StringComparison.Ordinal);
        Assert.True(tenant >= 0 && tenant < user && user < audit, result.Output);
        Assert.Contains("Seeding 3 services (tenant, user, audit)", result.Output);
    }

    [Fact]
    public async Task All_with_a_dependency_cycle_fails_naming_the_cycle()
    {
        ServiceSeeds[] services = [TestServices.Small("a", "b"), TestServices.Small("b", "a")];

        var result = await _workspace.RunAsync(services, "migrate", "--all");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("cycle", result.Error);
        Assert.Contains("a -> b -> a", result.Error);
    }

    [Fact]
    public async Task All_with_a_missing_dependency_fails_naming_it()
    {
        var result = await _workspace.RunAsync([TestServices.Small("user", "tenant")], "migrate", "--all");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("'tenant'", result.Error);
    }

    [Fact]
    public async Task One_named_service_runs_alone_even_when_its_dependencies_are_not_loaded()
    {
        var result = await _workspace.RunAsync([TestServices.Small("user", "tenant")], "migrate", "--service", "user");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task Several_services_need_a_choice()
    {
        var result = await _workspace.RunAsync([TestServices.Small("tenant"), TestServices.Small("user", "tenant")], "migrate");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--service <name> (one of tenant, user) or --all", result.Error);
    }

    [Fact]
    public async Task Drift_refuses_the_run_with_exit_code_3_and_runs_no_later_service()
    {
        await _workspace.RunAsync([TestServices.Catalog("tenant")], "migrate");

        ServiceSeeds[] edited = [TestServices.Catalog("tenant", rolesChecksum: "sha256:roles-v2"), TestServices.Small("user", "tenant")];
        var result = await _workspace.RunAsync(edited, "migrate", "--all");
        Assert.Equal(ExitCodes.Drift, result.ExitCode);
        Assert.Contains("tenant   -          refused: drift", result.Output);
        Assert.Contains("user     -          not run", result.Output);
        Assert.Contains("migrations/pre/0001_roles.yaml: applied with sha256:roles-v1, the file now gives sha256:roles-v2", result.Error);
    }

    [Fact]
    public async Task Verbose_prints_a_progress_line_per_seed_file_on_standard_error()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--verbose");
        Assert.Contains("[1/4] catalog pre/0001_roles: applied (2 created, 0 skipped, 0 updated", result.Error);
        Assert.Contains("[4/4] catalog post/0001_flags: applied", result.Error);
    }

    [Fact]
    public async Task Memory_store_works_for_a_trial_run()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--store", "memory");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("on in-memory", result.Output);
        Assert.False(File.Exists(_workspace.DefaultDatabase));
    }

    [Fact]
    public async Task Database_option_picks_the_file_and_creates_its_folder()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--database", "data/nested/seeds.db");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.True(File.Exists(Path.Combine(_workspace.Directory, "data", "nested", "seeds.db")));
    }

    [Fact]
    public async Task A_cancelled_run_exits_130()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var result = await _workspace.RunAsync([TestServices.Catalog()], cancelled.Token, "migrate", "--store", "memory");
        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
    }
}
