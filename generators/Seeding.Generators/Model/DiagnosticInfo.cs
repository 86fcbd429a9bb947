using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Seeding.Generators.Diagnostics;

namespace Seeding.Generators.Model;

/// <summary>
/// Where in a YAML file something is: the file path as the compiler knows it, the character span and the
/// 0-based line/column span. Plain data, so models stay equatable (a Roslyn <see cref="Location"/> is not).
/// </summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>The very start of a file, for problems with the file as a whole (its name, its folder).</summary>
    public static LocationInfo FileStart(string filePath) => new(filePath, 0, 0, 0, 0, 0, 0);

    public Location ToLocation() => Location.Create(
        FilePath,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));

    /// <summary>1-based "line N, column M", as messages show positions to people.</summary>
    public string Describe() => $"line {StartLine + 1}, column {StartColumn + 1}";
}

/// <summary>A diagnostic as equatable data: descriptor id, message arguments and location (null: no file).</summary>
internal sealed record DiagnosticInfo(string Id, EquatableArray<string> Arguments, LocationInfo? Location)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        new(descriptor.Id, arguments.Select(a => a?.ToString() ?? string.Empty).ToEquatableArray(), location);

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(SeedingDiagnostics.ById(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Arguments.Cast<object>().ToArray());
}
