using Seeding.Benchmarks;

// Each benchmark is a named part; run one with: dotnet run -c Release --project tests/Seeding.Benchmarks -- <part> [options]
var part = args.Length > 0 ? args[0] : "generator";
switch (part)
{
    case "generator":
        return GeneratorBenchmark.Run(args.Skip(1).ToArray());
    case "firestore":
        // In-process runner figures, then whole processes against the Node peers (the ratio is printed).
        var inProcess = await FirestoreBenchmark.RunAsync(args.Skip(1).ToArray());
        return inProcess != 0 ? inProcess : await ServiceBenchmark.RunAsync(args.Skip(1).ToArray());
    case "firestore-writes":
        // BatchWrite calls in flight: sequential against 2 and 4 concurrent (does concurrency pay on the emulator?).
        return await FirestoreWriteBenchmark.RunAsync(args.Skip(1).ToArray());
    case "stages":
        // One large file through the generator's stages in-process: time and allocations per stage, cold then warm.
        return StageProfile.Run(args.Skip(1).ToArray());
    case "service":
        return await ServiceBenchmark.RunAsync(args.Skip(1).ToArray());
    case "resources":
        // Pub/Sub topic and subscription steps as whole processes on the emulator, against the Node client and gcloud.
        return await ResourceBenchmark.RunAsync(args.Skip(1).ToArray());
    case "diff":
    case "pull":
        // Live state as whole processes on the emulator: seeding diff / pull (text and JSON) against a Node peer.
        return await LiveStateBenchmark.RunAsync(part, args.Skip(1).ToArray());
    case "backfill":
        // A YAML backfill as whole processes on the emulator: 1 worker, 4 workers, 4 processes and a Node peer, with and
        // without a 10 ms round-trip proxy; then the write budget held over a minute.
        return await BackfillBenchmark.RunAsync(args.Skip(1).ToArray());
    default:
        Console.Error.WriteLine($"Unknown benchmark '{part}'. Known: generator, stages, firestore, firestore-writes, service, resources, diff, pull, backfill.");
        return 2;
}
