using System.Text.Json;
using Seeding.TestSupport;

namespace Seeding.Cli.Tests;

/// <summary><c>show</c> on the Firestore emulator: the same YAML as on SQLite, read through the same store contract.</summary>
public sealed class ShowFirestoreTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Show_reads_documents_history_and_lease_from_the_firestore_emulator()
    {
        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = await FirestoreEmulator.HostAsync();
        _workspace.Environment["FIRESTORE_PROJECT_ID"] = FirestoreEmulator.NewProjectId("cli-show");
        var migrate = await _workspace.RunAsync([ShowData.Service()], "migrate");
        Assert.True(migrate.ExitCode == ExitCodes.Ok, migrate.ToString());

        var document = await _workspace.RunAsync([ShowData.Service()], "show", "things/alpha");
        Assert.True(document.ExitCode == ExitCodes.Ok, document.ToString());
        Assert.StartsWith("# things/alpha on firestore-emulator:", document.Output);
        Assert.Equal(ShowData.AlphaYaml, ShowData.WithoutFirstLine(document.Output));

        var filtered = await _workspace.RunAsync([ShowData.Service()], "show", "things", "--where", "level=10", "--output", "json");
        Assert.True(filtered.ExitCode == ExitCodes.Ok, filtered.ToString());
        using (var json = JsonDocument.Parse(filtered.Output))
        {
            Assert.Equal(["things/alpha", "things/gamma"], json.RootElement.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("path").GetString()));
        }

        var history = await _workspace.RunAsync([ShowData.Service()], "show", "history");
        Assert.Matches(@"things\s+pre/0001_things\s+applied\s+sha256:things-v1", history.Output);
        var lease = await _workspace.RunAsync([ShowData.Service()], "show", "lease");
        Assert.Matches(@"\(store clock \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\): 1 lease document\.", lease.Output);
        Assert.Matches(@"things\s+-\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+free \(released by ", lease.Output);
    }
}
