using static Seeding.Generators.Tests.DiagnosticTests;

namespace Seeding.Generators.Tests;

/// <summary>
/// Input YamlDotNet rejects becomes SEED001 (or SEED006 for a tag) at the offending character, in our own words:
/// never SEED999, never a .NET exception's type or message. Each case is a defect the fuzzer found (issue 10).
/// </summary>
public sealed class YamlErrorTests
{
    private const string Pre = "migrations/pre/0001_sample.yaml";

    /// <summary>Tags YamlDotNet scans but cannot represent (an empty verbatim tag, a tag that is not a URI).</summary>
    [Theory]
    [InlineData("!<>")]
    [InlineData("!!%00")]
    [InlineData("!<%00>")]
    public void MalformedTagIsAnUnknownTagAtTheTag(string tag)
    {
        var run = GeneratorHarness.Run((Pre, $"create: roles\ndocuments:\n  - {{ id: a, x: {tag} 1 }}\n"));
        var diagnostic = AssertReported(run, "SEED006", Pre, 3, 17);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "SEED999");
        Assert.Contains($"'{tag}'", diagnostic.GetMessage(), StringComparison.Ordinal);
        AssertNoDotNetText(run);
    }

    /// <summary>YamlDotNet reads U+2028, U+2029 and U+0085 as line breaks; one inside a flow value cut it in two.</summary>
    [Theory]
    [InlineData('\u2028', "U+2028")]
    [InlineData('\u2029', "U+2029")]
    [InlineData('\u0085', "U+0085")]
    public void UnicodeLineBreakInsideAFlowValueIsReportedAtTheCharacter(char lineBreak, string name)
    {
        var run = GeneratorHarness.Run((Pre, $"create: roles\ndocuments:\n  - {{ id: a, tags: [a{lineBreak}b] }}\n"));
        var diagnostic = AssertReported(run, "SEED001", Pre, 3, 22);
        Assert.Contains(name, diagnostic.GetMessage(), StringComparison.Ordinal);
        AssertNoDotNetText(run);
    }

    /// <summary>The same failure with an ordinary line break: the continuation line is where it goes wrong.</summary>
    [Fact]
    public void UnderIndentedContinuationInsideBracketsIsReportedAtTheContinuation()
    {
        var run = GeneratorHarness.Run((Pre, "create: roles\ndocuments:\n  - { id: a, tags: [a\nb] }\n"));
        var diagnostic = AssertReported(run, "SEED001", Pre, 4, 1);
        Assert.Contains("indent", diagnostic.GetMessage(), StringComparison.Ordinal);
        AssertNoDotNetText(run);
    }

    [Fact]
    public void UnterminatedQuoteIsReportedAtTheOpeningQuoteInOurWords()
    {
        var run = GeneratorHarness.Run((Pre, "create: roles\ndocuments:\n  - { id: a, name: \"unterminated }\n"));
        var diagnostic = AssertReported(run, "SEED001", Pre, 3, 20);
        Assert.Equal("YAML syntax error: this quoted string has no closing quote. Add the closing \" where the text ends. Fix the YAML at this position.", diagnostic.GetMessage());
    }

    /// <summary>Each way YamlDotNet fails that the fuzzer met, with the position and the words we show for it.</summary>
    public static TheoryData<string, int, int, string> FailureModes => new()
    {
        { "create: roles\ndocuments:\n\t- id: a\n", 3, 1, "a tab is used for indentation" },
        { "create: roles\ndocuments:\n  - { id: a, x: \"\\uDC00\\uD800\" }\n", 3, 30, "do not make a surrogate pair" },
        { "create: roles\ndocuments:\n  - { id: a, x: \"\\q\" }\n", 3, 18, "unknown escape sequence" },
        { "create: roles\ndocuments:\n  - { id: a, x: \"\\U00110000\" }\n", 3, 20, "is not a Unicode character" },
        { "create: roles\ndocuments: []\n... x\n", 3, 1, "follows the end of the YAML document" },
        { "'a'\ncreate: roles\n", 2, 1, "cannot follow the value before it" },
        { "create: roles\n... x\ndocuments: []\n", 2, 1, "follows the end of the YAML document" },
        { "create: roles\ndocuments:\n  - { id: a, x: @x }\n", 3, 17, "cannot start with '@'" },
        { "create: roles\ndocuments:\n  - { id: a, x: [1, 2 }\n", 3, 23, "the list in [ ] needs a ','" },
        { "create: roles\ndocuments:\n  - id: a\n  x: 1\n", 4, 3, "not a list item like the ones above" },
        { "create: roles\ndescription: x\nkey\ndocuments: []\n", 3, 1, "not indented like the keys of its mapping" },
        { "create: roles\ndocuments:\n  - id: a\n    x: &a &b 1\n", 4, 11, "two anchors" },
        { "create: roles\ndocuments:\n  - id: a\n    x: !<tag:x\n", 4, 8, "has no closing '>'" },
        { "create: roles\ndocuments:\n  - id: a\n    x: !!%ZZ 1\n", 4, 8, "a '%' in a tag must start an escape" },
        { "create: roles # c\u2028ments\ndocuments: []\n", 1, 18, "U+2028 (line separator) is read as a line break" },
        { "create: roles\ndocuments:\n  - { id: a, x: *nope }\n", 3, 17, "the alias *nope refers to no anchor" },
        { "%YAML 2.0\n---\ncreate: roles\n", 1, 1, "only YAML 1.x" },
        { "create: roles\ndocuments:\n  - id: a\n    x: |0\n      a\n", 4, 9, "indentation digit" },
        { "create: roles\ndocuments:\n  - id: a\n    x: \"a\nb\"\n", 5, 1, "indented less than its key" },
        { "create: roles\ndocuments:\n  - { id: a\0, x: 1 }\n", 3, 12, "U+0000 (NUL) is not allowed" },
        { "create: roles\ndocuments:\n  - { id: a\u007F, x: 1 }\n", 3, 12, "U+007F (DEL) is not allowed" },
    };

    [Theory]
    [MemberData(nameof(FailureModes))]
    public void EachYamlFailureIsReportedInOurWordsAtTheOffendingCharacter(string yaml, int line, int column, string words)
    {
        var run = GeneratorHarness.Run((Pre, yaml));
        var diagnostic = AssertReported(run, "SEED001", Pre, line, column);
        Assert.Contains(words, diagnostic.GetMessage(), StringComparison.Ordinal);
        AssertNoDotNetText(run);
    }

    /// <summary>A lone surrogate (not in the theory: test case names cannot carry one).</summary>
    [Fact]
    public void LoneSurrogateIsReportedAtTheCharacter()
    {
        var run = GeneratorHarness.Run((Pre, "create: roles\ndocuments:\n  - { id: a\uD800, x: 1 }\n"));
        var diagnostic = AssertReported(run, "SEED001", Pre, 3, 12);
        Assert.Contains("U+D800 (a lone surrogate", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    /// <summary>YamlDotNet reads a NUL as the end of the file: without the check, the rest would be silently dropped.</summary>
    [Fact]
    public void NulDoesNotSilentlyEndTheFile()
    {
        var run = GeneratorHarness.Run((Pre, "create: roles\ndocuments:\n  - id: a\n\0  - id: b\n"));
        AssertReported(run, "SEED001", Pre, 4, 1);
        Assert.DoesNotContain("Pre0001Sample.g.cs", run.HintNames);
    }

    /// <summary>A failure YamlDotNet may add one day still gets our words (never its text) at the scanner's position.</summary>
    [Fact]
    public void AnUnknownFailureGetsAGeneralSentenceWithoutItsText()
    {
        const string Yaml = "create: roles\ndocuments: []\n";
        var scanner = new YamlDotNet.Core.Scanner(new StringReader(Yaml));
        while (scanner.CurrentPosition.Line < 2 && scanner.MoveNext())
        {
        }

        var map = new Parsing.SourceMap(GeneratorHarness.PathOf(Pre), Yaml);
        var diagnostic = Parsing.YamlSyntaxErrors.Describe(new YamlDotNet.Core.YamlException("While frobbing, found a new Exception"), scanner, Yaml, map).ToDiagnostic();
        Assert.Equal("SEED001", diagnostic.Id);
        Assert.StartsWith("YAML syntax error: " + Parsing.YamlSyntaxErrors.Unmapped, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Null(FuzzOracle.DotNetText(diagnostic.GetMessage()));
        Assert.Equal(1, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    internal static void AssertNoDotNetText(GeneratorRun run)
    {
        foreach (var diagnostic in run.Diagnostics)
        {
            var message = diagnostic.GetMessage();
            Assert.True(FuzzOracle.DotNetText(message) is null, $"{diagnostic.Id} leaks .NET text '{FuzzOracle.DotNetText(message)}': {message}");
        }
    }
}
