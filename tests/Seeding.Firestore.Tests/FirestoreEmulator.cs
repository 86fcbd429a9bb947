using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Seeding.Firestore.Tests;

/// <summary>
/// One Firestore emulator for the whole test run (started once, on first use). Reuses FIRESTORE_EMULATOR_HOST when
/// set; otherwise starts Google's emulator from the gcloud SDK in its own process group and ends the whole group
/// at exit (the SDK's wrapper script would otherwise leave its Java child running). A watchdog in that group also
/// ends it if the test host dies without running exit handlers. Tests fail, never skip, when it cannot start.
/// </summary>
public static class FirestoreEmulator
{
    private static readonly Lazy<Task<string>> Started = new(StartAsync);
    private static int _groupId;

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
            await WaitUntilReadyAsync(existing.Trim(), TimeSpan.FromSeconds(30), null);
            return existing.Trim();
        }

        var script = Path.Combine(FindSdkRoot(), "platform", "cloud-firestore-emulator", "cloud_firestore_emulator");
        if (!File.Exists(script))
        {
            throw Unavailable($"the emulator script was not found at {script}. Install it with 'gcloud components install cloud-firestore-emulator' (or the google-cloud-cli-firestore-emulator package).");
        }

        var port = FreePort();
        var host = $"127.0.0.1:{port}";
        var log = Path.Combine(Path.GetTempPath(), $"seeding-firestore-emulator-{port}.log");
        // setsid makes the shell a process-group leader (pid == group id); the loop is the watchdog for the test host.
        var shell = $"\"{script}\" start --host=127.0.0.1 --port={port} > \"{log}\" 2>&1 & " +
                    $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; kill -TERM -- -$$";
        var start = new ProcessStartInfo("setsid", ["bash", "-c", shell]) { UseShellExecute = false };
        using var process = Process.Start(start) ?? throw Unavailable("setsid could not be started.");
        _groupId = process.Id;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        await WaitUntilReadyAsync(host, TimeSpan.FromSeconds(90), log);
        return host;
    }

    /// <summary>Ends the emulator's process group (the wrapper, Java and the watchdog).</summary>
    public static void Stop()
    {
        var group = Interlocked.Exchange(ref _groupId, 0);
        if (group > 0)
        {
            _ = Kill(-group, 15);
            Thread.Sleep(200);
            _ = Kill(-group, 9);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static async Task WaitUntilReadyAsync(string host, TimeSpan timeout, string? log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                // The emulator answers "Ok" on its root once its gRPC/REST port is open.
                var response = await http.GetAsync($"http://{host}/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        var tail = log is not null && File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no log)";
        Stop();
        throw Unavailable($"it did not answer on http://{host}/ within {timeout.TotalSeconds:0} s. Emulator log:\n{tail}");
    }

    private static string FindSdkRoot()
    {
        try
        {
            var info = new ProcessStartInfo("gcloud", ["info", "--format=value(installation.sdk_root)"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var gcloud = Process.Start(info);
            if (gcloud is not null)
            {
                var root = gcloud.StandardOutput.ReadToEnd().Trim();
                gcloud.WaitForExit(30_000);
                if (gcloud.ExitCode == 0 && Directory.Exists(root))
                {
                    return root;
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // gcloud is not on PATH: fall back to the Debian package's location.
        }

        return "/usr/lib/google-cloud-sdk";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static InvalidOperationException Unavailable(string why) => new(
        $"The Firestore emulator is required by these tests and could not be started{(Environment.GetEnvironmentVariable("CI") == "true" ? " on CI" : string.Empty)}: {why} " +
        "Alternatively start one yourself and set FIRESTORE_EMULATOR_HOST=host:port.");
}
