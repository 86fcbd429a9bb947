using System.Text;
using Seeding.Values;

namespace Seeding.Sqlite.Tests;

public sealed class CodecTests
{
    [Fact]
    public void Encoding_is_deterministic_whatever_the_key_order()
    {
        var left = new Dictionary<string, Value>(StringComparer.Ordinal) { ["b"] = Value.Integer(1), ["a"] = Value.Map([new("y", Value.Null), new("x", Value.Boolean(true))]) };
        var right = new Dictionary<string, Value>(StringComparer.Ordinal) { ["a"] = Value.Map([new("x", Value.Boolean(true)), new("y", Value.Null)]), ["b"] = Value.Integer(1) };
        Assert.Equal(FieldCodec.Encode(left), FieldCodec.Encode(right));
    }

    [Fact]
    public void Small_values_encode_compactly()
    {
        var encoded = FieldCodec.Encode(new Dictionary<string, Value>(StringComparer.Ordinal) { ["n"] = Value.Integer(5), ["ok"] = Value.Boolean(true) });
        Assert.Equal(1 + 1 + (1 + 1 + 1 + 1) + (1 + 2 + 1), encoded.Length);
    }

    [Fact]
    public void Only_the_requested_fields_are_decoded()
    {
        var encoded = FieldCodec.Encode(new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["a"] = Value.Array(Value.Map([new("deep", Value.Array(Value.Integer(1)))]), Value.String("s")),
            ["m"] = Value.Map([new("k", Value.Bytes([1, 2, 3]))]),
            ["z"] = Value.Integer(-7),
        });
        var found = FieldCodec.DecodeFields(encoded, new HashSet<string>(["z", "missing"], StringComparer.Ordinal));
        Assert.Equal(Value.Integer(-7), Assert.Single(found).Value);
    }

    [Fact]
    public void Corrupt_or_unknown_data_is_refused_clearly()
    {
        var encoded = FieldCodec.Encode(new Dictionary<string, Value>(StringComparer.Ordinal) { ["s"] = Value.String("hello") });
        Assert.Throws<InvalidDataException>(() => FieldCodec.Decode(encoded.AsSpan(0, encoded.Length - 2)));
        var future = encoded.ToArray();
        future[0] = 99;
        Assert.Contains("format 99", Assert.Throws<InvalidDataException>(() => FieldCodec.Decode(future)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => FieldCodec.Decode([.. encoded, 0]));
    }

    [Fact]
    public void Server_time_placeholders_are_never_stored()
    {
        Assert.Throws<ArgumentException>(() => FieldCodec.Encode(new Dictionary<string, Value>(StringComparer.Ordinal) { ["t"] = Value.ServerTimestamp }));
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(63L)]
    [InlineData(64L)]
    [InlineData(-65L)]
    public void Integers_round_trip(long n)
    {
        var fields = new Dictionary<string, Value>(StringComparer.Ordinal) { ["n"] = Value.Integer(n) };
        Assert.Equal(Value.Integer(n), FieldCodec.Decode(FieldCodec.Encode(fields))["n"]);
    }

    [Fact]
    public void Utf8_order_matches_comparing_utf8_bytes()
    {
        string[] samples = ["", "a", "b", "ab", "é", "\uE000", "\uFFFF", "Ａ", "😀", "😁", "a😀", "aＡ", "\uD7FF", "𝄞", "z"];
        foreach (var left in samples)
        {
            foreach (var right in samples)
            {
                var expected = Math.Sign(Encoding.UTF8.GetBytes(left).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(right)));
                Assert.True(expected == Math.Sign(Utf8Order.Compare(left, right)), $"'{left}' vs '{right}'");
            }
        }

        Assert.False(Utf8Order.IsWellFormed("a\uD83D"));
        Assert.False(Utf8Order.IsWellFormed("\uDE00a"));
        Assert.True(Utf8Order.IsWellFormed("😀x"));
    }
}
