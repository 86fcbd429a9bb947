using System.Text.RegularExpressions;

namespace Seeding.Definitions;

/// <summary>The generator's part of the runtime's NewIdRule (linked from src/Seeding): the placeholder regex, which the runtime generates with [GeneratedRegex].</summary>
internal sealed partial class NewIdRule
{
    private static readonly Regex PlaceholderRegex = new(PlaceholderPattern, RegexOptions.CultureInvariant);

    private static Regex Placeholder() => PlaceholderRegex;
}
