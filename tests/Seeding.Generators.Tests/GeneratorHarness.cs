using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Seeding.Generators;

namespace Seeding.Generators.Tests;

/// <summary>An additional file held in memory, as the IDE or MSBuild would pass one.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text, Encoding.UTF8);
}

/// <summary>The compiler-visible properties and the SeedingFile metadata that Seeding.props provides.</summary>
internal sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> globals) : AnalyzerConfigOptionsProvider
{
    private static readonly DictionaryOptions SeedingFile = new(new Dictionary<string, string> { ["build_metadata.AdditionalFiles.SeedingFile"] = "true" });

    public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(globals);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => DictionaryOptions.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => SeedingFile;

    private sealed class DictionaryOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}

/// <summary>Runs the generator the way the compiler does, on in-memory YAML, and compiles what it produces.</summary>
internal static class GeneratorHarness
{
    /// <summary>A machine-specific project folder: generated code must never mention it.</summary>
    public const string ProjectDir = "/home/dev/src/Acme.Users/";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(Seeding.Values.Value).Assembly.Location),
    ];

    public static string PathOf(string relative) => ProjectDir + relative;

    public static AdditionalText File(string relative, string content) => new InMemoryAdditionalText(PathOf(relative), content);

    public static CSharpCompilation Compilation(string source = "namespace Acme.Users { internal static class Program { } }", string path = "Program.cs") =>
        CSharpCompilation.Create(
            "Acme.Users",
            [CSharpSyntaxTree.ParseText(source, ParseOptions, path: ProjectDir + path)],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> files, IReadOnlyDictionary<string, string>? properties = null) =>
        CSharpGeneratorDriver.Create(
            [new SeedingGenerator().AsSourceGenerator()],
            files,
            ParseOptions,
            new TestOptionsProvider(properties ?? new Dictionary<string, string>
            {
                ["build_property.RootNamespace"] = "Acme.Users",
                ["build_property.AssemblyName"] = "Acme.Users",
                ["build_property.ProjectDir"] = ProjectDir,
            }),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs once over the given files (relative path → YAML).</summary>
    public static GeneratorRun Run(params (string Path, string Yaml)[] files) =>
        Run(files.Select(f => File(f.Path, f.Yaml)));

    public static GeneratorRun Run(IEnumerable<AdditionalText> files) => Run(Compilation(), files);

    /// <summary>Runs once over C# source (e.g. C# migrations) and the given files.</summary>
    public static GeneratorRun RunWithCode(string csharp, params (string Path, string Yaml)[] files) =>
        Run(Compilation(csharp), files.Select(f => File(f.Path, f.Yaml)));

    public static GeneratorRun Run(CSharpCompilation compilation, IEnumerable<AdditionalText> files)
    {
        var driver = Driver(files).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        return new GeneratorRun(driver, output, driverDiagnostics);
    }
}

/// <summary>One generator run: its result, the compilation with generated sources, and what went wrong.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    /// <summary>The generator's own diagnostics (SEED...), in a stable order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => Result.Diagnostics
        .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
        .ThenBy(d => d.Location.SourceSpan.Start)
        .ThenBy(d => d.Id, StringComparer.Ordinal)
        .ToList();

    public string Source(string hintName) => Result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    public IReadOnlyList<string> HintNames => Result.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal).ToList();

    /// <summary>Compiler warnings and errors in the output (generated code included), excluding the generator's own.</summary>
    public IReadOnlyList<Diagnostic> CompilerProblems => Output.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .ToList();

    /// <summary>Fails with readable details unless the generator ran cleanly and everything compiles warning-free.</summary>
    public GeneratorRun AssertClean()
    {
        Assert.Null(Result.Exception);
        Assert.Empty(DriverDiagnostics.Select(d => d.ToString()));
        Assert.Empty(Diagnostics.Select(d => d.ToString()));
        Assert.Empty(CompilerProblems.Select(d => d.ToString()));
        return this;
    }

    /// <summary>Emits the output to memory and loads it, so tests can read the generated definitions.</summary>
    public System.Reflection.Assembly Load()
    {
        using var stream = new MemoryStream();
        var emit = Output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return System.Reflection.Assembly.Load(stream.ToArray());
    }
}
