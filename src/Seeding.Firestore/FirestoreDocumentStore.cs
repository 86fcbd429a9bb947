using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seeding.Documents;
using Seeding.Firestore.Auth;
using Seeding.Firestore.Internal;
using Seeding.Resources;
using Seeding.Store;
using Proto = Seeding.Firestore.Protocol;

namespace Seeding.Firestore;

/// <summary>
/// The document store over Firestore's v1 gRPC API, for the emulator and production. Every contract call is
/// one RPC per chunk (BatchGetDocuments per 1000 paths, BatchWrite or Commit per 500 writes, RunQuery per page),
/// retried with backoff on transient failures in a way that never applies one logical write twice
/// (see <c>FirestoreDocumentStore.Writes.cs</c>).
/// </summary>
public sealed partial class FirestoreDocumentStore : IDocumentStore, IRetryCountingStore, IWriteRampStore, IConcurrentWriteBatchStore, IIndexAdmin, IAsyncDisposable, IDisposable
{
    private readonly FirestoreStoreOptions _options;
    private readonly GrpcChannel _channel;
    private readonly Proto.Firestore.FirestoreClient _client;
    private readonly ResourceNames _names;
    private readonly ValueConverter _values;
    private readonly WriteBuilder _writes;
    private readonly QueryBuilder _queries;
    private readonly Backoff _backoff;
    private readonly ILogger _logger;
    private readonly string _target;
    private readonly GrpcChannel? _adminChannel;
    private readonly AdminClients? _admin;
    private readonly string? _adminTarget;
    private readonly WriteRamp? _ramp;
    private long _retries;

    /// <summary>Creates a store; no call is made until the first operation.</summary>
    public FirestoreDocumentStore(FirestoreStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _names = new ResourceNames(options.ProjectId, options.DatabaseId);
        _values = new ValueConverter(_names);
        _writes = new WriteBuilder(_names, _values);
        _queries = new QueryBuilder(_names, _values);
        _backoff = new Backoff(options.InitialBackoff, options.MaxBackoff);
        _logger = options.Logger ?? NullLogger.Instance;
        _ramp = options.WriteRampActive ? new WriteRamp(options.WriteRampInitialRate, options.TimeProvider, _logger) : null;

        var emulator = options.UsesEmulator;
        _target = emulator ? "http://" + options.EmulatorHost!.Trim() : options.Endpoint;
        var tokens = options.TokenSource ?? (emulator ? StaticTokenSource.EmulatorOwner : GoogleCredentialTokenSource.ApplicationDefault());
        // The emulator speaks plaintext h2c and still wants its bearer token.
        _channel = CreateChannel(_target, plaintext: emulator, tokens);
        var invoker = Intercepted(_channel, options);
        _client = new Proto.Firestore.FirestoreClient(invoker);
        Name = options.DisplayName;

        // The Admin API lives beside the data API in production; elsewhere only where AdminEndpoint says.
        if (options.AdminEndpoint is { } adminEndpoint)
        {
            _adminTarget = adminEndpoint;
            _adminChannel = CreateChannel(adminEndpoint, plaintext: new Uri(adminEndpoint).Scheme == Uri.UriSchemeHttp, tokens);
            _admin = new AdminClients(Intercepted(_adminChannel, options));
        }
        else if (!emulator)
        {
            _adminTarget = _target;
            _admin = new AdminClients(invoker);
        }
    }

