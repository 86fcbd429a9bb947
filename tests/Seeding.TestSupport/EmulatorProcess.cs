using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Seeding.TestSupport;

/// <summary>
/// A Google emulator (Firestore, Pub/Sub) started by the tests from the gcloud SDK: on 127.0.0.1 at a free port, in
/// its own process group, ended as a whole group at exit (the SDK's wrapper scripts would otherwise leave their Java
/// child running). A watchdog in that group also ends it if the test host dies without running exit handlers.
/// </summary>
public sealed class EmulatorProcess
{
    private int _groupId;

    private EmulatorProcess(string host, string log, int groupId)
    {
        Host = host;
        LogPath = log;
        _groupId = groupId;
    }

    /// <summary><c>127.0.0.1:port</c> the emulator listens on.</summary>
    public string Host { get; }

    /// <summary>The file the emulator's output goes to.</summary>
    public string LogPath { get; }

    /// <summary>
    /// Starts <paramref name="executable"/> with the arguments <paramref name="arguments"/> builds from a free port,
    /// and waits until it answers <c>Ok</c> on <c>http://host/</c> (both emulators do once their port is open).
    /// </summary>
    /// <param name="product">For messages and the log's name, e.g. <c>Firestore</c>.</param>
    /// <param name="executable">The emulator's start script.</param>
    /// <param name="arguments">Its arguments for a port.</param>
    /// <param name="timeout">How long it may take to answer.</param>
    /// <param name="unavailable">Builds the exception thrown when it cannot start, from the reason.</param>
    public static async Task<EmulatorProcess> StartAsync(
        string product, string executable, Func<int, string> arguments, TimeSpan timeout, Func<string, Exception> unavailable)
    {
        var port = FreePort();
        var host = $"127.0.0.1:{port}";
        var log = Path.Combine(Path.GetTempPath(), $"seeding-{product.ToLowerInvariant()}-emulator-{port}.log");
        // setsid makes the shell a process-group leader (pid == group id); the loop is the watchdog for the test host.
        var shell = $"\"{executable}\" {arguments(port)} > \"{log}\" 2>&1 & " +
                    $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; kill -TERM -- -$$";
        var start = new ProcessStartInfo("setsid", ["bash", "-c", shell]) { UseShellExecute = false };
        using var process = Process.Start(start) ?? throw unavailable("setsid could not be started.");
        var emulator = new EmulatorProcess(host, log, process.Id);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => emulator.Stop();
        if (!await AnswersAsync(host, timeout))
        {
            emulator.Stop();
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no log)";
            throw unavailable($"it did not answer on http://{host}/ within {timeout.TotalSeconds:0} s. Emulator log ({log}):\n{tail}");
        }

        return emulator;
    }

    /// <summary>Waits for an emulator someone else started (its variable was set); false when it never answered.</summary>
    public static Task<bool> AnswersAsync(string host, TimeSpan timeout) => PollAsync(host, timeout);

    /// <summary>Ends the emulator's process group (the wrapper, Java and the watchdog); safe to call twice.</summary>
    public void Stop()
    {
        var group = Interlocked.Exchange(ref _groupId, 0);
        if (group > 0)
        {
            _ = Kill(-group, 15);
            Thread.Sleep(200);
            _ = Kill(-group, 9);
        }
    }

    /// <summary>
    /// The gcloud SDK's root: the folder above the <c>bin/gcloud</c> found on PATH (symbolic links followed), else what
    /// <c>gcloud info</c> says (a second of Python start-up, so asked only when the first way fails), else the Debian
    /// package's location.
    /// </summary>
    public static string FindSdkRoot() => SdkRootFromPath() ?? SdkRootFromGcloudInfo() ?? "/usr/lib/google-cloud-sdk";

    private static string? SdkRootFromPath()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var gcloud = new FileInfo(Path.Combine(folder, "gcloud"));
            if (!gcloud.Exists)
            {
                continue;
            }

            var target = gcloud.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? gcloud.FullName;
            var bin = Path.GetDirectoryName(target);
            var root = bin is null ? null : Path.GetDirectoryName(bin);
            if (root is not null && Path.GetFileName(bin) == "bin" && Directory.Exists(Path.Combine(root, "platform")))
            {
                return root;
            }
        }

        return null;
    }

    private static string? SdkRootFromGcloudInfo()
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
            // gcloud is not on PATH.
        }

        return null;
    }

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>" on CI" when CI=true: the messages say where a missing emulator failed the run.</summary>
    public static string OnCi => Environment.GetEnvironmentVariable("CI") == "true" ? " on CI" : string.Empty;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static async Task<bool> PollAsync(string host, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await http.GetAsync($"http://{host}/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        return false;
    }
}
