using Microsoft.Extensions.Logging.Abstractions;
using Seeding.Documents;
using Seeding.Firestore.Internal;
using Seeding.Resources;
using Seeding.Store;

namespace Seeding.Firestore;

/// <summary>
/// The document store over Firestore's v1 gRPC API, for the emulator and production. Every contract call is
/// one RPC per chunk (BatchGetDocuments per 1000 paths, BatchWrite or Commit per 500 writes, RunQuery per page),
/// retried with backoff on transient failures in a way that never applies one logical write twice. The store composes
/// its parts: reads (<c>DocumentReader</c>), writes (<c>DocumentWriter</c>) and indexes (<c>FirestoreIndexes</c>, the
/// Admin API), each over the Google transport (<c>GoogleTransport</c>: channel, credentials, deadlines, retries).
/// </summary>
public sealed partial class FirestoreDocumentStore : IDocumentStore, IRetryCountingStore, IWriteRampStore, IConcurrentWriteBatchStore, IIndexAdmin, IAsyncDisposable, IDisposable
{
    /// <summary>The reason index steps are skipped on the emulator without an <see cref="FirestoreStoreOptions.AdminEndpoint"/>.</summary>
    internal const string EmulatorHasNoIndexApi =
        "the Firestore emulator has no index API (it answers 404 over REST and Unimplemented over gRPC; every query runs " +
        "without indexes there); indexes are created when migrating against production";

    private readonly FirestoreStoreOptions _options;
    private readonly ResourceNames _names;
    private readonly GoogleTransport _transport;
    private readonly GoogleTransport? _adminTransport;
    private readonly DocumentReader _reader;
    private readonly DocumentWriter _writer;
    private readonly PartitionReader _partitions;
    private readonly QueryStream _stream;
    private readonly FirestoreIndexes? _indexes;
    private readonly WriteRamp? _ramp;

    /// <summary>Creates a store; no call is made until the first operation.</summary>
    /// <exception cref="CloudSettingException">A setting is blank or malformed; the message names it.</exception>
    public FirestoreDocumentStore(FirestoreStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _names = new ResourceNames(options.ProjectId, options.DatabaseId);
        var values = new ValueConverter(_names);
        var logger = options.Logger ?? NullLogger.Instance;
        _ramp = options.WriteRampActive ? new WriteRamp(options.WriteRampInitialRate, options.TimeProvider, logger) : null;

        var emulator = options.UsesEmulator;
        var bearer = FirestoreCalls.Bearer(options);
        var times = new CallTimes(options.CallTimeout, options.OperationTimeout);
        // Validate checked the endpoints: plaintext only to the emulator (or a loopback Admin stand-in).
        var endpoint = emulator ? GoogleEndpoint.Emulator(options.EmulatorHost!.Trim()) : GoogleEndpoint.Tls(options.Endpoint)!;
        _transport = new GoogleTransport("Firestore", endpoint, bearer, options.Interceptors, times, logger);
        var calls = new FirestoreCalls(_transport, _names, options);
        var queries = new QueryBuilder(_names, values);
        _reader = new DocumentReader(calls, values, queries, options.ReadChunkSize);
        _stream = new QueryStream(calls, queries, _reader, options.FirstResultTimeoutActive);
        _partitions = new PartitionReader(calls, _stream);
        _writer = new DocumentWriter(calls, new WriteBuilder(_names, values), _reader, _ramp, logger);
        Name = options.DisplayName;

        // The Admin API lives beside the data API in production; elsewhere only where AdminEndpoint says.
        var adminEndpoint = options.AdminEndpoint is { } admin ? GoogleEndpoint.LoopbackStandIn(admin)! : emulator ? null : endpoint;
        if (adminEndpoint is not null)
        {
            _adminTransport = new GoogleTransport("Firestore Admin API", adminEndpoint, bearer, options.Interceptors, times, logger);
            _indexes = new FirestoreIndexes(_adminTransport, _names, options);
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int MaxBatchSize => DocumentWriter.MaxBatchSize;

    /// <summary>Calls sent again after a transient fault (each also logged as a warning), since the store was created.</summary>
    public long RetryCount => _transport.Retries + (_adminTransport?.Retries ?? 0);

    /// <inheritdoc />
    public int MaxWriteBatchesInFlight => _options.MaxWriteBatchesInFlight;

    /// <inheritdoc />
    public bool WriteRampActive => _ramp is not null;

    /// <inheritdoc />
    public TimeSpan WriteRampWait => _ramp?.Waited ?? TimeSpan.Zero;

    /// <summary><c>projects/{p}/databases/{d}</c>.</summary>
    public string DatabaseName => _names.Database;

    /// <inheritdoc />
    /// <remarks>
    /// Null in production, and wherever <see cref="FirestoreStoreOptions.AdminEndpoint"/> is set; on the emulator
    /// otherwise, since the emulator has no index API.
    /// </remarks>
    public string? IndexesUnavailableReason => _indexes is null ? EmulatorHasNoIndexApi : null;

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
        _reader.GetAllAsync(paths, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
        _reader.QueryAsync(query, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// BatchWrite, resending only writes that failed transiently; a refused replay of a protected write is reconciled by
    /// reading the document back (see <c>DocumentWriter</c>). Paced by the write ramp when it is on.
    /// </remarks>
    public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        _writer.WriteBatchAsync(writes, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Commit, atomic. After a fault that leaves its outcome unknown it is resent only when every write carries a
    /// precondition that refuses a replay; otherwise the exception says it may or may not have been applied.
    /// </remarks>
    public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        _writer.CommitAsync(writes, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<IndexState>> ListIndexesAsync(string collectionGroup, CancellationToken cancellationToken = default) =>
        Indexes().ListIndexesAsync(collectionGroup, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// A retry after a lost response can find the index created by the lost attempt: that too is reported as
    /// <see cref="IndexOperation.AlreadyExisted"/> (the first attempt's operation goes on building it).
    /// </remarks>
    public Task<IndexOperation> CreateIndexAsync(IndexSpec index, CancellationToken cancellationToken = default) =>
        Indexes().CreateIndexAsync(index, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// A field without an override of its own reports the indexes it inherits (normally the database's automatic
    /// ascending, descending and array-contains indexes in collection scope): those are what its queries get.
    /// </remarks>
    public Task<FieldOverrideSpec> GetFieldAsync(string collectionGroup, string fieldPath, CancellationToken cancellationToken = default) =>
        Indexes().GetFieldAsync(collectionGroup, fieldPath, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A field with no declared setting needs no call: the result names no operation.</remarks>
    public Task<IndexOperation> UpdateFieldAsync(FieldOverrideSpec field, CancellationToken cancellationToken = default) =>
        Indexes().UpdateFieldAsync(field, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Polls GetOperation with the store's backoff (<see cref="GoogleCallOptions.InitialBackoff"/> doubling up to
    /// <see cref="GoogleCallOptions.MaxBackoff"/>) until the operation is done; each poll is one call with the
    /// store's retries. An operation with no name (nothing was started) is done at once.
    /// </remarks>
    public Task WaitAsync(IndexOperation operation, CancellationToken cancellationToken = default) =>
        Indexes().WaitAsync(operation, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _transport.Dispose();
        _adminTransport?.Dispose();
    }

    private FirestoreIndexes Indexes() =>
        _indexes ?? throw new InvalidOperationException(
            $"Indexes cannot be managed here: {EmulatorHasNoIndexApi}. Check {nameof(IndexesUnavailableReason)} before calling, " +
            $"or set {nameof(FirestoreStoreOptions)}.{nameof(FirestoreStoreOptions.AdminEndpoint)}.");
}
