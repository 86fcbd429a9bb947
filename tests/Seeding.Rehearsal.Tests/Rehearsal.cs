using System.Diagnostics;
using System.Net.Http.Headers;
using System.Reflection;
using Seeding.Firestore.TestSupport;
using Seeding.TestSupport;

namespace Seeding.Rehearsal.Tests;

/// <summary>What one process run printed and returned.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// The rehearsal's world, built once for its tests: a test certificate authority, the Firestore and Pub/Sub emulators
/// (tests/Seeding.TestSupport), the fake Firestore Admin API, and the stand-ins for Google's token endpoint and front end
/// in front of them. The product runs as child processes (the seeding tool, a host) that reach it only through
/// configuration and variables: <see cref="Environment"/>.
/// </summary>
public sealed class Rehearsal : IAsyncLifetime
{
    // The machine's own settings must not steer the processes under test to an emulator, another project or phase.
    private static readonly string[] Cleared =
    [
        "FIRESTORE_EMULATOR_HOST", "FIRESTORE_PROJECT_ID", "FIRESTORE_DATABASE", "PUBSUB_EMULATOR_HOST", "PUBSUB_PROJECT_ID",
        "GOOGLE_CLOUD_PROJECT", "GOOGLE_APPLICATION_CREDENTIALS", "MIGRATION_PHASE", "DRY_RUN", "DOTNET_ENVIRONMENT", "SSL_CERT_FILE",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("seeding-rehearsal-").FullName;
    private TestCertificateAuthority? _authority;
    private FakeFirestoreAdmin? _admin;
    private StandIns? _standIns;

    /// <summary>The stand-ins for Google.</summary>
    public StandIns Google => _standIns ?? throw new InvalidOperationException("The rehearsal has not started.");

    /// <summary>The fake Admin API behind the front end.</summary>
    public FakeFirestoreAdmin Admin => _admin ?? throw new InvalidOperationException("The rehearsal has not started.");

    /// <summary>The test authority.</summary>
    public TestCertificateAuthority Authority => _authority ?? throw new InvalidOperationException("The rehearsal has not started.");

    /// <summary><c>host:port</c> of the Firestore emulator, for checking what was written.</summary>
    public string FirestoreHost { get; private set; } = string.Empty;

    /// <summary><c>host:port</c> of the Pub/Sub emulator, for checking what was created.</summary>
    public string PubSubHost { get; private set; } = string.Empty;

    /// <summary>The built seeding tool.</summary>
    public static string ToolPath => Metadata("SeedingToolPath");

    /// <summary>The built rehearsal service (a host; also a service assembly for the tool).</summary>
    public static string ServicePath => Metadata("RehearsalServicePath");

    /// <summary>A production project id no other test uses (the emulators keep projects apart).</summary>
    public static string NewProjectId() => $"rehearsal-{Guid.NewGuid().ToString("N")[..12]}";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var firestore = FirestoreEmulator.HostAsync();
        var pubSub = PubSubEmulator.HostAsync();
        _authority = TestCertificateAuthority.Create(_directory);
        _admin = await FakeFirestoreAdmin.StartAsync();
        FirestoreHost = await firestore;
        PubSubHost = await pubSub;
        _standIns = await StandIns.StartAsync(_authority, _directory, "http://" + FirestoreHost, _admin.Endpoint, "http://" + PubSubHost);
    }

    /// <summary>
    /// The variables of a production run in <paramref name="projectId"/>, pointed at the stand-ins: the project, the two
    /// endpoints (configuration keys as variables), the service-account key file, and the test authority as the only
    /// trusted root file. No emulator variable is set.
    /// </summary>
    public Dictionary<string, string> Environment(string projectId)
    {
        var variables = new Dictionary<string, string>(Authority.ChildEnvironment)
        {
            ["FIRESTORE_PROJECT_ID"] = projectId,
            ["Seeding__Firestore__Endpoint"] = Google.TlsEndpoint,
            ["Seeding__PubSub__Endpoint"] = Google.TlsEndpoint,
            ["GOOGLE_APPLICATION_CREDENTIALS"] = Google.KeyFilePath,
        };
        return variables;
    }

    /// <summary>The front end's calls about <paramref name="projectId"/> (their routing header names it).</summary>
    public IReadOnlyList<ProxiedCall> CallsFor(string projectId) =>
        Google.FrontEnd.Calls.Where(c => c.RequestParams?.Contains("projects%2F" + projectId + "%2F", StringComparison.Ordinal) == true).ToList();

    /// <summary>Runs a built .NET program as a process with exactly the given variables on top of a cleared environment.</summary>
    public async Task<ProcessResult> RunAsync(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in Cleared.Concat(start.Environment.Keys.Where(k => k.StartsWith("Seeding__", StringComparison.OrdinalIgnoreCase)).ToArray()))
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var result = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(60), $"dotnet {dll} {string.Join(' ', args)}");
        return new ProcessResult(result.ExitCode, result.Output, result.Error);
    }

    /// <summary>True when the Firestore emulator holds the document (read over its REST API as its owner).</summary>
    public Task<bool> DocumentExistsAsync(string projectId, string path) =>
        ExistsAsync($"http://{FirestoreHost}/v1/projects/{projectId}/databases/(default)/documents/{path}");

    /// <summary>True when the Pub/Sub emulator holds the topic or subscription (<c>topics/x</c>, <c>subscriptions/y</c>).</summary>
    public Task<bool> PubSubResourceExistsAsync(string projectId, string path) => ExistsAsync($"http://{PubSubHost}/v1/projects/{projectId}/{path}");

    /// <summary>The names of the indexes the fake Admin API holds.</summary>
    public IReadOnlyList<string> IndexNames() => Admin.IndexNames();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_standIns is not null)
        {
            await _standIns.DisposeAsync();
        }

        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        _authority?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<bool> ExistsAsync(string url)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "owner");
        using var response = await client.SendAsync(request);
        return response.StatusCode switch
        {
            System.Net.HttpStatusCode.OK => true,
            System.Net.HttpStatusCode.NotFound => false,
            _ => throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"),
        };
    }

    private static string Metadata(string key) =>
        typeof(Rehearsal).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

/// <summary>The rehearsal's tests share one world and run one after another (the token endpoint's settings are global).</summary>
[CollectionDefinition(Name)]
public sealed class RehearsalCollection : ICollectionFixture<Rehearsal>
{
    public const string Name = "Rehearsal";
}
