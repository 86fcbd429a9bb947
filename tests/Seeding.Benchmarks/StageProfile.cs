using System.Diagnostics;
using System.Globalization;
using Seeding.Generators.Descriptors;
using Seeding.Generators.Emit;
using Seeding.Generators.Model;
using Seeding.Generators.Parsing;

namespace Seeding.Benchmarks;

/// <summary>
/// Where the generator's time and memory go on one large seed file (the <c>service</c> part's YAML), stage by stage:
/// the YAML tree, the checksum pass, the whole parse (tree, checksum, documents, type inference, records) and the
/// emitter. The first pass runs cold (JIT included, as in a fresh compiler process); the next ones are warm.
/// Options: --docs N (default 10,000), --runs N (warm passes, default 3).
/// </summary>
internal static class StageProfile
{
    public static int Run(string[] args)
    {
        var docs = Option(args, "--docs", 10_000);
        var runs = Option(args, "--runs", 3);
        var text = new SeedFileText("/bench/migrations/pre/0001_items.yaml", "migrations/pre/0001_items.yaml", SeedFileKind.Seed, ServiceProjects.Yaml(0, docs));
        Console.WriteLine($"Generator stages on one file of {docs:N0} documents ({text.Content.Length / 1024.0 / 1024.0:F1} MiB of YAML); pass 0 is cold");
        Console.WriteLine();
        Console.WriteLine("| pass | YAML tree | checksum pass | whole parse | emit | parse+emit allocated | retained after parse |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        var context = new EmitContext("Bench", "1.0.0.0");
        var generated = 0;
        for (var pass = 0; pass <= runs; pass++)
        {
            var map = new SourceMap(text.FilePath, text.Content);
            var (tree, treeBytes) = Time(() => YamlTreeReader.Read(text.Content, map, new List<DiagnosticInfo>()));
            var (_, checksumBytes) = Time(() => Checksum.Compute(new ValueConverter(map, null).Convert(tree.Value!)));
            tree = default;
            GC.Collect();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var (parsed, parseBytes) = Time(() => SeedFileParser.Parse(text, CancellationToken.None));
            var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
            if (parsed.Value!.Model is null)
            {
                throw new InvalidOperationException("The benchmark file must be clean: " + string.Join("; ", parsed.Value.Diagnostics.Take(3)));
            }

            var (emitted, emitBytes) = Time(() => SeedFileEmitter.Emit(parsed.Value.Model, context));
            generated = emitted.Value!.Length;

            var total = GC.GetAllocatedBytesForCurrentThread() - allocated;
            GC.KeepAlive(parsed.Value);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {pass} | {treeBytes.Ms:F0} ms, {treeBytes.Mb:F0} MB | {checksumBytes.Ms:F0} ms, {checksumBytes.Mb:F0} MB | {parseBytes.Ms:F0} ms, {parseBytes.Mb:F0} MB | {emitBytes.Ms:F0} ms, {emitBytes.Mb:F0} MB | {total / 1048576.0:F0} MB | {retained / 1048576.0:F0} MB |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Generated file: {generated / 1048576.0:F1} M characters."));
        return 0;
    }

    private static ((T? Value, bool) Result, (double Ms, double Mb) Cost) Time<T>(Func<T> run)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var value = run();
        watch.Stop();
        return ((value, true), (watch.Elapsed.TotalMilliseconds, (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1048576.0));
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
