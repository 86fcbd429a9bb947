using System.Text.Json;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Cli.Tests;

/// <summary>Documents of every value kind, as a seed file would declare them.</summary>
public static class ShowData
{
    public static ServiceSeeds Service() => new("things", [],
    [
        new SeedDefinition("0001_things", SeedPhase.Pre, "sha256:things-v1", "migrations/pre/0001_things.yaml", null,
        [
            SeedStep.Create("things", 2,
            [
                new SeedDocument("alpha", new Dictionary<string, Value>
                {
                    ["id"] = Value.String("alpha"),
                    ["level"] = Value.Integer(10),
                    ["ratio"] = Value.Double(891),
                    ["active"] = Value.Boolean(true),
                    ["answer"] = Value.String("yes"),
                    ["note"] = Value.String("two\nlines"),
                    ["nothing"] = Value.Null,
                    ["founded"] = Value.Timestamp(Timestamp.Parse("2024-05-01T12:00:00Z")),
                    ["owner"] = Value.Reference(DocumentPath.Parse("roles/admin")),
                    ["place"] = Value.GeoPoint(new GeoPoint(52.52, 13.4)),
                    ["logo"] = Value.Bytes("hello"u8),
                    ["tags"] = Value.Array(Value.String("a"), Value.Integer(2)),
                    ["address"] = Value.Map(new Dictionary<string, Value> { ["city"] = Value.String("Berlin"), ["zip"] = Value.String("10117") }),
                }, 3),
                new SeedDocument("beta", new Dictionary<string, Value> { ["id"] = Value.String("beta"), ["level"] = Value.Integer(20), ["code"] = Value.String("10") }, 4),
                new SeedDocument("gamma", new Dictionary<string, Value> { ["id"] = Value.String("gamma"), ["level"] = Value.Integer(10), ["code"] = Value.Integer(10) }, 5),
            ]),
        ]),
    ]);

    /// <summary>What <c>show things/alpha</c> prints after its first line, on any store.</summary>
    public const string AlphaYaml =
        "id: alpha\n" +
        "active: true\n" +
        "address:\n" +
        "  city: Berlin\n" +
        "  zip: \"10117\"\n" +
        "answer: \"yes\"\n" +
        "founded: !timestamp 2024-05-01T12:00:00.000000Z\n" +
        "level: 10\n" +
        "logo: !bytes aGVsbG8=\n" +
        "note: \"two\\nlines\"\n" +
        "nothing: null\n" +
        "owner: !ref roles/admin\n" +
        "place: !geo [52.52, 13.4]\n" +
        "ratio: 891.0\n" +
        "tags: [a, 2]\n";

    public static string WithoutFirstLine(string output) => output[(output.IndexOf('\n', StringComparison.Ordinal) + 1)..];
}

