using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seeding.Documents;
using Seeding.Firestore.Auth;
using Seeding.Firestore.Internal;
using Seeding.Store;
using Proto = Seeding.Firestore.Protocol;

namespace Seeding.Firestore;

/// <summary>
/// The document store over Firestore's v1 gRPC API, for the emulator and production. Every contract call is
/// one RPC per chunk (BatchGetDocuments per 1000 paths, BatchWrite or Commit per 500 writes, RunQuery per page),
/// retried with backoff on transient failures in a way that never applies one logical write twice
/// (see <c>FirestoreDocumentStore.Writes.cs</c>).
/// </summary>
public sealed partial class FirestoreDocumentStore : IDocumentStore, IRetryCountingStore, IWriteRampStore, IConcurrentWriteBatchStore, IAsyncDisposable, IDisposable
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
        var transport = emulator ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl;
        _channel = GrpcChannel.ForAddress(_target, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(transport, CallHeaders.Credentials(tokens)),
            // The emulator speaks plaintext h2c and still wants its bearer token.
            UnsafeUseInsecureChannelCallCredentials = emulator,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            },
        });
        CallInvoker invoker = _channel.CreateCallInvoker();
        if (options.Interceptors.Count > 0)
        {
            invoker = invoker.Intercept(options.Interceptors.ToArray());
        }

        _client = new Proto.Firestore.FirestoreClient(invoker);
        Name = options.DisplayName;
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
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();

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

    // Fresh options per attempt: each attempt gets its own deadline; the routing headers name the database.
    private CallOptions NewCallOptions(CancellationToken cancellationToken) =>
        new(headers: CallHeaders.Routing(_names.Database), deadline: DateTime.UtcNow + _options.CallTimeout, cancellationToken: cancellationToken);

    /// <summary>Runs an idempotent call (a read) with retries on transient failures.</summary>
    private async Task<T> CallAsync<T>(string method, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await call(NewCallOptions(cancellationToken)).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw Canceled(e, cancellationToken);
            }
            catch (RpcException e) when (Faults.IsTransient(e.StatusCode) && attempt < _options.MaxAttempts)
            {
                await BackoffAsync(method, attempt, e, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw Fail(e, method, attempt);
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
