using System.Text.RegularExpressions;

namespace Seeding.Generators.Shared;

/// <summary>The name rule for migrations, YAML file names and C# [Migration] ids alike: <c>NNNN_snake_case</c>.</summary>
internal static class MigrationFileName
{
    /// <summary>What to write instead of a name that breaks the rule.</summary>
    public const string Hint = "use NNNN_snake_case: four digits, an underscore and lower-case words";

    private static readonly Regex Pattern = new(@"^([0-9]{4})_([a-z0-9]+(?:_[a-z0-9]+)*)$", RegexOptions.CultureInvariant);

    /// <summary>Splits <c>0001_initial_roles</c> into its number (<c>0001</c>) and words (<c>initial_roles</c>); false when the name breaks the rule.</summary>
    public static bool TryParse(string name, out string number, out string words)
    {
        var match = Pattern.Match(name);
        number = match.Success ? match.Groups[1].Value : string.Empty;
        words = match.Success ? match.Groups[2].Value : string.Empty;
        return match.Success;
    }
}
