using Seeding.Documents;
using Seeding.Generators.Parsing;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>
/// The generator cannot reference the runtime, so it carries its own copy of Firestore's rules and of
/// timestamp parsing. These tests keep the two in step: what compiles must also be accepted at run time.
/// </summary>
public sealed class RuntimeParityTests
{
    public static TheoryData<string> Names => new()
    {
        "", "a", "platform-admin", "a/b", ".", "..", "...", "__", "____", "__a__", "__a", "a__", "_a_",
        "müller", "😀", new string('a', 1500), new string('a', 1501), new string('é', 750), new string('é', 751),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void DocumentIdRulesMatchTheRuntime(string id) =>
        Assert.Equal(DocumentRules.ValidateId(id) is null, FirestoreRules.ValidateId(id) is null);

    [Theory]
    [MemberData(nameof(Names))]
    public void FieldNameRulesMatchTheRuntime(string name) =>
        Assert.Equal(DocumentRules.ValidateFieldName(name) is null, FirestoreRules.ValidateFieldName(name) is null);

    [Theory]
    [InlineData("roles")]
    [InlineData("tenants/t1/users")]
    [InlineData("roles/admin")]
    [InlineData("a//b")]
    [InlineData("__x__")]
    public void CollectionPathRulesMatchTheRuntime(string path)
    {
        var runtimeAccepts = true;
        try
        {
            DocumentPath.ValidateCollectionPath(path);
        }
        catch (ArgumentException)
        {
            runtimeAccepts = false;
        }

        Assert.Equal(runtimeAccepts, FirestoreRules.ValidateCollectionPath(path) is null);
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00Z")]
    [InlineData("2024-05-01T12:00:00.123456Z")]
    [InlineData("2024-05-01T12:00:00.1234567+02:00")]
    [InlineData("2024-02-29T23:59:59-05:30")]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.999999Z")]
    public void TimestampsParseToTheSameInstantAsTheRuntime(string text)
    {
        Assert.True(ValueConverter.TryParseTimestamp(text, out var micros));
        Assert.Equal(Timestamp.Parse(text).UnixMicroseconds, micros);
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00")]
    [InlineData("2024-05-01")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-02-30T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("tomorrow")]
    public void InvalidTimestampsAreRejected(string text) =>
        Assert.False(ValueConverter.TryParseTimestamp(text, out _));
}