    private static GrpcChannel CreateChannel(string address, bool plaintext, ITokenSource tokens) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        Credentials = ChannelCredentials.Create(plaintext ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl, CallHeaders.Credentials(tokens)),
        // Plaintext only to an emulator or a loopback Admin endpoint (FirestoreStoreOptions checks), which still want a bearer token.
        UnsafeUseInsecureChannelCallCredentials = plaintext,
        MaxReceiveMessageSize = 64 * 1024 * 1024,
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        },
    });

    private static CallInvoker Intercepted(GrpcChannel channel, FirestoreStoreOptions options)
    {
        CallInvoker invoker = channel.CreateCallInvoker();
        return options.Interceptors.Count > 0 ? invoker.Intercept(options.Interceptors.ToArray()) : invoker;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int MaxBatchSize => 500;

    /// <summary>Calls sent again after a transient fault (each also logged as a warning), since the store was created.</summary>
    public long RetryCount => Interlocked.Read(ref _retries);

    /// <inheritdoc />
    public int MaxWriteBatchesInFlight => _options.MaxWriteBatchesInFlight;

    /// <inheritdoc />
    public bool WriteRampActive => _ramp is not null;

    /// <inheritdoc />
    public TimeSpan WriteRampWait => _ramp?.Waited ?? TimeSpan.Zero;

    /// <summary><c>projects/{p}/databases/{d}</c>.</summary>
    public string DatabaseName => _names.Database;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        // Each distinct path is asked for once; duplicates in the input share its snapshot.
        var distinct = paths.Distinct().ToList();
        var found = new Dictionary<DocumentPath, DocumentSnapshot>(distinct.Count);
        foreach (var chunk in distinct.Chunk(_options.ReadChunkSize))
        {
            var names = chunk.Select(_names.DocumentName).ToList();
            var snapshots = await CallAsync("BatchGetDocuments", options => ReadChunkAsync(names, options), cancellationToken).ConfigureAwait(false);
            foreach (var snapshot in snapshots)
            {
                found[snapshot.Path] = snapshot;
            }
        }

        return paths.Select(p => found.TryGetValue(p, out var s) ? s : DocumentSnapshot.Missing(p)).ToArray();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default)
    {
        var request = _queries.Build(query);
        return await CallAsync("RunQuery", async options =>
        {
            using var call = _client.RunQuery(request, options);
            var result = new List<DocumentSnapshot>();
            await foreach (var response in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
            {
                if (response.Document is { } document)
                {
                    result.Add(ToSnapshot(document));
                }
            }

            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _channel.Dispose();
        _adminChannel?.Dispose();
    }

    private async Task<List<DocumentSnapshot>> ReadChunkAsync(List<string> names, CallOptions options)
    {
        var request = new Proto.BatchGetDocumentsRequest { Database = _names.Database };
        request.Documents.AddRange(names);
        using var call = _client.BatchGetDocuments(request, options);
        var result = new List<DocumentSnapshot>(names.Count);
        await foreach (var response in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
        {
            DocumentSnapshot? snapshot = response.ResultCase switch
            {
                Proto.BatchGetDocumentsResponse.ResultOneofCase.Found => ToSnapshot(response.Found),
                Proto.BatchGetDocumentsResponse.ResultOneofCase.Missing => DocumentSnapshot.Missing(_names.ToPath(response.Missing)),
                _ => null,
            };
            if (snapshot is not null)
            {
                // Firestore's read time: the store's clock, by which lease expiry is judged.
                result.Add(response.ReadTime is { } readTime ? snapshot.WithReadTime(ValueConverter.FromProto(readTime)) : snapshot);
            }
        }

        return result;
    }

    private DocumentSnapshot ToSnapshot(Proto.Document document) => DocumentSnapshot.Found(
        _names.ToPath(document.Name),
        _values.FromFields(document.Fields),
        ValueConverter.FromProto(document.CreateTime),
        ValueConverter.FromProto(document.UpdateTime));

    // Fresh options per attempt: each attempt gets its own deadline; the routing headers name the database (data calls)
    // or the request's resource (Admin calls).
    private CallOptions NewCallOptions(CancellationToken cancellationToken, AdminRoute? admin = null) =>
        new(headers: admin is { } route ? CallHeaders.AdminRouting(route.Parameter, route.Resource) : CallHeaders.Routing(_names.Database),
            deadline: DateTime.UtcNow + _options.CallTimeout, cancellationToken: cancellationToken);

    /// <summary>
    /// Runs an idempotent call (a read, or an Admin call whose replay is harmless) with retries on transient failures:
    /// the one retry loop of every call that is not a write. <paramref name="admin"/> marks an Admin API call.
    /// </summary>
    private async Task<T> CallAsync<T>(string method, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken, AdminRoute? admin = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await call(NewCallOptions(cancellationToken, admin)).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw Canceled(e, cancellationToken);
            }
            catch (RpcException e) when (TransientCodes.IsTransient(e.StatusCode) && attempt < _options.MaxAttempts)
            {
                await BackoffAsync(method, attempt, e, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw admin is null ? Fail(e, method, attempt) : FailAdmin(e, method, attempt);
            }
        }
    }

    // The caller's cancellation surfaces as OperationCanceledException, as everywhere in .NET. (The channel option that
    // does this would also turn deadlines into cancellations, hiding DEADLINE_EXCEEDED from the retry policy.)
    private static OperationCanceledException Canceled(RpcException e, CancellationToken cancellationToken) =>
        new("The Firestore call was canceled.", e, cancellationToken);

    private async Task BackoffAsync(string method, int attempt, RpcException e, CancellationToken cancellationToken)
    {
        var delay = _backoff.Delay(attempt);
        Interlocked.Increment(ref _retries);
        RetryLog.Retrying(_logger, method, attempt, _options.MaxAttempts, e.StatusCode, e.Status.Detail, (long)delay.TotalMilliseconds);
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    private FirestoreStoreException Fail(RpcException e, string method, int attempts)
    {
        RetryLog.GaveUp(_logger, method, attempts, e.StatusCode);
        return Faults.Permanent(e, method, _names.Database, _target, attempts);
    }
}
