using System.Diagnostics;
using System.Globalization;
using Seeding.TestSupport;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// The <c>campaign</c> entry of <see cref="Program"/>: the crash campaign at any size, from one command, e.g. issue 18's
/// <c>dotnet run -c Release --project tests/Seeding.Concurrency.Tests -- campaign --store firestore --documents 100000 --kills 20</c>.
/// Starts the Firestore emulator when asked for it (or reuses <c>FIRESTORE_EMULATOR_HOST</c>), prints progress and a
/// summary, and exits 0 when every invariant held, 1 when one did not (each failure printed), 2 on bad arguments or
/// when the campaign could not run.
/// </summary>
public static class BackfillCrashCampaignCommand
{
    /// <summary>The usage line printed with a bad argument.</summary>
    public const string Usage =
        "usage: campaign --store firestore|sqlite [--documents 100000] [--kills 20] [--batch 50] [--pace-ms 60] [--kill-gap-ms 100-300]\n" +
        "  the kills are spread at random over the backfill's progress; with --kill-gap-ms they come one after another, each after a random gap";

    /// <summary>Runs the campaign named by <paramref name="args"/> (the arguments after <c>campaign</c>); returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string kind;
        BackfillCrashCampaignSettings settings;
        try
        {
            (kind, settings) = Parse(args);
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"campaign: {e.Message}\n{Usage}");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // stop the campaign, which kills its worker processes, instead of leaving them behind
            cancel.Cancel();
        };
        var clock = Stopwatch.StartNew();
        void Print(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,7:F1} s] {line}"));
        using var scratch = new ScratchDirectory("seeding-backfill-crash-campaign");
        var projects = new List<string>();
        string? host = null;
        try
        {
            StoreSpec spec, reference;
            if (kind == "firestore")
            {
                Print("starting the Firestore emulator (or using FIRESTORE_EMULATOR_HOST)");
                host = await FirestoreEmulator.HostAsync();
                projects.AddRange([FirestoreEmulator.NewProjectId("bfcrash"), FirestoreEmulator.NewProjectId("bfclean")]);
                (spec, reference) = (StoreSpec.Firestore(host, projects[0]), StoreSpec.Firestore(host, projects[1]));
                Print($"emulator at {host}: projects {projects[0]} (killed run), {projects[1]} (uninterrupted run)");
            }
            else
            {
                (spec, reference) = (StoreSpec.Sqlite(Path.Combine(scratch.Path, "killed.db")), StoreSpec.Sqlite(Path.Combine(scratch.Path, "uninterrupted.db")));
            }

            var result = await new BackfillCrashCampaign(settings, spec, reference, scratch.Path, Print).RunAsync(cancel.Token);
            Console.WriteLine();
            foreach (var line in result.SummaryLines())
            {
                Console.WriteLine(line);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time:          {clock.Elapsed.TotalSeconds:F1} s in all"));
            foreach (var failure in result.Failures)
            {
                await Console.Error.WriteLineAsync($"FAILED: {failure}");
            }

            return result.Passed ? 0 : 1;
        }
        catch (BackfillCrashCampaignException e)
        {
            await Console.Error.WriteLineAsync($"FAILED: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("campaign: cancelled; its worker processes were ended.");
            return 2;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"campaign: could not run: {e}");
            return 2;
        }
        finally
        {
            if (host is not null)
            {
                await ClearAsync(host, projects); // an emulator that stays up (FIRESTORE_EMULATOR_HOST) keeps every project in memory
            }

            FirestoreEmulator.Stop(); // only the one this process started
        }
    }

    private static (string Kind, BackfillCrashCampaignSettings Settings) Parse(IReadOnlyList<string> args)
    {
        string? kind = null;
        int documents = 100_000, kills = 20, batch = 50, pace = 60, minGap = 100, maxGap = 300;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--store":
                    kind = value is "firestore" or "sqlite" ? value : throw new ArgumentException($"--store {value}: give firestore or sqlite.");
                    break;
                case "--documents":
                    documents = Number(name, value);
                    break;
                case "--kills":
                    kills = Number(name, value);
                    break;
                case "--batch":
                    batch = Number(name, value);
                    break;
                case "--pace-ms":
                    pace = Number(name, value);
                    break;
                case "--kill-gap-ms":
                    var parts = value.Split('-');
                    (minGap, maxGap) = parts.Length == 2 ? (Number(name, parts[0]), Number(name, parts[1])) : throw new ArgumentException($"--kill-gap-ms {value}: give MIN-MAX, e.g. 100-300.");
                    break;
                default:
                    throw new ArgumentException($"unknown option {name}.");
            }
        }

        return (kind ?? throw new ArgumentException("--store is required."),
            new BackfillCrashCampaignSettings(documents, kills, batch, pace) { MinKillGapMilliseconds = minGap, MaxKillGapMilliseconds = maxGap, SpreadKills = !args.Contains("--kill-gap-ms") });
    }

    private static int Number(string name, string value) =>
        int.TryParse(value.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"{name} {value}: give a whole number.");

    // Deletes the campaign's documents through the emulator's own endpoint; best effort, the emulator may be gone.
    private static async Task ClearAsync(string host, IEnumerable<string> projects)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var project in projects)
        {
            try
            {
                using var response = await http.DeleteAsync(new Uri($"http://{host}/emulator/v1/projects/{project}/databases/(default)/documents"));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Gone already: nothing is held.
            }
        }
    }
}
