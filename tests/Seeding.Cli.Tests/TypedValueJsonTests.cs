using System.Text.Json;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Plans;
using Seeding.Sqlite;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Cli.Tests;

/// <summary>
/// <c>show</c> and <c>diff --output json</c> write values in the one typed encoding (<see cref="ValueJson"/>, as saved plans
/// do): values JSON numbers cannot hold survive exactly, and a null value is told apart from an absent field.
/// </summary>
public sealed class TypedValueJsonTests : IDisposable
{
    private static readonly Dictionary<string, Value> Edges = new()
    {
        ["id"] = Value.String("edges"),
        ["big"] = Value.Integer(9_007_199_254_740_993), // 2^53 + 1: a double would print ...992
        ["min"] = Value.Integer(long.MinValue),
        ["negativeZero"] = Value.Double(-0.0),
        ["notANumber"] = Value.Double(double.NaN),
        ["infinity"] = Value.Double(double.NegativeInfinity),
        ["nested"] = Value.Map(new Dictionary<string, Value> { ["list"] = Value.Array(Value.Double(double.PositiveInfinity), Value.Null, Value.Integer(long.MaxValue)) }),
        ["precise"] = Value.Timestamp(Timestamp.Parse("2024-05-01T12:00:00.123456Z")),
        ["nothing"] = Value.Null,
    };

    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static ServiceSeeds Service() => new("edges", [],
    [
        new SeedDefinition("0001_edges", SeedPhase.Pre, "sha256:edges-v1", "migrations/pre/0001_edges.yaml", null,
            [SeedStep.Create("edges", 2, [new SeedDocument("e", Edges, 3)])]),
    ]);

    [Fact]
    public async Task Show_json_reads_back_every_edge_value_exactly()
    {
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync([Service()], "migrate")).ExitCode);

        var result = await _workspace.RunAsync([Service()], "show", "edges/e", "--output", "json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(2, json.RootElement.GetProperty("schemaVersion").GetInt32());
        var fields = Assert.Single(json.RootElement.GetProperty("documents").EnumerateArray()).GetProperty("fields");
        Assert.Equal("9007199254740993", fields.GetProperty("big").GetProperty("integer").GetString());
        Assert.Equal("-0", fields.GetProperty("negativeZero").GetProperty("double").GetString());
        Assert.Equal("NaN", fields.GetProperty("notANumber").GetProperty("double").GetString());
        Assert.Equal(Value.Map(Edges), Value.Map(ValueJson.ReadFields(fields)));
    }

    [Fact]
    public async Task Diff_json_gives_typed_live_and_declared_values_and_null_only_for_an_absent_field()
    {
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync([Service()], "migrate")).ExitCode);
        var live = new Dictionary<string, Value>(Edges) { ["big"] = Value.Integer(9_007_199_254_740_992) };
        live.Remove("nothing");
        await using (var store = await SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(_workspace.DefaultDatabase)))
        {
            Assert.All(await store.WriteBatchAsync([DocumentWrite.Set(DocumentPath.Parse("edges/e"), live)]), o => Assert.True(o.Applied));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var result = await _workspace.RunAsync([Service()], "diff", "--all", "--output", "json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(2, json.RootElement.GetProperty("schemaVersion").GetInt32());
        var fields = Assert.Single(json.RootElement.GetProperty("services")[0].GetProperty("documents").EnumerateArray()).GetProperty("fields")
            .EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal(["big", "nothing"], fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Value.Integer(9_007_199_254_740_992), ValueJson.Read(fields["big"].GetProperty("live")));
        Assert.Equal(Value.Integer(9_007_199_254_740_993), ValueJson.Read(fields["big"].GetProperty("declared")));
        Assert.Equal(("absent", JsonValueKind.Null), (fields["nothing"].GetProperty("change").GetString(), fields["nothing"].GetProperty("live").ValueKind));
        Assert.Equal(Value.Null, ValueJson.Read(fields["nothing"].GetProperty("declared")));
    }
}
