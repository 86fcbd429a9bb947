using System.Reflection;
using System.Text;
using Seeding.Definitions;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>
/// Large seed files compile their documents as data (a u8 literal decoded by the runtime) instead of an initializer.
/// The two forms must give the runtime exactly the same documents, and an applied migration must decode nothing.
/// </summary>
public sealed class CompactDataTests
{
    public const string AllKindsPath = "migrations/post/0002_all_kinds.yaml";

    /// <summary>Every value kind, the inference rules, odd doubles and strings, a match step, explicit nulls, !env fields.</summary>
    public static readonly string AllKinds = SeedSamples.ValueKinds
        .Replace("\n  ", "\n      ", StringComparison.Ordinal)
        .Replace("description: Every kind of value\nupsert: tenants/t1/places\ndocuments:\n", "description: Every kind of value, compact\nsteps:\n  - upsert: tenants/t1/places\n    documents:\n", StringComparison.Ordinal) + """

          - id: "odd \"doubles\" and strings"
            name: "tab\there, new\nline, bidi \u202E, emoji 😀, NUL \0 and ß"
            population: -9223372036854775808
            area: -0.0
            capital: true
            founded: !timestamp 9999-12-31T23:59:59.999999Z
            location: !geo [-90, 180]
            twin_city: !ref tenants/t1/places/berlin
            logo: !bytes AAEC/w==
            tags: ["", " ", "ünï"]
            scores: [.nan, .inf, -.inf, 9223372036854775807]
            mixed: [{ deep: [{ one: [1] }, { x: !now }] }, -0.0, !bytes AA==]
            address: { "a.b": dotted, ключ: значение }
            nothing: null
            motto: null
            rank: 9223372036854775807
            updated_at: !timestamp 1970-01-01T00:00:00Z
      - create: tenants/t1/places
        documents:
          - { id: extra, name: Extra, population: 1, area: 1.5, capital: false, founded: !timestamp 2024-02-29T12:00:00Z, location: !geo [0, 0], twin_city: !ref tenants/t1/places/extra, logo: !bytes "", tags: [], scores: [], mixed: [], address: {}, nothing: null, motto: m }
      - create: tenants/t1/secrets
        documents:
          - { id: api, name: API, key: !env SEEDING_COMPACT_KEY, shown: !env:safe SEEDING_COMPACT_SHOWN }
          - { id: plain, name: Plain }
      - create: tenants/t1/matched
        match: [email]
        new_id: "m-{hash:12}"
        documents:
          - { email: a@example.com, n: 1 }
          - { email: b@example.com, n: 2.5 }

    """;

