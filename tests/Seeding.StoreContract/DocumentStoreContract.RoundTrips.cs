using Seeding.Documents;
using Seeding.Values;

namespace Seeding.StoreContract;

// Values come back exactly as written, read by path and by query: 64-bit integers, every double bit pattern,
// microsecond timestamps, astral strings, odd map keys, zero bytes, nested containers.
public abstract partial class DocumentStoreContract
{
    [Fact]
    public Task Integers_round_trip_exactly_beyond_2_pow_53() => AssertRoundTrip(F(
        ("min", Value.Integer(long.MinValue)),
        ("max", Value.Integer(long.MaxValue)),
        ("above53", Value.Integer((1L << 53) + 1)),
        ("below53", Value.Integer(-((1L << 53) + 1))),
        ("zero", Value.Integer(0)),
        ("minusOne", Value.Integer(-1)),
        ("small", Value.Integer(42))));

    [Fact]
    public Task Doubles_round_trip_exactly_including_nan_infinities_and_negative_zero() => AssertRoundTrip(F(
        ("nan", Value.Double(double.NaN)),
        ("positiveInfinity", Value.Double(double.PositiveInfinity)),
        ("negativeInfinity", Value.Double(double.NegativeInfinity)),
        ("negativeZero", Value.Double(-0.0)),
        ("zero", Value.Double(0.0)),
        ("one", Value.Double(1.0)),
        ("tenth", Value.Double(0.1)),
        ("epsilon", Value.Double(double.Epsilon)),
        ("max", Value.Double(double.MaxValue)),
        ("min", Value.Double(double.MinValue)),
        ("big", Value.Double(9007199254740993.0)),
        ("tiny", Value.Double(1e-300))));

    [Fact]
    public async Task Negative_zero_stays_negative()
    {
        var stored = await RoundTrip(F(("z", Value.Double(-0.0))));
        Assert.True(double.IsNegative(stored["z"].AsDouble()), "-0.0 came back as +0.0");
    }

    [Fact]
    public Task Timestamps_round_trip_with_microseconds_and_at_the_range_limits() => AssertRoundTrip(F(
        ("micros", Value.Timestamp(Timestamp.FromUnixMicroseconds(1_714_564_800_123_456))),
        ("epoch", Value.Timestamp(Timestamp.FromUnixMicroseconds(0))),
        ("justBeforeEpoch", Value.Timestamp(Timestamp.FromUnixMicroseconds(-1))),
        ("preEpochMicros", Value.Timestamp(Timestamp.FromUnixMicroseconds(-1_234_567_890_123_457))),
        ("min", Value.Timestamp(Timestamp.FromDateTimeOffset(new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)))),
        ("max", Value.Timestamp(Timestamp.Parse("9999-12-31T23:59:59.999999Z")))));

    [Fact]
    public Task Strings_round_trip_exactly_including_unicode_and_astral_characters() => AssertRoundTrip(F(
        ("empty", Value.String(string.Empty)),
        ("ascii", Value.String("plain text")),
        ("accents", Value.String("ünïcödé çà")),
        ("cjk", Value.String("日本語のテキスト")),
        ("astral", Value.String("😀 🎉 𝄞 𐍈")),
        ("escapes", Value.String("line\nbreak\ttab \"quotes\" \\ back / slash {json} 'single'")),
        ("long", Value.String(new string('x', 20_000) + "end"))));

    [Fact]
    public Task Map_keys_round_trip_exactly_including_unicode_and_punctuation() => AssertRoundTrip(F(
        ("ключ", Value.Integer(1)),
        ("😀", Value.Integer(2)),
        ("a.b", Value.Integer(3)),
        ("with space", Value.Integer(4)),
        ("`tick`", Value.Integer(5)),
        ("quote\"d", Value.Integer(6)),
        ("nested", Value.Map(F(("日本", Value.String("値")), ("𝄞", Value.Map(F(("x.y", Value.Boolean(false))))))))));

    [Fact]
    public Task Bytes_round_trip_exactly_including_zero_bytes() => AssertRoundTrip(F(
        ("empty", Value.Bytes([])),
        ("zero", Value.Bytes([0])),
        ("zeros", Value.Bytes([0, 0, 0, 1, 0])),
        ("all", Value.Bytes(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray())),
        ("notUtf8", Value.Bytes([0xFF, 0xFE, 0xC3, 0x28]))));

    [Fact]
    public Task Null_booleans_references_and_geo_points_round_trip() => AssertRoundTrip(F(
        ("null", Value.Null),
        ("true", Value.Boolean(true)),
        ("false", Value.Boolean(false)),
        ("ref", Value.Reference(DocumentPath.Parse("tenants/t1"))),
        ("deepRef", Value.Reference(DocumentPath.Parse("tenants/t1/users/u-1"))),
        ("geo", Value.GeoPoint(new GeoPoint(51.507351, -0.127758))),
        ("geoCorner", Value.GeoPoint(new GeoPoint(-90, 180)))));

    [Fact]
    public Task Nested_maps_and_arrays_round_trip_including_empty_ones() => AssertRoundTrip(F(
        ("emptyMap", Value.Map(F())),
        ("emptyArray", Value.Array()),
        ("array", Value.Array(Value.Integer(1), Value.Double(1.0), Value.String("1"), Value.Null, Value.Boolean(true), Value.Integer(1))),
        ("arrayOfMaps", Value.Array(
            Value.Map(F(("inner", Value.Array(Value.Integer(1), Value.Map(F()))))),
            Value.Map(F()),
            Value.Map(F(("deep", Value.Map(F(("deeper", Value.Map(F(("deepest", Value.Array(Value.Bytes([0, 1]), Value.Timestamp(Timestamp.FromUnixMicroseconds(7)))))))))))))),
        ("map", Value.Map(F(
            ("array", Value.Array(Value.String("x"), Value.Integer(2))),
            ("emptyArray", Value.Array()),
            ("ref", Value.Reference(DocumentPath.Parse("a/b"))),
            ("geo", Value.GeoPoint(new GeoPoint(1.5, 2.5))),
            ("nan", Value.Double(double.NaN)))))));
}
