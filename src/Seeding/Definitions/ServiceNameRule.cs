using System.Text.RegularExpressions;

namespace Seeding.Definitions;

// What a service name may be (seeding.yaml's service and depends_on entries, `seeding init`'s name), written once.
// The generator compiles this file too (as a linked source, see Seeding.Generators.csproj), so it keeps to what
// netstandard2.0 offers and declares no accessibility: ServiceNameRule.Public.cs makes the class public in the
// runtime; in the generator it is internal.
static partial class ServiceNameRule
{
    /// <summary>The rule in words, for messages: what a name may contain and how it starts.</summary>
    internal const string Allowed = "letters, digits, '.', '_' or '-', starting with a letter or digit";

    private static readonly Regex Name = new("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant);

    /// <summary>True when <paramref name="name"/> is a valid service name.</summary>
    internal static bool Matches(string name) => Name.IsMatch(name);
}