    [Fact]
    public void TheCompactFormDecodesToExactlyTheDocumentsOfTheInitializer()
    {
        var small = Definition(Compile((AllKindsPath, AllKinds), threshold: 1000), "Post0002AllKinds");
        var large = Definition(Compile((AllKindsPath, AllKinds), threshold: 0), "Post0002AllKinds");

        Assert.Equal(small.Steps.Count, large.Steps.Count);
        for (var s = 0; s < small.Steps.Count; s++)
        {
            var (expected, actual) = (small.Steps[s], large.Steps[s]);
            Assert.Equal((expected.GetType(), expected.Collection, expected.Line, expected.Conditions), (actual.GetType(), actual.Collection, actual.Line, actual.Conditions));
            Assert.Equal(expected.Documents.Count, actual.Documents.Count);
            for (var d = 0; d < expected.Documents.Count; d++)
            {
                AssertSameDocument(expected.Documents[d], actual.Documents[d]);
                AssertSameDocument(expected.Documents[d], actual.Documents.ElementAt(d)); // enumeration and indexing agree
            }
        }

        Assert.Equal(9, small.Steps.Sum(s => s.Documents.Count));
        var odd = large.Steps[0].Documents[3].Fields;
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(odd["area"].AsDouble()));
        Assert.True(double.IsNaN(odd["scores"].AsArray()[0].AsDouble()));
        Assert.Equal(Value.Integer(long.MinValue), odd["population"]);
    }

    [Fact]
    public void TheTypedListDecodesToTheSameRecordsAsTheInitializer()
    {
        var small = Compile((AllKindsPath, AllKinds), threshold: 1000).GetType("Acme.Users.Seeds.Post0002AllKinds")!;
        var large = Compile((AllKindsPath, AllKinds), threshold: 0).GetType("Acme.Users.Seeds.Post0002AllKinds")!;
        var lists = small.GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            .Select(p => p.Name)
            .ToList();
        Assert.Equal(3, lists.Count); // places, secrets, matched
        foreach (var list in lists)
        {
            var expected = ((System.Collections.IEnumerable)small.GetProperty(list)!.GetValue(null)!).Cast<object>().ToList();
            var actual = ((System.Collections.IEnumerable)large.GetProperty(list)!.GetValue(null)!).Cast<object>().ToList();
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(ToFields(expected[i]), ToFields(actual[i]));
            }
        }
    }

    [Theory]
    [InlineData(200, 200, false)]
    [InlineData(201, 200, true)]
    [InlineData(3, 2, true)]
    [InlineData(3, 3, false)]
    public void FilesAboveTheThresholdUseTheCompactForm(int documents, int threshold, bool compact)
    {
        var run = Run(("migrations/pre/0001_many.yaml", Many(documents)), threshold == 200 ? null : threshold).AssertClean();
        var source = run.Source("Pre0001Many.g.cs");
        Assert.Equal(compact, source.Contains("\"u8;", StringComparison.Ordinal));
        Assert.Equal(!compact, source.Contains("new(Id: \"item-00000\"", StringComparison.Ordinal));
    }

    [Fact]
    public void ALargeFileStillShowsItsTypesStepChecksumCountAndLines()
    {
        var run = Run(("migrations/pre/0003_large_compact.yaml", Many(4)), threshold: 3).AssertClean();
        SnapshotAssert.Matches("Pre0003LargeCompact", run.Source("Pre0003LargeCompact.g.cs"));
    }

    [Fact]
    public async Task AnAppliedLargeMigrationDecodesNoDocument()
    {
        const string path = "migrations/pre/0042_applied_large.yaml";
        var output = Run((path, Many(5000)), threshold: null).AssertClean();
        var store = new InMemoryDocumentStore();

        using var decoded = new DecodedDocuments(path);

        var first = await new SeedRunner(store).RunAsync(Registry(output.Load()), RunRequest.PreDeploy());
        Assert.Equal(5000, first.Created);
        Assert.True(decoded.Count >= 5000, $"the first run decoded {decoded.Count} documents");

        // A new process: the assembly loaded afresh (its statics unset), the migration already applied.
        decoded.Reset();
        var service = Registry(output.Load());
        var again = await new SeedRunner(store).RunAsync(service, RunRequest.PreDeploy());
        Assert.Equal(SeedOutcome.AlreadyApplied, Assert.Single(again.Seeds).Outcome);
        Assert.Equal(0, decoded.Count);
    }

    [Fact]
    public void ALargeFileWithoutAliasesCompiles()
    {
        // 10,000 documents of 11 values each: more values than SEED018 once allowed a whole file.
        var run = Run(("migrations/pre/0001_many.yaml", Many(10_000)), threshold: null).AssertClean();
        Assert.Contains("\"u8;", run.Source("Pre0001Many.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void ManyDocumentsGoIntoPartsOfAtMostAThousandAndDecodeLikeTheInitializerAcrossParts()
    {
        // Two steps over one record: the second starts in the middle of the second part.
        var yaml = Many(2_500).Replace("create: items\ndefaults:\n  created_at: !now\ndocuments:\n", "steps:\n  - create: items\n    documents:\n", StringComparison.Ordinal);
        var lines = yaml.Split('\n').ToList();
        lines.Insert(4 + 1_500, "  - upsert: items\n    documents:");
        yaml = string.Join("\n", lines.Select((l, i) => i > 3 && l.StartsWith("  - {", StringComparison.Ordinal) ? "    " + l : l));
        var file = ("migrations/pre/0001_parts.yaml", yaml);

        var source = Run(file, threshold: null).AssertClean().Source("Pre0001Parts.g.cs");
        Assert.Contains("static () => Items_Data2,", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Items_Data3", source, StringComparison.Ordinal);
        Assert.Contains("// 1,000 documents at migrations/pre/0001_parts.yaml:", source, StringComparison.Ordinal);
        Assert.Contains("// 500 documents at migrations/pre/0001_parts.yaml:", source, StringComparison.Ordinal);

        var small = Definition(Compile(file, threshold: 10_000), "Pre0001Parts");
        var large = Definition(Compile(file, threshold: 0), "Pre0001Parts");
        Assert.Equal([1_500, 1_000], large.Steps.Select(s => s.Documents.Count));
        for (var s = 0; s < small.Steps.Count; s++)
        {
            var enumerated = large.Steps[s].Documents.ToList();
            Assert.Equal(small.Steps[s].Documents.Count, enumerated.Count);
            for (var d = 0; d < enumerated.Count; d++)
            {
                AssertSameDocument(small.Steps[s].Documents[d], enumerated[d]);
                AssertSameDocument(small.Steps[s].Documents[d], large.Steps[s].Documents[d]);
            }
        }
    }

    [Fact]
    public void LargeDocumentsGoIntoPartsOfAtMost256KilobytesAndKeepTheirStrings()
    {
        // Five documents of ~100 KB each: two fit a 256 KB part, a third does not.
        var yaml = new StringBuilder("create: blobs\ndocuments:\n");
        for (var i = 0; i < 5; i++)
        {
            yaml.Append($"  - {{ id: b{i}, text: {new string((char)('a' + i), 100_000)}é }}\n");
        }

        var run = Run(("migrations/pre/0001_blobs.yaml", yaml.ToString()), threshold: 2).AssertClean();
        var source = run.Source("Pre0001Blobs.g.cs");
        Assert.Contains("static () => Blobs_Data2,", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Blobs_Data3", source, StringComparison.Ordinal);
        var documents = Definition(run.Load(), "Pre0001Blobs").Steps[0].Documents;
        Assert.Equal(["b0", "b1", "b2", "b3", "b4"], documents.Select(d => d.Id));
        Assert.Equal(new string('e', 100_000) + "é", documents[4].Fields["text"].AsString());
    }

    [Fact]
    public void PartsThatEndBeforeTheLastDocumentSayTheDataIsDamaged()
    {
        // Two parts of one document each; a step of two documents from the second one runs past the end.
        var one = "9:1:a1;0;0;"u8.ToArray();
        var documents = CompactDocuments.Documents([() => one, () => one], "migrations/pre/0001_x.yaml", first: 1, count: 2);
        Assert.Equal("a", documents.First().Id);
        var error = Assert.Throws<FormatException>(() => documents.ToList());
        Assert.Throws<FormatException>(() => documents[0]);
        Assert.Contains("migrations/pre/0001_x.yaml ends before its last document", error.Message, StringComparison.Ordinal);
        Assert.Contains("Rebuild the service", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAliasLimitSaysWhatTheLimitIsAndHowToSplitTheFile()
    {
        var yaml = new StringBuilder("create: roles\ndocuments:\n  - id: a\n    x0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 6; i++)
        {
            yaml.Append($"    x{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        var run = Run(("migrations/pre/0001_bomb.yaml", yaml.ToString()), threshold: null);
        var message = Assert.Single(run.Diagnostics, d => d.Id == "SEED018").GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("copy more than 100,000 values", message, StringComparison.Ordinal);
        Assert.Contains("the limit per file is 100,000 values copied through aliases", message, StringComparison.Ordinal);
        Assert.Contains("split the file", message, StringComparison.Ordinal);
    }

    /// <summary><paramref name="count"/> documents of every scalar kind, a list and a map.</summary>
    internal static string Many(int count)
    {
        var yaml = new StringBuilder("description: Many items\ncreate: items\ndefaults:\n  created_at: !now\ndocuments:\n");
        for (var i = 0; i < count; i++)
        {
            yaml.Append($"  - {{ id: item-{i:D5}, n: {i}, name: Item {i}, price: {i}.5, active: {(i % 2 == 0 ? "true" : "false")}, tags: [a, b], meta: {{ k: v{i} }} }}\n");
        }

        return yaml.ToString();
    }

    internal static GeneratorRun Run((string Path, string Yaml) file, int? threshold)
    {
        var properties = new Dictionary<string, string>
        {
            ["build_property.RootNamespace"] = "Acme.Users",
            ["build_property.AssemblyName"] = "Acme.Users",
            ["build_property.ProjectDir"] = GeneratorHarness.ProjectDir,
        };
        if (threshold is { } value)
        {
            properties["build_property.SeedingCompactThreshold"] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var driver = GeneratorHarness.Driver([GeneratorHarness.File(file.Path, file.Yaml)], properties)
            .RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(), out var output, out var diagnostics);
        return new GeneratorRun(driver, output, diagnostics);
    }

    private static Assembly Compile((string Path, string Yaml) file, int threshold)
    {
        var run = Run(file, threshold);
        var problems = string.Join("\n", run.Diagnostics.Concat(run.CompilerProblems));
        Assert.True(problems.Length == 0, problems);
        return run.AssertClean().Load();
    }

    private static SeedDefinition Definition(Assembly assembly, string className) =>
        (SeedDefinition)assembly.GetType("Acme.Users.Seeds." + className)!.GetProperty("Definition")!.GetValue(null)!;

    private static ServiceSeeds Registry(Assembly assembly) =>
        (ServiceSeeds)assembly.GetCustomAttribute<SeedingServiceAttribute>()!.Registry.GetProperty("Service")!.GetValue(null)!;

    private static Value ToFields(object record) =>
        Value.Map((IReadOnlyDictionary<string, Value>)record.GetType().GetMethod("ToFields")!.Invoke(record, null)!);

    private static void AssertSameDocument(SeedDocument expected, SeedDocument actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Line, actual.Line);
        Assert.Equal(Value.Map(expected.Fields), Value.Map(actual.Fields));
        Assert.Equal(expected.Fields.Keys, actual.Fields.Keys); // same order, as ToFields writes them
        Assert.Equal(expected.Configured ?? [], actual.Configured ?? []);
    }
}
