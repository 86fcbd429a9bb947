using System.Text.Json;
using System.Text.RegularExpressions;
using Seeding.Cli;
using Seeding.Definitions;
using Seeding.TestSupport;
using Seeding.Values;

namespace Seeding.Firestore.Tests;

/// <summary>The command line on the emulator through a proxy that drops connections: the retries show in its output.</summary>
public sealed class CliRetryTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private static ServiceSeeds Service() => new("retry", [],
    [
        new SeedDefinition("0001_roles", SeedPhase.Pre, "sha256:r", "migrations/pre/0001_roles.yaml", null,
            [SeedStep.Create("roles", 2, [new SeedDocument("admin", new Dictionary<string, Value> { ["n"] = Value.Integer(1) }, 3)])]),
    ]);

    private static async Task<(int Code, string Output, string Error)> RunAsync(string emulatorHost, string project, params string[] args)
    {
        var environment = new Dictionary<string, string> { ["FIRESTORE_EMULATOR_HOST"] = emulatorHost, ["FIRESTORE_PROJECT_ID"] = project };
        return await InProcessCli.RunAsync([Service()], environment, args);
    }

    [Fact]
    public async Task Verbose_prints_each_retry_and_the_json_counts_them()
    {
        await using var proxy = new CuttingProxy(await FirestoreEmulator.HostAsync(), cuts: 2);
        var project = FirestoreEmulator.NewProjectId("cli-retry");

        var (code, output, error) = await RunAsync(proxy.Host, project, "migrate", "--verbose", "--output", "json");
        log.WriteLine(error);

        Assert.True(code == ExitCodes.Ok, $"exit {code}\n{output}\n{error}");
        var warnings = Regex.Matches(error, @"^warning: Firestore (\w+) projects/\S+ attempt (\d) of 6 failed with Unavailable .*; retrying in \d+ ms$", RegexOptions.Multiline);
        Assert.True(warnings.Count >= 1, error);
        Assert.Equal(2, proxy.Cut);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal($"firestore-emulator:{proxy.Host}/projects/{project}/databases/(default)", root.GetProperty("store").GetString());
        Assert.Equal(warnings.Count, root.GetProperty("totals").GetProperty("retries").GetInt64());
        Assert.Equal(warnings.Count, root.GetProperty("services")[0].GetProperty("retries").GetInt64());
    }

    [Fact]
    public async Task The_text_summary_counts_retries_and_only_verbose_prints_them()
    {
        await using var proxy = new CuttingProxy(await FirestoreEmulator.HostAsync(), cuts: 1);

        var (code, output, error) = await RunAsync(proxy.Host, FirestoreEmulator.NewProjectId("cli-retry"), "migrate");
        log.WriteLine(output);

        Assert.True(code == ExitCodes.Ok, $"exit {code}\n{output}\n{error}");
        Assert.Equal(1, proxy.Cut);
        Assert.DoesNotContain("warning:", error);
        Assert.Matches(@"Total: 1 service, 1 seed file \(1 applied, 0 already applied\): 1 created, 0 skipped, 0 updated in [\d.]+ m?s; \d+ store calls? retried after transient faults\.", output);
    }
}
