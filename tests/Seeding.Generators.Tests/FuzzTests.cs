using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Seeding.Generators.Tests;

/// <summary>
/// The generator fuzz campaign of issue 10, kept in CI: seeded mutations of the sample services' seed files (byte
/// flips, truncation, odd tags, anchors and aliases, Unicode line breaks, deep nesting, CRLF, tabs, BOMs, NULs, lone
/// surrogates...) run through the generator, which must never crash (CS8785), never report an internal error
/// (SEED999), locate every diagnostic inside the file, never show a .NET exception's type or message, and have
/// its own words for every way YamlDotNet fails.
/// <para>
/// CI runs <see cref="DefaultIterations"/> cases from <see cref="DefaultSeed"/>, the same every time. To hunt for bugs,
/// run more cases from another seed:
/// <c>SEEDING_FUZZ_ITERATIONS=200000 SEEDING_FUZZ_SEED=7 dotnet test tests/Seeding.Generators.Tests --filter FuzzTests</c>.
/// A failure names the seed and case; each failing input is written under TestResults/fuzz/ (or SEEDING_FUZZ_OUT),
/// named by seed and case, so it can be replayed and turned into a regression test (see YamlErrorTests).
/// </para>
/// </summary>
public sealed class FuzzTests
{
    public const int DefaultIterations = 3000;
    public const int DefaultSeed = 20261130;

    private const int MaxReportedFailures = 20;

    [Fact]
    public void MutatedSampleSeedFilesNeverCrashTheGeneratorOrLeakExceptionText()
    {
        var iterations = Setting("SEEDING_FUZZ_ITERATIONS", DefaultIterations);
        var seed = Setting("SEEDING_FUZZ_SEED", DefaultSeed);
        var samples = SampleFiles().Concat(ResourceSamples).ToList();
        var compilation = GeneratorHarness.Compilation();
        var failures = new List<string>();
        for (var i = 0; i < iterations && failures.Count < MaxReportedFailures; i++)
        {
            // Each case has its own random stream, so one case replays without the ones before it.
            var random = CaseRandom(seed, i);
            var (path, original) = samples[random.Next(samples.Count)];
            var yaml = Mutate(original, random);
            var problem = Check(compilation, path, yaml);
            if (problem is not null)
            {
                failures.Add($"case {i} ({path}): {problem}\n  input: {Save(seed, i, path, yaml)}");
            }
        }

        Assert.True(failures.Count == 0, $"Fuzzing with SEEDING_FUZZ_SEED={seed} found {failures.Count} failing case(s) in {iterations}:\n" + string.Join("\n", failures));
    }

