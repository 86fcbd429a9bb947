using System.Text;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Plans;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Tests;

/// <summary>The typed JSON of values and the plan file: every value kind round-trips exactly.</summary>
public class SavedPlanJsonTests
{
    public static TheoryData<string, Value> EveryKind() => new()
    {
        { "null", Value.Null },
        { "true", Value.Boolean(true) },
        { "false", Value.Boolean(false) },
        { "integer max", Value.Integer(long.MaxValue) },
        { "integer min", Value.Integer(long.MinValue) },
        { "integer 1 (not a double)", Value.Integer(1) },
        { "double 1.0 (not an integer)", Value.Double(1.0) },
        { "double -0.0", Value.Double(-0.0) },
        { "double 0.0", Value.Double(0.0) },
        { "double NaN", Value.Double(double.NaN) },
        { "double +inf", Value.Double(double.PositiveInfinity) },
        { "double -inf", Value.Double(double.NegativeInfinity) },
        { "double epsilon", Value.Double(double.Epsilon) },
        { "double 0.1", Value.Double(0.1) },
        { "double max", Value.Double(double.MaxValue) },
        { "timestamp micros", Value.Timestamp(Timestamp.FromUnixMicroseconds(1_714_564_800_123_457)) },
        { "timestamp year 1", Value.Timestamp(Timestamp.Parse("0001-01-01T00:00:00Z")) },
        { "timestamp year 9999", Value.Timestamp(Timestamp.Parse("9999-12-31T23:59:59.999999Z")) },
        { "timestamp before 1970", Value.Timestamp(Timestamp.FromUnixMicroseconds(-1)) },
        { "server timestamp", Value.ServerTimestamp },
        { "string", Value.String("héllo \"quoted\" \n\t\u0000 \ud83d\ude00") },
        { "empty string", Value.String(string.Empty) },
        { "bytes", Value.Bytes([0, 1, 2, 255, 128]) },
        { "empty bytes", Value.Bytes([]) },
        { "reference", Value.Reference(DocumentPath.Parse("tenants/t1/users/u1")) },
        { "geo point", Value.GeoPoint(new GeoPoint(-33.8688, 151.2093)) },
        { "geo point -0", Value.GeoPoint(new GeoPoint(-0.0, 0.0)) },
        { "empty array", Value.Array() },
        { "empty map", Value.Map([]) },
        {
            "nested", Value.Map([
                new("list", Value.Array(Value.Integer(1), Value.Double(1), Value.Null, Value.Map([new("at", Value.ServerTimestamp)]))),
                new("inner", Value.Map([new("deeper", Value.Map([new("b", Value.Bytes([9]))]))])),
                new("ref", Value.Reference(DocumentPath.Parse("roles/admin"))),
            ])
        },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Every_value_round_trips_exactly(string name, Value value)
    {
        var json = ValueJson.Serialize(value);
        var back = ValueJson.Deserialize(json);
        Assert.True(value.Equals(back), $"{name}: {json} read back as {back}");
        Assert.Equal(value.Kind, back.Kind);
        Assert.Equal(json, ValueJson.Serialize(back));
    }

    [Fact]
    public void The_test_data_covers_every_value_kind()
    {
        var kinds = EveryKind().Select(row => ((Value)row[1]).Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<ValueKind>().ToHashSet(), kinds);
    }

    [Fact]
    public void Integers_are_strings_and_special_doubles_are_named()
    {
        Assert.Equal("{\"integer\":\"9223372036854775807\"}", ValueJson.Serialize(Value.Integer(long.MaxValue)));
        Assert.Equal("{\"double\":\"-0\"}", ValueJson.Serialize(Value.Double(-0.0)));
        Assert.Equal("{\"double\":\"NaN\"}", ValueJson.Serialize(Value.Double(double.NaN)));
        Assert.Equal("{\"timestamp\":\"2024-05-01T12:00:00.000001Z\"}", ValueJson.Serialize(Value.Timestamp(Timestamp.Parse("2024-05-01T12:00:00.000001Z"))));
        Assert.Equal("{\"serverTimestamp\":true}", ValueJson.Serialize(Value.ServerTimestamp));
    }

    [Theory]
    [InlineData("{}", "one member")]
    [InlineData("{\"integer\":1}", "64-bit integer as a string")]
    [InlineData("{\"double\":\"nan\"}", "is not a double")]
    [InlineData("{\"string\":\"a\",\"integer\":\"1\"}", "exactly one member")]
    [InlineData("{\"timestamp\":\"yesterday\"}", "RFC 3339")]
    [InlineData("{\"reference\":\"nocollection\"}", "not a document path")]
    [InlineData("{\"colour\":\"red\"}", "is not a typed value")]
    [InlineData("[1]", "expected a typed value")]
    public void Malformed_values_are_clear_errors(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ValueJson.Deserialize(json));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_plan_file_round_trips()
    {
        var fields = new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["n"] = Value.Integer(3), ["d"] = Value.Double(3), ["at"] = Value.ServerTimestamp, ["nested"] = Value.Map([new("x", Value.Array(Value.Bytes([1])))]),
        };
        var seen = Timestamp.Parse("2026-01-02T03:04:05.678901Z");
        var plan = new SavedPlan
        {
            Store = "sqlite:/tmp/x.db",
            Phases = [SeedPhase.Pre, SeedPhase.Bootstrap, SeedPhase.Post],
            Environment = "staging",
            ReadAt = seen,
            Services =
            [
                new SavedServicePlan
                {
                    Service = "catalog",
                    SeedsChecksum = "sha256:abc",
                    Seeds =
                    [
                        new SavedSeedPlan("pre/0001_roles", "sha256:roles", [
                            new SavedPlanEntry(DocumentPath.Parse("roles/admin"), PlanAction.Create, 4, SeenState.Absent, null, DocumentWrite.Create(DocumentPath.Parse("roles/admin"), fields)),
                            new SavedPlanEntry(DocumentPath.Parse("roles/user"), PlanAction.Update, 5, SeenState.Present, seen, DocumentWrite.Merge(DocumentPath.Parse("roles/user"), fields)),
                            new SavedPlanEntry(DocumentPath.Parse("roles/user"), PlanAction.Update, 9, SeenState.PlannedEarlier, null, DocumentWrite.Set(DocumentPath.Parse("roles/user"), fields)),
                            new SavedPlanEntry(DocumentPath.Parse("roles/guest"), PlanAction.SkipExists, 6, SeenState.Present, seen, null),
                        ]),
                    ],
                },
            ],
        };

        using var stream = new MemoryStream();
        SavedPlanJson.Write(stream, plan);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        var back = SavedPlanJson.Read(new MemoryStream(stream.ToArray()));

        Assert.Contains("\"schemaVersion\": 1", text);
        Assert.Equal(plan.Store, back.Store);
        Assert.Equal(plan.Phases, back.Phases);
        Assert.Equal(plan.Environment, back.Environment);
        Assert.Equal(plan.ReadAt, back.ReadAt);
        var entries = back.Services.Single().Seeds.Single().Entries;
        Assert.Equal(plan.Services[0].Seeds[0].Entries.Select(e => (e.Path, e.Action, e.Line, e.Seen, e.SeenUpdateTime, e.Write?.Kind)),
            entries.Select(e => (e.Path, e.Action, e.Line, e.Seen, e.SeenUpdateTime, e.Write?.Kind)));
        foreach (var entry in entries.Where(e => e.Write is not null))
        {
            Assert.Equal(fields.OrderBy(f => f.Key), entry.Write!.Fields.OrderBy(f => f.Key));
        }

        // The same file again, byte for byte: nothing is lost or reordered.
        using var again = new MemoryStream();
        SavedPlanJson.Write(again, back);
        Assert.Equal(text, Encoding.UTF8.GetString(again.ToArray()));
    }

    [Theory]
    [InlineData("{}", "\"kind\": \"seeding-plan\"")]
    [InlineData("{\"kind\":\"seeding-plan\",\"schemaVersion\":99}", "schemaVersion 99")]
    [InlineData("not json", "invalid JSON")]
    public void A_foreign_file_is_refused_with_what_to_do(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => SavedPlanJson.Read(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(expected, error.Message);
    }
}
