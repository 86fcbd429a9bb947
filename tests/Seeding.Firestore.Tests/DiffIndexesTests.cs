extern alias fake;
using System.Text.Json;
using fake::Seeding.Firestore.TestSupport;
using Seeding.Cli;
using Seeding.TestSupport;
using Admin = fake::Seeding.Firestore.Protocol.Admin;

namespace Seeding.Firestore.Tests;

/// <summary>
/// <c>seeding diff</c> on an index and a field override changed after <c>migrate</c>: the samples on the emulator,
/// indexes through the in-process fake of the Admin API (reached as the CLI reaches it:
/// <c>Seeding__Firestore__AdminEndpoint</c>); one <c>~ setting: live -> declared</c> line per differing setting.
/// </summary>
public sealed class DiffIndexesTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(FakeFirestoreAdmin admin, string project, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["FIRESTORE_EMULATOR_HOST"] = await FirestoreEmulator.HostAsync(),
            ["FIRESTORE_PROJECT_ID"] = project,
            ["Seeding__Firestore__AdminEndpoint"] = admin.Endpoint,
            ["DOTNET_ENVIRONMENT"] = "development",
            ["PLATFORM_ADMIN_EMAIL"] = "admin@platform.test",
        };
        return await InProcessCli.RunAsync(SamplesEndToEndTests.Services, environment, args);
    }

    [Fact]
    public async Task A_failed_index_build_and_a_ttl_turned_off_show_each_setting_live_and_declared()
    {
        await using var admin = await FakeFirestoreAdmin.StartAsync();
        var project = FirestoreEmulator.NewProjectId("diff-indexes");
        var migrate = await RunAsync(admin, project, "migrate", "--all", "--wait-for-indexes");
        Assert.True(migrate.Code == ExitCodes.Ok, $"exit {migrate.Code}\n{migrate.Output}\n{migrate.Error}");
        var clean = await RunAsync(admin, project, "diff", "--service", "user", "--detailed-exitcode");
        Assert.True(clean.Code == ExitCodes.Ok, $"exit {clean.Code}\n{clean.Output}\n{clean.Error}");
        Assert.Contains("2 resources unchanged)", clean.Output, StringComparison.Ordinal);

        lock (admin.State.Gate)
        {
            Assert.All(admin.State.Indexes.Values, index => index.State = Admin.Index.Types.State.NeedsRepair);
            var expiresAt = Assert.Single(admin.State.Fields, f => f.Key.EndsWith("/collectionGroups/sessions/fields/expires_at", StringComparison.Ordinal)).Value;
            expiresAt.TtlConfig = null;
        }

        var text = await RunAsync(admin, project, "diff", "--service", "user", "--detailed-exitcode");
        var json = await RunAsync(admin, project, "diff", "--service", "user", "--output", "json");

        Assert.True(text.Code == ExitCodes.DiffDrift, $"exit {text.Code}\n{text.Output}\n{text.Error}");
        Assert.True(
            text.Output.Contains(
                "\n  ~ index users (tenant_id ascending, email ascending): its build failed: delete it and run migrate again  (migrations/pre/0003_user_indexes.yaml:3)\n" +
                "      ~ state: needs_repair -> ready\n" +
                "  ~ field override sessions.expires_at  (migrations/pre/0003_user_indexes.yaml:8)\n" +
                "      ~ ttl: false -> true\n",
                StringComparison.Ordinal),
            text.Output);
        var resources = JsonDocument.Parse(json.Output).RootElement.GetProperty("services")[0].GetProperty("resources").EnumerateArray().ToArray();
        Assert.Equal(
            [("index", "state", "needs_repair", "ready"), ("field_override", "ttl", "false", "true")],
            resources.Select(r => (r.GetProperty("kind").GetString(), Assert.Single(r.GetProperty("changes").EnumerateArray())))
                .Select(r => (r.Item1, r.Item2.GetProperty("setting").GetString(), r.Item2.GetProperty("before").GetString(), r.Item2.GetProperty("after").GetString())));
    }
}