    /// <summary>The mutator is deterministic: a seed and case give the same input on every machine.</summary>
    [Fact]
    public void MutationsAreReproducibleFromTheSeed()
    {
        var (_, original) = SampleFiles()[0];
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(Mutate(original, CaseRandom(DefaultSeed, i)), Mutate(original, CaseRandom(DefaultSeed, i)));
        }
    }

    /// <summary>
    /// Resource steps with every key (topic, subscription, index, field_override), fuzzed besides the sample services'
    /// files whatever those hold.
    /// </summary>
    internal static readonly (string Path, string Yaml)[] ResourceSamples =
    [
        (SeedSamples.AuditTopicsPath, SeedSamples.AuditTopics),
        (SeedSamples.UserIndexesPath, SeedSamples.UserIndexes),
        ("bootstrap/topics.yaml", "topic: audit-events\nlabels: { team: audit }\nmessage_retention: 31d\n"),
    ];

    /// <summary>Every seed file of the sample services (migrations, bootstrap, seeding.yaml), by its path in its service.</summary>
    internal static IReadOnlyList<(string Path, string Yaml)> SampleFiles()
    {
        var seeds = Path.Combine(TestPaths.RepositoryRoot, "seeds");
        var files = Directory.EnumerateFiles(seeds, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Generated{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Service: Path.GetRelativePath(seeds, f).Split(Path.DirectorySeparatorChar)[0], File: f))
            .Select(f => (Path.GetRelativePath(Path.Combine(seeds, f.Service), f.File).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText(f.File)))
            .Where(f => f.Item1 == "seeding.yaml" || f.Item1.StartsWith("migrations/", StringComparison.Ordinal) || f.Item1.StartsWith("bootstrap/", StringComparison.Ordinal))
            .OrderBy(f => f.Item1, StringComparer.Ordinal)
            .ThenBy(f => f.Item2, StringComparer.Ordinal)
            .ToList();
        Assert.Contains(files, f => f.Item1 == "seeding.yaml");
        Assert.Contains(files, f => f.Item1.StartsWith("bootstrap/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Item1.StartsWith("migrations/", StringComparison.Ordinal));
        return files;
    }

    /// <summary>Runs the generator on one file; returns what is wrong, or null.</summary>
    internal static string? Check(CSharpCompilation compilation, string path, string yaml)
    {
        var driver = GeneratorHarness.Driver([GeneratorHarness.File(path, yaml)]).RunGenerators(compilation);
        var run = driver.GetRunResult();
        if (run.Results.Single().Exception is { } exception)
        {
            return $"the generator threw {exception.GetType().Name}: {exception.Message}";
        }

        var crash = run.Diagnostics.FirstOrDefault(d => d.Id is "CS8784" or "CS8785");
        if (crash is not null)
        {
            return crash.ToString();
        }

        var text = SourceText.From(yaml);
        foreach (var diagnostic in run.Results.Single().Diagnostics)
        {
            var shown = $"{diagnostic.Id} {diagnostic.Location.GetLineSpan()}: {diagnostic.GetMessage()}";
            if (diagnostic.Id == "SEED999")
            {
                return $"internal error {shown}";
            }

            if (diagnostic.GetMessage().Contains(Parsing.YamlSyntaxErrors.Unmapped, StringComparison.Ordinal))
            {
                return $"a YAML failure without its own words (add it to YamlSyntaxErrors.Known): {shown}";
            }

            var leak = FuzzOracle.DotNetText(diagnostic.GetMessage());
            if (leak is not null)
            {
                return $"message shows .NET text '{leak}': {shown}";
            }

            var problem = LocationProblem(diagnostic.Location, GeneratorHarness.PathOf(path), text);
            if (problem is not null)
            {
                return $"{problem}: {shown}";
            }
        }

        return null;
    }

    /// <summary>A location must name the file, and its span and line/column must be inside the text and agree.</summary>
    private static string? LocationProblem(Location location, string path, SourceText text)
    {
        if (location == Location.None)
        {
            return "no location";
        }

        var lines = location.GetLineSpan();
        var span = location.SourceSpan;
        if (lines.Path != path)
        {
            return $"located in '{lines.Path}', not in the file";
        }

        if (span.Start < 0 || span.End > text.Length)
        {
            return $"span {span} outside the text of {text.Length} characters";
        }

        if (text.Lines.GetLinePosition(span.Start) != lines.StartLinePosition || text.Lines.GetLinePosition(span.End) != lines.EndLinePosition)
        {
            return $"line/column {lines.Span} disagrees with the span {span} (which is {text.Lines.GetLinePositionSpan(span)})";
        }

        return null;
    }

    /// <summary>One to four mutations of the kinds the campaign found trouble with.</summary>
    internal static string Mutate(string original, Random random)
    {
        var text = new StringBuilder(original);
        for (var edits = random.Next(1, 5); edits > 0; edits--)
        {
            Mutations[random.Next(Mutations.Length)](text, random);
        }

        return text.ToString();
    }

    private const string YamlSignificant = ":-[]{}&*!|>'\"#,?\n \t\\%@`0.~";

    private static readonly string[] Tags =
    [
        "!<> ", "!!%00 ", "!<%00> ", "!<tag:x> ", "!<!> ", "!<", "!!", "!", "!% ", "!!%ZZ ", "!!%C3 ", "!e!x ", "!a!b!c ",
        "!!str ", "!!int ", "!!binary ", "!!map ", "!!seq ", "!!null ", "!!timestamp ", "!foo ", "!now ", "!ref ",
        "!geo ", "!bytes ", "!env X ", "!env:safe ", "!timestamp ", "!<tag:yaml.org,2002:int> ", "!,", "!<a b> ",
    ];

    private static readonly string[] Anchors =
    [
        "&a ", "*a", "&a [*a, *a]", "*undefined", "&x &y ", "&a *a", "<<: *a\n", "&[a] ", "*a,", "& ", "* ", "&a\n",
        "- &a x\n- *a\n",
    ];

    private static readonly string[] Fragments =
    [
        "\"", "'", "\"\\x\"", "\"\\ud800\"", "\"\\uDC00\\uD800\"", "\"\\U00110000\"", "\"\\q\"", "%YAML 1.3\n", "%TAG ! x\n",
        "%YAML 1.1\n%YAML 1.1\n", "--- ", "\n---\n", "...", "\n... x\n", "|0\n", ">-\n  a\n", "|2\n   a\n", "| #c\n",
        "? ", "? x\n: y\n", "- ", ": ", " #", "#", "@", "`", "{", "}", "[", "]", ",", "%", "\n  \n", "\\",
        "key: value\n", "- - - x\n", "0x", "1e999", "99999999999999999999", ".nan", "-.inf", "0o9", "~",
        "topic: ", "subscription: s\n", "- topic: goog\n", "ack_deadline: ", "601s", "9m", "32d", "1.5d", "dead_letter: { ",
        "max_delivery_attempts: ", "push_endpoint: http://x\n", "labels: { A: b }", "fields:\n  - a: ", "contains", "descending",
        "scope: ", "collection_group", "indexes: [", "{ order: ", "ttl: ", "field: ", "index: ", "field_override: ",
    ];

    private static readonly string[] Strange =
    [
        "\u2028", "\u2029", "\u0085", "\r", "\r\n", "\t", "\uFEFF", "\0", "\uD800", "\uDC00", "\u007F", "\u0001", "\u001B",
        "\u202E", "\u200B", "\uFFFE", "\uFFFF", "\u00A0", "😀", "é",
    ];

    private static readonly Action<StringBuilder, Random>[] Mutations =
    [
        // Flip: one character becomes a random one (any UTF-16 code unit, or a YAML-significant one).
        (text, random) => Replace(text, random, random.Next(2) == 0
            ? ((char)random.Next(0, 0x10000)).ToString()
            : YamlSignificant[random.Next(YamlSignificant.Length)].ToString()),
        (text, random) => Delete(text, random, random.Next(1, 8)),
        (text, random) => text.Length = random.Next(text.Length + 1),
        (text, random) => Insert(text, random, Tags[random.Next(Tags.Length)]),
        (text, random) => Insert(text, random, Tags[random.Next(Tags.Length)]),
        (text, random) => Insert(text, random, Anchors[random.Next(Anchors.Length)]),
        (text, random) => Insert(text, random, Fragments[random.Next(Fragments.Length)]),
        (text, random) => Insert(text, random, Strange[random.Next(Strange.Length)]),
        (text, random) => Replace(text, random, Strange[random.Next(Strange.Length)]),
        (text, random) => Insert(text, random, "\u2028\u2029\u0085"[random.Next(3)].ToString()),
        (text, random) =>
        {
            // Deep nesting, closed or not.
            var depth = random.Next(1, 90);
            var open = random.Next(2) == 0 ? '[' : '{';
            var nested = new string(open, depth) + (random.Next(2) == 0 ? new string(open == '[' ? ']' : '}', depth) : string.Empty);
            Insert(text, random, nested);
        },
        (text, _) => text.Replace("\r\n", "\n").Replace("\n", "\r\n"),
        (text, _) => text.Replace("\n", "\r"),
        (text, random) => text.Replace("\n  ", random.Next(2) == 0 ? "\n\t" : "\n \t"),
        (text, _) => text.Insert(0, '\uFEFF'),
        (text, random) =>
        {
            // A whole line repeated, dropped or indented differently.
            var lines = text.ToString().Split('\n').ToList();
            var at = random.Next(lines.Count);
            switch (random.Next(4))
            {
                case 0: lines.Insert(at, lines[random.Next(lines.Count)]); break;
                case 1: lines.RemoveAt(at); break;
                case 2: lines[at] = " " + lines[at]; break;
                default: lines[at] = lines[at].TrimStart(); break;
            }

            text.Clear().Append(string.Join('\n', lines));
        },
    ];

    private static void Insert(StringBuilder text, Random random, string what) => text.Insert(random.Next(text.Length + 1), what);

    private static void Replace(StringBuilder text, Random random, string what)
    {
        if (text.Length == 0)
        {
            text.Append(what);
            return;
        }

        var at = random.Next(text.Length);
        text.Remove(at, 1).Insert(at, what);
    }

    private static void Delete(StringBuilder text, Random random, int count)
    {
        var at = random.Next(text.Length + 1);
        text.Remove(at, Math.Min(count, text.Length - at));
    }

    /// <summary>A seeded System.Random is the same sequence on every platform; HashCode is not (it is salted per process).</summary>
    private static Random CaseRandom(int seed, int iteration) => new(unchecked((seed * 1_000_003) + iteration));

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;

    private static string Save(int seed, int iteration, string path, string yaml)
    {
        var folder = Environment.GetEnvironmentVariable("SEEDING_FUZZ_OUT") is { Length: > 0 } configured
            ? configured
            : Path.Combine(TestPaths.RepositoryRoot, "TestResults", "fuzz");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"seed{seed}-case{iteration}-{path.Replace('/', '_')}");
        File.WriteAllText(file, yaml, new UTF8Encoding(false));

        // UTF-8 cannot hold a lone surrogate: the C# literal beside it is exact, ready for a regression test.
        var literal = new StringBuilder("\"");
        foreach (var c in yaml)
        {
            literal.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ when c < ' ' || c > '~' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        File.WriteAllText(file + ".cs.txt", literal.Append('"').ToString());
        return file;
    }
}
