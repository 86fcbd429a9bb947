using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Seeding.Generators;

namespace Seeding.Benchmarks;

/// <summary>
/// Times the Seeding generator on a large service (default 1,000 YAML files of 20 documents): a cold run,
/// a run after editing one file, and a run after a C#-only edit. A Stopwatch harness with warmup and the
/// median of N runs keeps the default run well under a minute.
/// Options: --files N, --docs N, --runs N, --tracked (time with step tracking on, as before 2026-11-30), --steps.
/// </summary>
internal static class GeneratorBenchmark
{
    public static int Run(string[] args)
    {
        var files = Option(args, "--files", 1000);
        var docs = Option(args, "--docs", 20);
        var runs = Option(args, "--runs", 5);
        var tracked = args.Contains("--tracked");
        var texts = Enumerable.Range(0, files).Select(i => (AdditionalText)new Text(PathOf(i), Yaml(i, docs, 0))).ToList();
        var compilation = CSharpCompilation.Create("Bench.Service", [CSharpSyntaxTree.ParseText("namespace Bench { class Program { } }")]);
        var totalBytes = texts.Sum(t => t.GetText()!.Length);
        Console.WriteLine($"Seeding generator: {files:N0} files x {docs} documents ({totalBytes / 1024.0 / 1024.0:F1} MiB of YAML), median of {runs} runs after 1 warmup, {Environment.ProcessorCount} cores, step tracking {(tracked ? "on" : "off, as in the compiler")}");

        var cold = Measure(runs, () => Driver(texts, tracked), driver => driver.RunGenerators(compilation));

        var primed = Driver(texts, tracked).RunGenerators(compilation);
        var edit = 0;
        var editOne = Measure(runs, () =>
        {
            // A real change every time: a new value in file 500's first document.
            edit++;
            var index = files / 2;
            primed = primed.ReplaceAdditionalText(texts[index], texts[index] = new Text(PathOf(index), Yaml(index, docs, edit)));
            return primed;
        }, driver => primed = driver.RunGenerators(compilation));
        var csharpEdit = 0;
        var csharpOnly = Measure(runs, () => primed, driver =>
        {
            compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText($"namespace Bench {{ class Added{++csharpEdit} {{ }} }}"));
            return primed = driver.RunGenerators(compilation);
        });

        // The cache states, read from a driver with step tracking on (the compiler runs without it: it costs time).
        var check = Driver(texts, track: true).RunGenerators(compilation);
        var edited = files / 2;
        check = check.ReplaceAdditionalText(texts[edited], texts[edited] = new Text(PathOf(edited), Yaml(edited, docs, ++edit))).RunGenerators(compilation);
        var reasons = Reasons(check, TrackingNames.Parse);
        check = check.RunGenerators(compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText($"namespace Bench {{ class Added{++csharpEdit} {{ }} }}")));
        var csharpReasons = Reasons(check, TrackingNames.Parse);
        if (args.Contains("--steps"))
        {
            Steps(check);
        }

        Console.WriteLine();
        Console.WriteLine("| scenario | median | min | max | Parse step after the run |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        Row("cold run (new driver)", cold, $"{files:N0} New");
        Row("after editing one YAML file", editOne, reasons);
        Row("after a C#-only edit", csharpOnly, csharpReasons);
        return 0;
    }

    private static GeneratorDriver Driver(IEnumerable<AdditionalText> texts, bool track) =>
        CSharpGeneratorDriver.Create(
            [new SeedingGenerator().AsSourceGenerator()],
            texts,
            CSharpParseOptions.Default,
            new Options(),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>Runs <paramref name="run"/> once to warm up and then <paramref name="runs"/> times; returns sorted milliseconds.</summary>
    private static double[] Measure(int runs, Func<GeneratorDriver> setup, Func<GeneratorDriver, GeneratorDriver> run)
    {
        var times = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            var driver = setup();
            var watch = Stopwatch.StartNew();
            var result = run(driver).GetRunResult();
            watch.Stop();
            if (result.Diagnostics.Length > 0 || result.Results[0].Exception is not null)
            {
                throw new InvalidOperationException("The benchmark input must be clean: " + string.Join("; ", result.Diagnostics.Take(3)));
            }

            if (i > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return [.. times.Order()];
    }

    private static string Reasons(GeneratorDriver driver, string step) =>
        string.Join(", ", driver.GetRunResult().Results[0].TrackedSteps[step]
            .SelectMany(s => s.Outputs)
            .GroupBy(o => o.Reason)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Count():N0} {g.Key}"));

    /// <summary>The slowest named steps of the last run (--steps): where a run's time goes.</summary>
    private static void Steps(GeneratorDriver driver)
    {
        var result = driver.GetRunResult().Results[0];
        Console.WriteLine($"Last run: {driver.GetTimingInfo().ElapsedTime.TotalMilliseconds:F1} ms in generators; slowest steps:");
        foreach (var (name, steps) in result.TrackedSteps.OrderByDescending(p => p.Value.Sum(s => s.ElapsedTime.Ticks)).Take(8))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {steps.Sum(s => s.ElapsedTime.TotalMilliseconds):F1} ms over {steps.Length:N0} items"));
        }
    }

    private static void Row(string name, double[] times, string reasons) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {times[times.Length / 2]:F1} ms | {times[0]:F1} ms | {times[^1]:F1} ms | {reasons} |"));

    private static string PathOf(int i) => $"/bench/Service/migrations/pre/{i + 1:0000}_seed_{i}.yaml";

    /// <summary>A realistic file: defaults, strings, numbers, booleans, a list, a map, a timestamp.</summary>
    private static string Yaml(int file, int docs, int edit)
    {
        var yaml = new StringBuilder($"description: Generated seed {file}\ncreate: items_{file}\ndefaults:\n  created_at: !now\n  active: true\ndocuments:\n");
        for (var d = 0; d < docs; d++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - id: item-{d}\n    name: Item {d} of file {file}\n    rank: {(d == 0 ? edit : d)}\n    price: {d}.5\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    tags: [a{d}, b{d}]\n    meta: {{ source: bench, version: {d} }}\n    valid_from: !timestamp 2024-05-01T12:00:00Z\n");
        }

        return yaml.ToString();
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class Text(string path, string content) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(content, Encoding.UTF8);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        private static readonly Values Global = new(new Dictionary<string, string> { ["build_property.RootNamespace"] = "Bench.Service", ["build_property.AssemblyName"] = "Bench.Service" });
        private static readonly Values Seed = new(new Dictionary<string, string> { ["build_metadata.AdditionalFiles.SeedingFile"] = "true" });

        public override AnalyzerConfigOptions GlobalOptions => Global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Values.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Seed;

        private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Values Empty = new([]);

            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
