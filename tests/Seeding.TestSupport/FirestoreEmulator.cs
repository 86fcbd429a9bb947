using Seeding.Firestore;

namespace Seeding.TestSupport;

/// <summary>
/// One Firestore emulator for the whole test run (started once, on first use). Reuses FIRESTORE_EMULATOR_HOST when
/// set; otherwise starts Google's emulator from the gcloud SDK as an <see cref="EmulatorProcess"/> (own process group,
/// watchdog, ended at exit). Tests fail, never skip, when it cannot start.
/// </summary>
public static class FirestoreEmulator
{
    private static readonly Lazy<Task<string>> Started = new(StartAsync);
    private static EmulatorProcess? _process;

    /// <summary><c>host:port</c> of the running emulator.</summary>
    public static Task<string> HostAsync() => Started.Value;

    /// <summary>A project id no other test uses: the emulator keeps one isolated data set per project.</summary>
    public static string NewProjectId(string hint = "t") => $"demo-{hint.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>Options for a store on the emulator, in a fresh project unless one is given.</summary>
    public static async Task<FirestoreStoreOptions> OptionsAsync(string? projectId = null, string databaseId = FirestoreStoreOptions.DefaultDatabase) => new()
    {
        EmulatorHost = await HostAsync(),
        ProjectId = projectId ?? NewProjectId(),
        DatabaseId = databaseId,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        CallTimeout = TimeSpan.FromSeconds(30),
    };

    private static async Task<string> StartAsync()
    {
        var existing = Environment.GetEnvironmentVariable("FIRESTORE_EMULATOR_HOST");
        if (!string.IsNullOrWhiteSpace(existing))
        {
            return await EmulatorProcess.AnswersAsync(existing.Trim(), TimeSpan.FromSeconds(30))
                ? existing.Trim()
                : throw Unavailable($"FIRESTORE_EMULATOR_HOST is {existing.Trim()}, but nothing answered on http://{existing.Trim()}/ within 30 s.");
        }

        var script = Path.Combine(EmulatorProcess.FindSdkRoot(), "platform", "cloud-firestore-emulator", "cloud_firestore_emulator");
        if (!File.Exists(script))
        {
            throw Unavailable($"the emulator script was not found at {script}. Install it with 'gcloud components install cloud-firestore-emulator' (or the google-cloud-cli-firestore-emulator package).");
        }

        _process = await EmulatorProcess.StartAsync("Firestore", script, port => $"start --host=127.0.0.1 --port={port}", TimeSpan.FromSeconds(90), Unavailable);
        return _process.Host;
    }

    /// <summary>Ends the emulator this run started (its whole process group).</summary>
    public static void Stop() => _process?.Stop();

    private static InvalidOperationException Unavailable(string why) => new(
        $"The Firestore emulator is required by these tests and could not be started{EmulatorProcess.OnCi}: {why} " +
        "Alternatively start one yourself and set FIRESTORE_EMULATOR_HOST=host:port.");
}
