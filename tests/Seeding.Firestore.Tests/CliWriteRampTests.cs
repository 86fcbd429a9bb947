using System.Text.Json;
using Seeding.Cli;
using Seeding.Definitions;
using Seeding.TestSupport;

namespace Seeding.Firestore.Tests;

/// <summary>
/// The command line on the emulator with the write ramp forced on by its configuration key (as a
/// <c>Seeding__Firestore__WriteRamp</c> variable): the text summary and the JSON say it was on and how long writes waited.
/// </summary>
public sealed class CliWriteRampTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(string? ramp, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["FIRESTORE_EMULATOR_HOST"] = await FirestoreEmulator.HostAsync(),
            ["FIRESTORE_PROJECT_ID"] = FirestoreEmulator.NewProjectId("cli-ramp"),
        };
        if (ramp is not null)
        {
            environment["Seeding__Firestore__WriteRamp"] = ramp;
        }

        // 2,000 documents, 4 batches: the first goes at once, each later one waits 1 s less the previous round trip.
        return await InProcessCli.RunAsync([new ServiceSeeds("ramped", [], [RunnerEconomyTests.CreateItems(2_000)])], environment, args);
    }

    [Fact]
    public async Task The_json_says_the_ramp_was_on_and_how_long_writes_waited()
    {
        var (code, output, error) = await RunAsync("true", "migrate", "--output", "json");

        Assert.True(code == ExitCodes.Ok, $"exit {code}\n{output}\n{error}");
        var root = JsonDocument.Parse(output).RootElement;
        var service = root.GetProperty("services")[0];
        Assert.True(service.GetProperty("writeRampActive").GetBoolean());
        // Real time here (the exact figure is asserted on a virtual clock in WriteRampEmulatorTests): at most 3 s, and
        // more than nothing unless each of three 500-write round trips took a full second.
        Assert.InRange(service.GetProperty("writeRampWaitMs").GetInt64(), 1, 3_000);
        Assert.True(root.GetProperty("totals").GetProperty("writeRampActive").GetBoolean());
        Assert.Equal(service.GetProperty("writeRampWaitMs").GetInt64(), root.GetProperty("totals").GetProperty("writeRampWaitMs").GetInt64());
    }

    [Fact]
    public async Task The_text_summary_names_the_ramp_only_when_it_was_on()
    {
        var (code, output, error) = await RunAsync("true", "migrate");
        var (offCode, offOutput, offError) = await RunAsync(null, "migrate");

        Assert.True(code == ExitCodes.Ok, $"exit {code}\n{output}\n{error}");
        Assert.Matches(@"Write ramp on \(Firestore's 500/50/5 guidance for new collections\): writes waited [\d.]+ m?s for it\.", output);
        Assert.True(offCode == ExitCodes.Ok, $"exit {offCode}\n{offOutput}\n{offError}");
        Assert.DoesNotContain("Write ramp", offOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_ramp_value_is_a_usage_error_naming_the_key()
    {
        var (code, _, error) = await RunAsync("fast", "migrate");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("Seeding:Firestore:WriteRamp is 'fast'", error, StringComparison.Ordinal);
    }
}
