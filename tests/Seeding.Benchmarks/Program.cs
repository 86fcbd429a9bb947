using Seeding.Benchmarks;

// Each benchmark is a named part; run one with: dotnet run -c Release --project tests/Seeding.Benchmarks -- <part> [options]
var part = args.Length > 0 ? args[0] : "generator";
switch (part)
{
    case "generator":
        return GeneratorBenchmark.Run(args.Skip(1).ToArray());
    case "firestore":
        return await FirestoreBenchmark.RunAsync(args.Skip(1).ToArray());
    default:
        Console.Error.WriteLine($"Unknown benchmark '{part}'. Known: generator, firestore.");
        return 2;
}
