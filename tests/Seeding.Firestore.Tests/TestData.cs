using Grpc.Core.Interceptors;
using Seeding.Documents;
using Seeding.TestSupport;
using Seeding.Values;

namespace Seeding.Firestore.Tests;

/// <summary>Small builders shared by the tests.</summary>
public static class TestData
{
    public static IReadOnlyDictionary<string, Value> F(params (string Key, Value Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    public static DocumentPath P(string path) => DocumentPath.Parse(path);

    /// <summary>A store on the shared emulator in a fresh project, with a call counter first in the interceptor chain.</summary>
    public static async Task<(FirestoreDocumentStore Store, CallCounter Calls)> NewStoreAsync(string? projectId = null, params Interceptor[] interceptors)
    {
        var options = await FirestoreEmulator.OptionsAsync(projectId);
        var counter = new CallCounter();
        options.Interceptors.Add(counter);
        foreach (var interceptor in interceptors)
        {
            options.Interceptors.Add(interceptor);
        }

        return (new FirestoreDocumentStore(options), counter);
    }

    /// <summary>Every kind of value Firestore has, with the edge cases that break naive mappings.</summary>
    public static IReadOnlyDictionary<string, Value> AllKinds() => F(
        ("null", Value.Null),
        ("true", Value.Boolean(true)),
        ("false", Value.Boolean(false)),
        ("int_max", Value.Integer(long.MaxValue)),
        ("int_min", Value.Integer(long.MinValue)),
        ("int_2p53_plus_1", Value.Integer(9_007_199_254_740_993)),
        ("double", Value.Double(0.1)),
        ("double_neg_zero", Value.Double(-0.0)),
        ("nan", Value.Double(double.NaN)),
        ("pos_inf", Value.Double(double.PositiveInfinity)),
        ("neg_inf", Value.Double(double.NegativeInfinity)),
        ("double_max", Value.Double(double.MaxValue)),
        ("ts_micros", Value.Timestamp(Timestamp.FromUnixMicroseconds(1_714_564_800_123_456))),
        ("ts_before_1970", Value.Timestamp(Timestamp.Parse("1969-12-31T23:59:59.999999Z"))),
        ("ts_min", Value.Timestamp(Timestamp.Parse("0001-01-01T00:00:00Z"))),
        ("string", Value.String("héllo wörld ✓ 日本語 🚀")),
        ("empty_string", Value.String(string.Empty)),
        ("bytes", Value.Bytes(new byte[] { 0, 1, 2, 254, 255 })),
        ("empty_bytes", Value.Bytes([])),
        ("ref", Value.Reference(DocumentPath.Parse("tenants/t1/users/ü 1"))),
        ("geo", Value.GeoPoint(new GeoPoint(-33.8688, 151.2093))),
        ("array", Value.Array(Value.Integer(1), Value.String("two"), Value.Null, Value.Map(F(("k", Value.Boolean(true)))))),
        ("empty_array", Value.Array()),
        ("empty_map", Value.Map(F())),
        ("nested", Value.Map(F(("a", Value.Map(F(("b", Value.Array(Value.Double(1.5), Value.Bytes([7])))))), ("ключ", Value.String("значение"))))),
        ("ünïcødé key.with dots", Value.String("x")),
        ("`backtick`", Value.Integer(1)));
}
