namespace Seeding.Generators.Tests;

/// <summary>
/// What no diagnostic may contain: a .NET exception's type or namespace, or a message .NET or YamlDotNet writes.
/// Seeding says what is wrong in its own words; these are the tell-tales that an exception's text leaked through.
/// </summary>
internal static class FuzzOracle
{
    private static readonly string[] Leaks =
    [
        // Type names and namespaces.
        "Exception", "System.", "YamlDotNet", "StreamStart", "StreamEnd", "DocumentStart", "DocumentEnd",
        "MappingStart", "MappingEnd", "SequenceStart", "SequenceEnd", "AnchorAlias",

        // .NET's own messages.
        "Operation is not valid", "Value cannot be null", "Parameter '", "Parameter name",
        "Specified argument", "Index was outside", "Object reference", "Sequence contains", "Input string was not",
        "was not in a correct format", "out of range", "Arithmetic operation", "Unable to", "Nullable object",

        // YamlDotNet's (libyaml's) messages.
        "While scanning", "While parsing", "did not find expected", "could not find expected", "Did not find expected",
        "Reached the end of the stream", "not allowed in this context", "Invalid key indicator", "Anchor before",
        "Found duplicate", "Found incompatible", "Unexpected comma", "Global tags must be valid", "Tag value",
        "The scanner should", "Not at a break", "Cannot read the Value", "The queue is empty", "Cannot insert outside",
        "Line: ", "Col: ", "Idx: ",
    ];

    /// <summary>The first leaked text found in <paramref name="message"/>, or null when it has none.</summary>
    public static string? DotNetText(string message) =>
        Leaks.FirstOrDefault(leak => message.Contains(leak, StringComparison.Ordinal));
}
