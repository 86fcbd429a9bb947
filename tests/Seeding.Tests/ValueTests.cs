using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Tests;

public class ValueTests
{
    [Fact]
    public void Maps_compare_by_content_not_key_order()
    {
        var left = Value.Map([new("a", Value.Integer(1)), new("b", Value.String("x"))]);
        var right = Value.Map([new("b", Value.String("x")), new("a", Value.Integer(1))]);
        Assert.Equal(left, right);
        Assert.NotEqual(left, Value.Map([new("a", Value.Integer(2)), new("b", Value.String("x"))]));
    }

    [Fact]
    public void Nan_equals_nan_and_integer_is_not_double()
    {
        Assert.Equal(Value.Double(double.NaN), Value.Double(double.NaN));
        Assert.NotEqual(Value.Integer(1), Value.Double(1));
    }

    [Fact]
    public void Timestamp_keeps_microseconds_and_parses_rfc3339()
    {
        var t = Timestamp.Parse("2024-05-01T12:00:00.1234567Z");
        Assert.Equal("2024-05-01T12:00:00.123456Z", t.ToString());
        Assert.False(Timestamp.TryParse("2024-05-01T12:00:00", out _));
        Assert.True(Timestamp.ServerTime.IsServerTime);
        Assert.Throws<InvalidOperationException>(() => Timestamp.ServerTime.UnixMicroseconds);
    }

    [Theory]
    [InlineData("a/b", "contains '/'")]
    [InlineData(".", "reserved")]
    [InlineData("..", "reserved")]
    [InlineData("__x__", "__.*__")]
    [InlineData("", "empty")]
    public void Invalid_ids_are_explained(string id, string expected)
    {
        Assert.Contains(expected, DocumentRules.ValidateId(id));
        Assert.Throws<ArgumentException>(() => DocumentPath.Create("roles", id));
    }

    [Fact]
    public void Id_longer_than_1500_bytes_is_refused()
    {
        Assert.Null(DocumentRules.ValidateId(new string('é', 750)));
        Assert.Contains("1502 bytes", DocumentRules.ValidateId(new string('é', 751)));
    }

    [Fact]
    public void Lone_surrogates_are_refused_in_ids_and_field_names()
    {
        Assert.Contains("lone UTF-16 surrogate (U+D800", DocumentRules.ValidateId("a\uD800"));
        Assert.Contains("lone UTF-16 surrogate (U+DC00", DocumentRules.ValidateFieldName("\uDC00b"));
        Assert.Null(DocumentRules.ValidateId("a\uD83D\uDE00"));
        Assert.Null(DocumentRules.ValidateFieldName("a\uD83D\uDE00"));
    }

    [Fact]
    public void Paths_parse_and_order_by_segment()
    {
        var nested = DocumentPath.Parse("tenants/t1/users/u1");
        Assert.Equal("tenants/t1/users", nested.Collection);
        Assert.Equal("u1", nested.Id);
        Assert.Throws<ArgumentException>(() => DocumentPath.Parse("roles"));
        Assert.True(DocumentPath.Parse("a/b").CompareTo(DocumentPath.Parse("a/b/c/d")) < 0);
    }
}

public class TimestampRoundingTests
{
    [Fact]
    public void Instants_before_1970_round_down_to_the_microsecond()
    {
        var t = Timestamp.Parse("1969-12-31T23:59:59.9999999Z");
        Assert.Equal(-1, t.UnixMicroseconds);
        Assert.Equal("1969-12-31T23:59:59.999999Z", t.ToString());
    }
}

public class QueryEqualityTests
{
    private static bool Matches(Value stored, Value wanted) =>
        Seeding.Store.FieldFilter.EqualTo("x", wanted).Matches(new Dictionary<string, Value> { ["x"] = stored });

    [Fact]
    public void Numbers_compare_by_exact_value_across_kinds()
    {
        Assert.True(Matches(Value.Integer(1), Value.Double(1.0)));
        Assert.True(Matches(Value.Double(-0.0), Value.Double(0.0)));
        Assert.True(Matches(Value.Double(double.NaN), Value.Double(double.NaN)));
        Assert.False(Matches(Value.Integer((1L << 53) + 1), Value.Double(1L << 53)));
        Assert.False(Matches(Value.Integer(long.MaxValue), Value.Double(9.2233720368547758E18)));
        Assert.False(Matches(Value.Integer(1), Value.String("1")));
    }
}
