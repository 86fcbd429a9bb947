using System.Text.RegularExpressions;

namespace Seeding.Generators.Shared;

/// <summary>
/// The name rule for migrations, YAML file names and C# [Migration] ids alike: <c>NNNN_snake_case</c>. The command
/// line compiles this file too (a linked source in Seeding.Cli.csproj), so <c>seeding new</c> names files by it.
/// </summary>
internal static class MigrationFileName
{
    /// <summary>What to write instead of a name that breaks the rule.</summary>
    public const string Hint = "use NNNN_snake_case: four digits, an underscore and lower-case words";

    /// <summary>The extension of a YAML seed file; any other (<c>.yml</c> too) is reported, never read as a seed.</summary>
    public const string YamlExtension = ".yaml";

    private const string WordsPattern = "[a-z0-9]+(?:_[a-z0-9]+)*";

    private static readonly Regex Pattern = new("^([0-9]{4})_(" + WordsPattern + ")$", RegexOptions.CultureInvariant);

    private static readonly Regex Words = new("^" + WordsPattern + "$", RegexOptions.CultureInvariant);

    /// <summary>True when <paramref name="words"/> (the part after <c>NNNN_</c>, e.g. <c>initial_roles</c>) keeps the rule.</summary>
    public static bool IsWords(string words) => Words.IsMatch(words);

    /// <summary>Splits <c>0001_initial_roles</c> into its number (<c>0001</c>) and words (<c>initial_roles</c>); false when the name breaks the rule.</summary>
    public static bool TryParse(string name, out string number, out string words)
    {
        var match = Pattern.Match(name);
        number = match.Success ? match.Groups[1].Value : string.Empty;
        words = match.Success ? match.Groups[2].Value : string.Empty;
        return match.Success;
    }
}
