using Grpc.Core.Interceptors;
using Seeding.PubSub;

namespace Seeding.TestSupport;

/// <summary>
/// One Pub/Sub emulator for the whole test run (started once, on first use). Reuses PUBSUB_EMULATOR_HOST when set;
/// otherwise starts Google's emulator from the gcloud SDK as an <see cref="EmulatorProcess"/> (own process group,
/// watchdog, ended at exit). Tests fail, never skip, when it cannot start.
/// </summary>
public static class PubSubEmulator
{
    private static readonly Lazy<Task<string>> Started = new(StartAsync);
    private static EmulatorProcess? _process;

    /// <summary><c>host:port</c> of the running emulator.</summary>
    public static Task<string> HostAsync() => Started.Value;

    /// <summary>How long starting (or finding) the emulator took, for the measurements.</summary>
    public static TimeSpan StartTime { get; private set; }

    /// <summary>A project id no other test uses: the emulator keeps each project's topics apart.</summary>
    public static string NewProjectId(string hint = "t") => $"demo-{hint.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>Options for a client of the emulator, in <paramref name="projectId"/>.</summary>
    public static async Task<PubSubOptions> OptionsAsync(string projectId, params Interceptor[] interceptors)
    {
        var options = new PubSubOptions { ProjectId = projectId, EmulatorHost = await HostAsync(), CallTimeout = TimeSpan.FromSeconds(30) };
        foreach (var interceptor in interceptors)
        {
            options.Interceptors.Add(interceptor);
        }

        return options;
    }

    /// <summary>A client of the emulator in <paramref name="projectId"/>.</summary>
    public static async Task<PubSubAdmin> AdminAsync(string projectId, params Interceptor[] interceptors) =>
        new(await OptionsAsync(projectId, interceptors));

    private static async Task<string> StartAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var existing = Environment.GetEnvironmentVariable(PubSubOptions.EmulatorHostVariable);
        if (!string.IsNullOrWhiteSpace(existing))
        {
            var host = existing.Trim();
            if (!await EmulatorProcess.AnswersAsync(host, TimeSpan.FromSeconds(30)))
            {
                throw Unavailable($"PUBSUB_EMULATOR_HOST is {host}, but nothing answered on http://{host}/ within 30 s.");
            }

            StartTime = clock.Elapsed;
            return host;
        }

        var script = Path.Combine(EmulatorProcess.FindSdkRoot(), "platform", "pubsub-emulator", "bin", "cloud-pubsub-emulator");
        if (!File.Exists(script))
        {
            throw Unavailable($"the emulator script was not found at {script}. Install it with 'gcloud components install pubsub-emulator' " +
                              "(or the google-cloud-cli-pubsub-emulator package); it needs Java 11 or later.");
        }

        _process = await EmulatorProcess.StartAsync("PubSub", script, port => $"--host=127.0.0.1 --port={port}", TimeSpan.FromSeconds(60), Unavailable);
        StartTime = clock.Elapsed;
        return _process.Host;
    }

    private static InvalidOperationException Unavailable(string why) => new(
        $"The Pub/Sub emulator is required by these tests and could not be started{EmulatorProcess.OnCi}: {why} " +
        "Alternatively start one yourself ('gcloud beta emulators pubsub start --host-port=127.0.0.1:8085') and set PUBSUB_EMULATOR_HOST=host:port.");
}
