using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Seeding.Generators.Tests;

/// <summary>
/// One way to share source between the generator and the runtime: the generator compiles the runtime's rule files as
/// linked sources, written in a netstandard2.0 subset with no preprocessor switches. A linked type the runtime makes
/// public declares no accessibility, and its public part lives beside it in <c>&lt;Type&gt;.Public.cs</c>, which only
/// the runtime compiles; any other linked type is internal on both sides.
/// </summary>
public sealed partial class SharedSourceTests
{
    private static readonly string GeneratorFolder = Path.Combine(TestPaths.RepositoryRoot, "generators", "Seeding.Generators");

    public static TheoryData<string> LinkedFiles() => new(LinkedIncludes());

    private static List<string> LinkedIncludes() => XDocument.Load(Path.Combine(GeneratorFolder, "Seeding.Generators.csproj"))
        .Descendants("Compile")
        .Select(c => (string?)c.Attribute("Include"))
        .OfType<string>()
        .ToList();

    [Fact]
    public void The_generator_links_the_rule_files_of_the_core()
    {
        Assert.Equal(
            ["../../src/Seeding/Definitions/NewIdRule.cs", "../../src/Seeding/Definitions/ServiceNameRule.cs", "../../src/Seeding/Documents/DocumentRules.cs",
             "../../src/Seeding/Resources/ResourceRules.cs", "../../src/Seeding/Values/Rfc3339.cs"],
            LinkedIncludes().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(LinkedFiles))]
    public void A_linked_file_has_no_switches_and_is_public_only_through_its_Public_part(string include)
    {
        var path = Path.GetFullPath(Path.Combine(GeneratorFolder, include));
        var text = File.ReadAllText(path);
        var type = Path.GetFileNameWithoutExtension(path);
        Assert.DoesNotMatch(Preprocessor(), text);

        var declaration = Assert.Single(TypeDeclaration().Matches(text), m => m.Groups["name"].Value == type);
        var publicPart = Path.Combine(Path.GetDirectoryName(path)!, type + ".Public.cs");
        if (File.Exists(publicPart))
        {
            Assert.Equal(string.Empty, declaration.Groups["access"].Value);
            Assert.Contains(" partial ", declaration.Value, StringComparison.Ordinal);
            Assert.Contains(TypeDeclaration().Matches(File.ReadAllText(publicPart)), m => m.Groups["name"].Value == type && m.Groups["access"].Value == "public ");
        }
        else
        {
            Assert.Equal("internal ", declaration.Groups["access"].Value);
        }
    }

    [Fact]
    public void No_source_of_the_generator_or_the_core_switches_on_who_compiles_it()
    {
        var sources = Directory.EnumerateFiles(GeneratorFolder, "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "src", "Seeding"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Empty(sources.Where(f => Preprocessor().IsMatch(File.ReadAllText(f))).Select(f => Path.GetRelativePath(TestPaths.RepositoryRoot, f)));
    }

    /// <summary>The generator's model writes and reads phases by the runtime enum's member names.</summary>
    [Fact]
    public void The_generator_knows_the_phases_by_the_runtime_names()
    {
        Assert.Equal(Enum.GetNames<Seeding.Definitions.SeedPhase>(), Enum.GetNames<Model.SeedPhase>());
    }

    [GeneratedRegex(@"^\s*#\s*(if|elif|else|endif|define)\b", RegexOptions.Multiline)]
    private static partial Regex Preprocessor();

    [GeneratedRegex(@"^(?<access>(?:public |internal )?)(?:static |sealed )*(?:partial )?(?:class|record|struct|enum) (?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
