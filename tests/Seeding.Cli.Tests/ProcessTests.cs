using System.Reflection;
using System.Text.Json;

namespace Seeding.Cli.Tests;

/// <summary>The real tool as a process: loads a service assembly with --assembly, runs twice, and reports exit codes.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static string ToolPath => typeof(ProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SeedingToolPath").Value!;

    // This test assembly carries [assembly: SeedingService(typeof(TestRegistry))], like a generated service assembly.
    private static string ServiceAssembly => typeof(TestRegistry).Assembly.Location;

    [Fact]
    public async Task The_tool_loads_a_service_assembly_and_a_second_run_applies_nothing()
    {
        var first = await RunToolAsync("--assembly", ServiceAssembly, "migrate", "--output", "json");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        var root = JsonDocument.Parse(first.Output).RootElement;
        Assert.Equal("catalog", root.GetProperty("services")[0].GetProperty("service").GetString());
        Assert.Equal(3, root.GetProperty("totals").GetProperty("applied").GetInt32());
        Assert.True(File.Exists(_workspace.DefaultDatabase));

        var second = await RunToolAsync("--assembly", ServiceAssembly, "migrate");
        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        Assert.Contains("(0 applied, 3 already applied): 0 created, 1 skipped, 0 updated", second.Output);

        var verify = await RunToolAsync("verify", "-a", ServiceAssembly);
        Assert.True(verify.ExitCode == ExitCodes.Ok, verify.ToString());
    }

    [Fact]
    public async Task The_tool_exits_2_on_usage_errors_and_explains_a_missing_assembly()
    {
        var none = await RunToolAsync("migrate");
        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Contains("--assembly", none.Error);

        var missing = await RunToolAsync("--assembly", "nowhere/Missing.dll", "status");
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);

        var notAService = await RunToolAsync("--assembly", typeof(SeedingCommandLine).Assembly.Location, "status");
        Assert.Equal(ExitCodes.Usage, notAService.ExitCode);
        Assert.Contains("declares no Seeding service", notAService.Error);
    }

    [Fact]
    public async Task The_tool_exits_5_for_post_while_pre_is_pending_and_names_the_migrations()
    {
        var refused = await RunToolAsync("--assembly", ServiceAssembly, "migrate", "--phase", "post");
        Assert.True(refused.ExitCode == ExitCodes.PendingPreDeploy, refused.ToString());
        Assert.Contains("pre/0001_roles, pre/0002_plans", refused.Error);

        var allowed = await RunToolAsync("--assembly", ServiceAssembly, "migrate", "--phase", "post", "--allow-pending-pre", "--output", "json");
        Assert.True(allowed.ExitCode == ExitCodes.Ok, allowed.ToString());
        Assert.Equal("sqlite:.seeding/seeding.db", JsonDocument.Parse(allowed.Output).RootElement.GetProperty("store").GetString());
    }

    private Task<CliResult> RunToolAsync(params string[] args) => DotnetProcess.RunAsync(ToolPath, _workspace.Directory, null, args);
}