public sealed class ShowCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private async Task<CliResult> ShowAsync(params string[] args) => await _workspace.RunAsync([ShowData.Service()], ["show", .. args]);

    private async Task SeedAsync() => Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync([ShowData.Service()], "migrate")).ExitCode);

    [Fact]
    public async Task A_document_is_printed_as_seed_format_yaml()
    {
        await SeedAsync();

        var result = await ShowAsync("things/alpha");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Matches(@"^# things/alpha on sqlite:\.seeding/seeding\.db: created \d{4}-\d\d-\d\dT[\d:.]+Z, updated \d{4}-", result.Output);
        Assert.Equal(ShowData.AlphaYaml, ShowData.WithoutFirstLine(result.Output));
    }

    [Fact]
    public async Task A_collection_is_a_yaml_list_filtered_by_where_and_cut_by_limit()
    {
        await SeedAsync();

        var level = await ShowAsync("things", "--where", "level=10", "--where", "code=10");
        Assert.True(level.ExitCode == ExitCodes.Ok, level.ToString());
        Assert.Equal(
            "# things on sqlite:.seeding/seeding.db where level = 10 and code = 10: 1 document\n" +
            "# things/gamma: ",
            level.Output[..level.Output.IndexOf("created", StringComparison.Ordinal)]);
        Assert.EndsWith("- id: gamma\n  code: 10\n  level: 10\n", level.Output);

        // A quoted value is a string: "10" matches beta's string, not gamma's integer.
        var quoted = await ShowAsync("things", "--where", "code=\"10\"");
        Assert.EndsWith("- id: beta\n  code: \"10\"\n  level: 20\n", quoted.Output);

        var limited = await ShowAsync("things", "--limit", "2");
        Assert.StartsWith("# things on sqlite:.seeding/seeding.db: the first 2 documents (pass --limit for more)\n# things/alpha: ", limited.Output);
        Assert.Contains("\n- id: beta\n", limited.Output);
        Assert.DoesNotContain("gamma", limited.Output);

        var none = await ShowAsync("things", "--where", "level=99");
        Assert.Equal("# things on sqlite:.seeding/seeding.db where level = 99: no documents\n[]\n", none.Output);
    }

    [Fact]
    public async Task Json_keeps_every_value_kind_apart()
    {
        await SeedAsync();

        var result = await ShowAsync("things/alpha", "--output", "json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var document = Assert.Single(json.RootElement.GetProperty("documents").EnumerateArray());
        Assert.Equal("things/alpha", document.GetProperty("path").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("schemaVersion").GetInt32());
        var fields = document.GetProperty("fields");
        Assert.Equal("10", fields.GetProperty("level").GetProperty("integer").GetString());
        Assert.Equal(891, fields.GetProperty("ratio").GetProperty("double").GetDouble());
        Assert.Equal("2024-05-01T12:00:00.000000Z", fields.GetProperty("founded").GetProperty("timestamp").GetString());
        Assert.Equal("roles/admin", fields.GetProperty("owner").GetProperty("reference").GetString());
        Assert.Equal((52.52, 13.4), (fields.GetProperty("place").GetProperty("geoPoint").GetProperty("latitude").GetDouble(), fields.GetProperty("place").GetProperty("geoPoint").GetProperty("longitude").GetDouble()));
        Assert.Equal("aGVsbG8=", fields.GetProperty("logo").GetProperty("bytes").GetString());
        Assert.Equal(JsonValueKind.Null, fields.GetProperty("nothing").GetProperty("null").ValueKind);
        Assert.Equal("10117", fields.GetProperty("address").GetProperty("map").GetProperty("zip").GetProperty("string").GetString());

        // The one value codec reads back exactly what was declared.
        var declared = ShowData.Service().Seeds[0].Steps[0].Documents[0].Fields;
        Assert.Equal(Value.Map(declared), Value.Map(Seeding.Plans.ValueJson.ReadFields(fields)));
        Assert.False(json.RootElement.GetProperty("more").GetBoolean());
    }

    [Fact]
    public async Task History_and_lease_are_shortcuts_for_the_runners_documents()
    {
        await SeedAsync();

        var history = await ShowAsync("history");
        Assert.True(history.ExitCode == ExitCodes.Ok, history.ToString());
        Assert.StartsWith("History on sqlite:.seeding/seeding.db: 1 entry.\n", history.Output);
        Assert.Matches(@"Service\s+Migration\s+Entry\s+Checksum\s+At \(UTC\)\s+By\s+Note", history.Output);
        Assert.Matches($@"things\s+pre/0001_things\s+applied\s+sha256:things-v1\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s+{System.Text.RegularExpressions.Regex.Escape(Environment.MachineName)}\s+last attempt: 3 created, 0 skipped, 0 updated", history.Output);
        Assert.Contains("0 entries", (await ShowAsync("history", "--service", "other")).Output);

        var lease = await ShowAsync("lease");
        Assert.True(lease.ExitCode == ExitCodes.Ok, lease.ToString());
        Assert.Matches(@"^Leases on sqlite:\.seeding/seeding\.db \(store clock \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\): 1 lease document\.", lease.Output);
        Assert.Matches(@"things\s+-\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+free \(released by \S+\)\s+-", lease.Output);
        using var json = JsonDocument.Parse((await ShowAsync("lease", "--service", "things", "--output", "json")).Output);
        Assert.Equal("seeding_locks/things", Assert.Single(json.RootElement.GetProperty("documents").EnumerateArray()).GetProperty("path").GetString());
        Assert.Matches(@"^\d{4}-", json.RootElement.GetProperty("storeTime").GetString());
    }

    [Fact]
    public async Task Mistakes_are_named_with_the_exit_code()
    {
        await SeedAsync();

        var missing = await ShowAsync("things/omega");
        Assert.Equal(ExitCodes.Failure, missing.ExitCode);
        Assert.Contains("error: No document at things/omega on sqlite:.seeding/seeding.db.", missing.Error);

        var badWhere = await ShowAsync("things", "--where", "level");
        Assert.Equal(ExitCodes.Usage, badWhere.ExitCode);
        Assert.Contains("--where 'level' is not field=value", badWhere.Error);

        var whereOnDocument = await ShowAsync("things/alpha", "--limit", "3");
        Assert.Equal(ExitCodes.Usage, whereOnDocument.ExitCode);
        Assert.Contains("'things/alpha' names one document", whereOnDocument.Error);

        var badPath = await ShowAsync("things//x");
        Assert.Equal(ExitCodes.Usage, badPath.ExitCode);
        Assert.Contains("is neither a collection nor a document path", badPath.Error);

        var zero = await ShowAsync("things", "--limit", "0", "--output", "json");
        Assert.Equal(ExitCodes.Usage, zero.ExitCode);
        Assert.Equal("usage", JsonDocument.Parse(zero.Output).RootElement.GetProperty("error").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task The_memory_store_is_read_too_and_holds_nothing_after_a_command()
    {
        var result = await ShowAsync("things", "--store", "memory");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("# things on in-memory: no documents\n[]\n", result.Output);
        Assert.False(File.Exists(_workspace.DefaultDatabase));
    }

    [Fact]
    public async Task The_written_yaml_is_what_a_seed_file_would_declare()
    {
        // The shown documents, pasted under "documents:", are the documents the seed declared.
        await SeedAsync();
        var shown = await ShowAsync("things/alpha");
        var declared = ShowData.Service().Seeds[0].Steps[0].Documents[0].Fields;
        Assert.Equal(SeedYamlWriter.Mapping(declared), ShowData.WithoutFirstLine(shown.Output));
    }
}
