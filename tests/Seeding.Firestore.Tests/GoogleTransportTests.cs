using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Seeding.Firestore.Internal;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// The Google transport (src/Shared/GoogleGrpc, compiled into the Firestore store and the Pub/Sub target): which faults
/// are retried, the time budget against local targets that fail in the two ways a broken endpoint does, and the token
/// source's recovery after a failed credentials load.
/// </summary>
public sealed class GoogleTransportTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(700);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    [Fact]
    public void A_handshake_that_did_not_complete_is_transient_and_certainly_not_applied()
    {
        var inDetail = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call. HttpRequestException: The HTTP/2 server closed the connection. did not complete the HTTP/2 handshake."));
        var inException = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.",
            new HttpRequestException("outer", new IOException("The request was aborted: the server did not complete the HTTP/2 handshake."))));
        var otherInternal = new RpcException(new Status(StatusCode.Internal, "Bad gRPC response. Response protocol downgraded to HTTP/1.1."));

        Assert.True(GoogleFaults.IsTransient(inDetail));
        Assert.True(GoogleFaults.CertainlyNotApplied(inDetail));
        Assert.True(GoogleFaults.IsTransient(inException));
        Assert.False(GoogleFaults.IsTransient(otherInternal));
        Assert.False(GoogleFaults.CertainlyNotApplied(otherInternal));
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, true, false)]
    [InlineData(StatusCode.DeadlineExceeded, true, false)]
    [InlineData(StatusCode.Aborted, true, true)]
    [InlineData(StatusCode.ResourceExhausted, true, true)]
    [InlineData(StatusCode.InvalidArgument, false, false)]
    [InlineData(StatusCode.PermissionDenied, false, false)]
    [InlineData(StatusCode.Unknown, false, false)]
    public void Codes_are_classified_and_each_policy_retries_what_it_may(StatusCode code, bool transient, bool notApplied)
    {
        var e = new RpcException(new Status(code, "detail"));
        var backoff = new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1));
        var idempotent = new RetryPolicy("read", 3, backoff, RetriesUncertain: true);
        var exactlyOnce = new RetryPolicy("commit", 3, backoff, RetriesUncertain: false);

        Assert.Equal(transient, GoogleFaults.IsTransient(e));
        Assert.Equal(notApplied, GoogleFaults.CertainlyNotApplied(e));
        Assert.Equal(transient, idempotent.Allows(e, attempt: 1));
        Assert.Equal(notApplied, exactlyOnce.Allows(e, attempt: 1));
        Assert.False(idempotent.Allows(e, attempt: 3)); // the last attempt is the last
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_target_that_closes_every_connection_is_retried_and_fails_fast_naming_the_endpoint_and_the_limits(bool tls)
    {
        using var target = new LocalTarget(closeAtOnce: true);
        var logs = new RetryLoggingTests.CapturingLogger();
        await using var store = new FirestoreDocumentStore(Options(target, logs, maxAttempts: 4, tls));

        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<FirestoreStoreException>(() => store.GetAllAsync([P("c/d")]));
        watch.Stop();

        Assert.True(watch.Elapsed < Budget + TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.True(target.Connections >= 4, $"{target.Connections} connection(s)");
        Assert.Equal(3, store.RetryCount);
        Assert.Equal(3, logs.Entries.Count(l => l.Level == LogLevel.Warning && l.Message.StartsWith("Firestore BatchGetDocuments", StringComparison.Ordinal)));
        Assert.Contains($"127.0.0.1:{target.Port}", e.Message);
        Assert.Contains("after 4 attempt(s)", e.Message);
        Assert.Contains("OperationTimeout 3 s per operation", e.Message);
        Assert.Contains("CallTimeout 0.7 s per attempt", e.Message);
    }

    [Fact]
    public async Task A_target_that_accepts_and_never_answers_fails_within_the_budget_after_retries()
    {
        using var target = new LocalTarget(closeAtOnce: false);
        var logs = new RetryLoggingTests.CapturingLogger();
        await using var store = new FirestoreDocumentStore(Options(target, logs, maxAttempts: 10, tls: true));

        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<FirestoreStoreException>(() => store.GetAllAsync([P("c/d")]));
        watch.Stop();

        // Each attempt waits out its own deadline; together they stop at the budget (a backoff that would cross it is not taken).
        Assert.InRange(watch.Elapsed, AttemptTimeout * 2, Budget + TimeSpan.FromSeconds(2));
        Assert.InRange(store.RetryCount, 1, 9);
        Assert.Equal(store.RetryCount, logs.Entries.Count(l => l.Level == LogLevel.Warning && l.Message.Contains("failed with DeadlineExceeded", StringComparison.Ordinal)));
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Contains($"Firestore at https://127.0.0.1:{target.Port} did not answer after {store.RetryCount + 1} attempt(s)", e.Message);
        Assert.Contains("OperationTimeout 3 s per operation", e.Message);
    }

    [Fact]
    public async Task A_failed_credentials_load_is_not_remembered_the_next_call_loads_again()
    {
        var loads = 0;
        var tokens = new GoogleTokens(
            _ => Interlocked.Increment(ref loads) == 1
                ? throw new InvalidOperationException("The Application Default Credentials are not available.")
                : Task.FromResult(GoogleCredential.FromAccessToken("token-after-retry")),
            FirestoreCalls.DatastoreScope,
            "Set GOOGLE_APPLICATION_CREDENTIALS.");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => tokens.GetAsync(CancellationToken.None));
        var token = await tokens.GetAsync(CancellationToken.None);
        var again = await tokens.GetAsync(CancellationToken.None);

        Assert.StartsWith("No Google credentials found (The Application Default Credentials are not available.). Set GOOGLE_APPLICATION_CREDENTIALS.", e.Message);
        Assert.Equal(("token-after-retry", "token-after-retry"), (token, again));
        Assert.Equal(2, loads); // loaded once more after the failure, then kept
    }

    [Theory]
    [InlineData("http://firestore.example.com")]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("ftp://firestore.example.com")]
    public void Plaintext_is_never_used_for_an_endpoint_that_is_not_an_emulator(string endpoint)
    {
        var e = Assert.Throws<Seeding.Resources.CloudSettingException>(() => new FirestoreDocumentStore(new FirestoreStoreOptions { ProjectId = "demo-prod", Endpoint = endpoint }));
        Assert.Equal("FirestoreStoreOptions.Endpoint", e.Setting);
        Assert.Contains("FIRESTORE_EMULATOR_HOST", e.Message);
        Assert.Null(GoogleEndpoint.Tls(endpoint));
        Assert.False(GoogleEndpoint.Tls("127.0.0.1:8443")!.Plaintext);
        Assert.Equal("https://127.0.0.1:8443", GoogleEndpoint.Tls("127.0.0.1:8443")!.ToString());
    }

    // TLS (a non-emulator endpoint: the TLS handshake fails first) or plaintext as to an emulator (the HTTP/2 handshake).
    private static FirestoreStoreOptions Options(LocalTarget target, ILogger logger, int maxAttempts, bool tls) => new()
    {
        ProjectId = "demo-prod",
        Endpoint = $"https://127.0.0.1:{target.Port}",
        EmulatorHost = tls ? null : $"127.0.0.1:{target.Port}",
        Credential = GoogleCredential.FromAccessToken("unused"),
        MaxAttempts = maxAttempts,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        CallTimeout = AttemptTimeout,
        OperationTimeout = Budget,
        Logger = logger,
    };

    /// <summary>A TCP listener on 127.0.0.1 that closes each connection at once, or holds it open and never writes a byte.</summary>
    private sealed class LocalTarget : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _held = [];
        private readonly CancellationTokenSource _stop = new();
        private int _connections;

        public LocalTarget(bool closeAtOnce)
        {
            _listener.Start();
            _ = AcceptAsync(closeAtOnce);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held)
            {
                _held.ForEach(s => s.Dispose());
            }
        }

        private async Task AcceptAsync(bool closeAtOnce)
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    if (closeAtOnce)
                    {
                        socket.Dispose();
                    }
                    else
                    {
                        lock (_held)
                        {
                            _held.Add(socket);
                        }
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }
    }
}
