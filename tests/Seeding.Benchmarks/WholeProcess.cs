using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Seeding.TestSupport;

namespace Seeding.Benchmarks;

/// <summary>One timed child process: wall time, peak RSS (GNU time's <c>%M</c>) and the JSON line it printed last.</summary>
internal sealed record Measured(double Seconds, double RssMb, Dictionary<string, double> Details)
{
    /// <summary>CPU seconds the process used (user + system, GNU time's <c>%U</c> and <c>%S</c>; summed over processes run together).</summary>
    public double CpuSeconds { get; init; }

    /// <summary>CPU seconds the local emulators used while it ran (<see cref="EmulatorCpu"/>).</summary>
    public double EmulatorCpuSeconds { get; init; }

    /// <summary>What the process wrote to standard output, for the parts that check what it reported.</summary>
    public string Output { get; init; } = string.Empty;

    /// <summary>What the process wrote to standard error (warnings, progress lines).</summary>
    public string Error { get; init; } = string.Empty;
}

/// <summary>
/// The whole-process machinery of the benchmarks that compare Seeding with a peer a user would otherwise pick: each
/// contender runs as its own process (build, start, JIT and run included), timed from outside by <c>/usr/bin/time</c>;
/// results are collected per contender across alternated runs and reported as medians.
/// </summary>
internal static class WholeProcess
{
    /// <summary>
    /// Runs <paramref name="program"/> to its end under <c>/usr/bin/time</c>; fails with its output when it exits non-zero.
    /// Its last stdout line starting with <c>{</c> is read as a JSON object of numbers (the process's own figures).
    /// </summary>
    public static async Task<Measured> TimeAsync(IReadOnlyDictionary<string, string> environment, string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        var argumentList = arguments.ToList();
        foreach (var argument in new[] { "-f", "TIME %e %M %U %S", program }.Concat(argumentList))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var emulatorCpu = EmulatorCpu.Seconds();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (stdout, stderr) = (await output, await error);
        var time = stderr.Split('\n').LastOrDefault(l => l.StartsWith("TIME ", StringComparison.Ordinal))?.Split(' ');
        if (process.ExitCode != 0 || time is null)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', argumentList)} failed ({process.ExitCode}):\n{stdout}\n{stderr}");
        }

        foreach (var line in stderr.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("TIME ", StringComparison.Ordinal)).Take(5))
        {
            Console.WriteLine("    " + line);
        }

        // Only a one-line object of numbers is a process's own figures (a command's --output json document is not).
        var json = stdout.Split('\n').LastOrDefault(l => l.StartsWith('{') && l.TrimEnd().EndsWith('}'));
        Dictionary<string, double> details;
        try
        {
            details = json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, double>>(json)!;
        }
        catch (JsonException)
        {
            details = [];
        }

        return new Measured(double.Parse(time[1], CultureInfo.InvariantCulture), long.Parse(time[2], CultureInfo.InvariantCulture) / 1024.0, details)
        {
            CpuSeconds = double.Parse(time[3], CultureInfo.InvariantCulture) + double.Parse(time[4], CultureInfo.InvariantCulture),
            EmulatorCpuSeconds = EmulatorCpu.Seconds() - emulatorCpu,
            Output = stdout,
            Error = stderr,
        };
    }

    /// <summary>
    /// <c>dotnet build -c Release</c> of a service project as a user's build runs it once, without a compiler server or
    /// node reuse (so the compiler, which runs the generator, is measured inside the build): wall time and the peak RSS
    /// of the largest process of the build.
    /// </summary>
    public static Task<Measured> BuildAsync(string project, params string[] extra) =>
        TimeAsync(new Dictionary<string, string>(), "dotnet", ["build", project, "-c", "Release", "-m:1", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v:q", "-nologo", .. extra]);

    /// <summary>Adds <paramref name="measured"/> to <paramref name="what"/>'s list (in first-seen order) and prints it.</summary>
    public static void Add(Dictionary<string, List<Measured>> results, string what, Measured measured)
    {
        if (!results.TryGetValue(what, out var list))
        {
            results[what] = list = [];
        }

        list.Add(measured);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: {measured.Seconds:F2} s, {measured.RssMb:F0} MB, CPU {measured.CpuSeconds:F1} s (emulator {measured.EmulatorCpuSeconds:F1} s)"));
    }

    /// <summary>The run with the median wall time.</summary>
    public static Measured MedianRun(List<Measured> list) => list.OrderBy(m => m.Seconds).ElementAt(list.Count / 2);

    /// <summary>The header of a contender table (<see cref="Row"/>): <paramref name="first"/> names the first column.</summary>
    public static void Header(string first)
    {
        Console.WriteLine($"| {first} | whole process (median) | range | peak RSS | CPU (median run) | emulator CPU (median run) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    }

    /// <summary>
    /// One contender's row: the median wall time, the range, the highest peak RSS, and the CPU seconds the median run and
    /// the emulator spent (where the wall time went: the process's own work, or the emulator's answers).
    /// </summary>
    public static void Row(string what, List<Measured> list)
    {
        var median = MedianRun(list);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {median.Seconds:F2} s | {list.Min(m => m.Seconds):F2}-{list.Max(m => m.Seconds):F2} s | {list.Max(m => m.RssMb):F0} MB | {median.CpuSeconds:F1} s | {median.EmulatorCpuSeconds:F1} s |"));
    }

    /// <summary>The median wall time, in seconds.</summary>
    public static double Median(List<Measured> list) => MedianRun(list).Seconds;

    /// <summary>A figure the process printed, in milliseconds, or "-".</summary>
    public static string Ms(Measured m, string key) => m.Details.TryGetValue(key, out var value) ? string.Create(CultureInfo.InvariantCulture, $"{value:N0} ms") : "-";

    /// <summary>The value after <paramref name="name"/> on the command line, or null.</summary>
    public static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>Installs a Node peer's pinned client from its <c>package-lock.json</c> (once; shared with the tests).</summary>
    public static void EnsureNodePackages(string folder) => NodePackages.EnsureInstalled(folder);
}
