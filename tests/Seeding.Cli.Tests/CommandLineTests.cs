using Seeding.Cli.Stores;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Hosting;
using Seeding.Sqlite;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Cli.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("migrate", "--bogus")]
    [InlineData("migrate", "--phase", "sideways")]
    [InlineData("frobnicate")]
    [InlineData("migrate", "--store", "oracle")]
    [InlineData("migrate", "--service", "catalog", "--all")]
    [InlineData("migrate", "--service", "unknown")]
    [InlineData("migrate", "--lock-timeout", "-1")]
    [InlineData("new")]
    public async Task Usage_errors_exit_2_and_point_to_help(params string[] args)
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], args);
        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("error:", result.Error);
        Assert.Contains("--help", result.Error);
    }

    [Fact]
    public async Task No_command_shows_help_and_exits_2()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()]);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Commands:", result.Output);
    }

    [Fact]
    public async Task No_services_is_a_usage_error_that_explains_assembly()
    {
        var result = await _workspace.RunAsync([], "migrate");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--assembly path/to/MyService.dll", result.Error);
    }

    [Theory]
    [InlineData("migrate")]
    [InlineData("plan")]
    [InlineData("status")]
    [InlineData("verify")]
    [InlineData("new")]
    public async Task Every_command_has_help_with_examples(string command)
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], command, "--help");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Usage:", result.Output);
        Assert.Contains("Examples:", result.Output);
        Assert.Contains($"seeding {command}", result.Output);
        Assert.Contains("3 drift", result.Output);
    }

    [Fact]
    public async Task Migration_phase_variable_selects_the_phase()
    {
        _workspace.Environment["MIGRATION_PHASE"] = "pre";
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("phases pre.", result.Output);
        Assert.DoesNotContain("post/0001_flags", result.Output);

        // The option wins over the variable.
        var post = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "post");
        Assert.Contains("post/0001_flags", post.Output);
    }

    [Fact]
    public async Task A_bad_migration_phase_variable_is_a_usage_error_naming_it()
    {
        _workspace.Environment["MIGRATION_PHASE"] = "during";
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("MIGRATION_PHASE is 'during'", result.Error);
    }

    [Fact]
    public async Task Dry_run_variable_makes_migrate_a_plan_unless_the_option_says_otherwise()
    {
        _workspace.Environment["DRY_RUN"] = "true";
        var dry = await _workspace.RunAsync([TestServices.Catalog()], "migrate");
        Assert.Contains("Dry run: nothing was written", dry.Output);
        Assert.Contains("0 applied, 3 pending", (await _workspace.RunAsync([TestServices.Catalog()], "status")).Output);

        var real = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--dry-run", "false");
        Assert.DoesNotContain("Dry run", real.Output);
        Assert.Contains("3 applied, 0 pending", (await _workspace.RunAsync([TestServices.Catalog()], "status")).Output);

        _workspace.Environment["DRY_RUN"] = "maybe";
        Assert.Equal(ExitCodes.Usage, (await _workspace.RunAsync([TestServices.Catalog()], "migrate")).ExitCode);
    }

    [Fact]
    public async Task Environment_comes_from_the_option_or_dotnet_environment()
    {
        _workspace.Environment["DOTNET_ENVIRONMENT"] = "staging";
        Assert.Contains("environment staging", (await _workspace.RunAsync([TestServices.Catalog()], "plan")).Output);
        Assert.Contains("environment dev", (await _workspace.RunAsync([TestServices.Catalog()], "plan", "--environment", "dev")).Output);
    }

    [Fact]
    public void Firestore_variables_pick_firestore_when_no_store_is_given()
    {
        var context = new CommandContext(new SeedingCommandLineOptions { EnvironmentVariables = _workspace.Environment.GetValueOrDefault, WorkingDirectory = _workspace.Directory }, TextWriter.Null, TextWriter.Null);
        Assert.Equal(SeedingStoreKind.Sqlite, StoreSettings.Resolve(null, null, null, null, null, context).Kind);
        Assert.Equal(Path.Combine(_workspace.Directory, ".seeding", "seeding.db"), StoreSettings.Resolve(null, null, null, null, null, context).Choice.SqlitePath);

        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = "127.0.0.1:8080";
        var emulator = StoreSettings.Resolve(null, null, null, null, null, context);
        Assert.Equal(SeedingStoreKind.Firestore, emulator.Kind);
        Assert.Equal("127.0.0.1:8080", emulator.Choice.Firestore!.EmulatorHost);
        Assert.Equal(SeedingStoreKind.Sqlite, StoreSettings.Resolve("sqlite", null, null, null, null, context).Kind);

        _workspace.Environment.Remove("FIRESTORE_EMULATOR_HOST");
        _workspace.Environment["FIRESTORE_PROJECT_ID"] = "my-project";
        _workspace.Environment["FIRESTORE_DATABASE"] = "seeds";
        var production = StoreSettings.Resolve(null, null, null, null, null, context);
        Assert.Equal((SeedingStoreKind.Firestore, "my-project", "seeds"), (production.Kind, production.Choice.Firestore!.ProjectId, production.Choice.Firestore.DatabaseId));
        Assert.Equal("other-project", StoreSettings.Resolve(null, null, "other-project", null, null, context).Choice.Firestore!.ProjectId);
    }

    [Fact]
    public async Task Firestore_emulator_variable_opens_the_firestore_store()
    {
        // Nothing listens there; the status read fails, but it fails in Firestore, which is what the variable asked for.
        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = "127.0.0.1:9";
        var result = await _workspace.RunAsync([TestServices.Catalog()], "plan", "--output", "json");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.False(File.Exists(_workspace.DefaultDatabase));
    }

    [Fact]
    public async Task Firestore_without_a_project_is_a_usage_error()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "status", "--store", "firestore");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--firestore-project", result.Error);
    }

    [Fact]
    public async Task A_held_migration_lock_times_out_with_exit_code_4()
    {
        var database = Path.Combine(_workspace.Directory, "locked.db");
        await using (var store = await SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(database)))
        {
            await store.CommitAsync([DocumentWrite.Create(DocumentPath.Create("seeding_locks", "catalog"), new Dictionary<string, Value>
            {
                ["owner"] = Value.String("another-runner"),
                ["token"] = Value.Integer(1),
                ["expires_at"] = Value.Timestamp(DateTimeOffset.UtcNow.AddHours(1)),
            })]);
        }

        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--database", database, "--lock-timeout", "0.3");
        Assert.True(result.ExitCode == ExitCodes.LockTimeout, result.ToString());
        Assert.Contains("lock timeout", result.Output);
        Assert.Contains("another-runner", result.Error);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "--version");
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Matches(@"\d+\.\d+\.\d+", result.Output);
    }
}
