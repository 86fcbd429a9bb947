using Grpc.Core;
using Seeding.Firestore.Internal;
using Seeding.Resources;
using Admin = Seeding.Firestore.Protocol.Admin;
using LongRunning = Seeding.Firestore.Protocol.LongRunning;

namespace Seeding.Firestore;

// Indexes and field overrides through the Firestore Admin v1 API (google.firestore.admin.v1.FirestoreAdmin), on the
// store's own channel, credentials and retry loop (CallAsync). Creating an index or changing a field starts a
// long-running operation on Google's side; WaitAsync polls it (google.longrunning.Operations.GetOperation).
public sealed partial class FirestoreDocumentStore
{
    /// <summary>The reason index steps are skipped on the emulator without an <see cref="FirestoreStoreOptions.AdminEndpoint"/>.</summary>
    internal const string EmulatorHasNoIndexApi =
        "the Firestore emulator has no index API (it answers 404 over REST and Unimplemented over gRPC; every query runs " +
        "without indexes there); indexes are created when migrating against production";

    /// <inheritdoc />
    /// <remarks>
    /// Null in production, and wherever <see cref="FirestoreStoreOptions.AdminEndpoint"/> is set; on the emulator
    /// otherwise, since the emulator has no index API.
    /// </remarks>
    public string? IndexesUnavailableReason => _admin is null ? EmulatorHasNoIndexApi : null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<IndexState>> ListIndexesAsync(string collectionGroup, CancellationToken cancellationToken = default)
    {
        var admin = RequireAdmin();
        var parent = _names.CollectionGroup(collectionGroup);
        var result = new List<IndexState>();
        var pageToken = string.Empty;
        do
        {
            var request = new Admin.ListIndexesRequest { Parent = parent, PageToken = pageToken };
            var page = await CallAsync(
                "ListIndexes", options => admin.Indexes.ListIndexesAsync(request, options).ResponseAsync, cancellationToken, new AdminRoute("parent", parent))
                .ConfigureAwait(false);
            result.AddRange(page.Indexes.Select(i => IndexMapping.FromProto(collectionGroup, i)).OfType<IndexState>());
            pageToken = page.NextPageToken;
        }
        while (pageToken.Length > 0);

        return result;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A retry after a lost response can find the index created by the lost attempt: that too is reported as
    /// <see cref="IndexOperation.AlreadyExisted"/> (the first attempt's operation goes on building it).
    /// </remarks>
    public async Task<IndexOperation> CreateIndexAsync(IndexSpec index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        var admin = RequireAdmin();
        var parent = _names.CollectionGroup(index.CollectionGroup);
        var request = new Admin.CreateIndexRequest { Parent = parent, Index = IndexMapping.ToProto(index) };
        try
        {
            var operation = await CallAsync(
                "CreateIndex", options => admin.Indexes.CreateIndexAsync(request, options).ResponseAsync, cancellationToken, new AdminRoute("parent", parent))
                .ConfigureAwait(false);
            IndexLog.Started(_logger, "CreateIndex", index.ToString(), operation.Name);
            return new IndexOperation(operation.Name, AlreadyExisted: false);
        }
        catch (FirestoreStoreException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            IndexLog.AlreadyExists(_logger, index.ToString());
            return new IndexOperation(null, AlreadyExisted: true);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// A field without an override of its own reports the indexes it inherits (normally the database's automatic
    /// ascending, descending and array-contains indexes in collection scope): those are what its queries get.
    /// </remarks>
    public async Task<FieldOverrideSpec> GetFieldAsync(string collectionGroup, string fieldPath, CancellationToken cancellationToken = default)
    {
        var admin = RequireAdmin();
        var name = _names.FieldName(collectionGroup, fieldPath);
        var request = new Admin.GetFieldRequest { Name = name };
        var field = await CallAsync(
            "GetField", options => admin.Indexes.GetFieldAsync(request, options).ResponseAsync, cancellationToken, new AdminRoute("name", name))
            .ConfigureAwait(false);
        return IndexMapping.FromProto(collectionGroup, fieldPath, field);
    }

    /// <inheritdoc />
    /// <remarks>A field with no declared setting needs no call: the result names no operation.</remarks>
    public async Task<IndexOperation> UpdateFieldAsync(FieldOverrideSpec field, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(field);
        var admin = RequireAdmin();
        var name = _names.FieldName(field.CollectionGroup, field.FieldPath);
        if (IndexMapping.ToUpdate(field, name) is not { } request)
        {
            return new IndexOperation(null, AlreadyExisted: false);
        }

        // Setting a field to a given configuration is idempotent, so the shared retry loop may resend it.
        var operation = await CallAsync(
            "UpdateField", options => admin.Indexes.UpdateFieldAsync(request, options).ResponseAsync, cancellationToken, new AdminRoute("field.name", name))
            .ConfigureAwait(false);
        IndexLog.Started(_logger, "UpdateField", field.ToString(), operation.Name);
        return new IndexOperation(operation.Name, AlreadyExisted: false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Polls GetOperation with the store's backoff (<see cref="FirestoreStoreOptions.InitialBackoff"/> doubling up to
    /// <see cref="FirestoreStoreOptions.MaxBackoff"/>) until the operation is done; each poll is one call with the
    /// store's retries. An operation with no name (nothing was started) is done at once.
    /// </remarks>
    public async Task WaitAsync(IndexOperation operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Name is not { } name)
        {
            return;
        }

        var admin = RequireAdmin();
        var request = new LongRunning.GetOperationRequest { Name = name };
        var started = _options.TimeProvider.GetTimestamp();
        for (var poll = 1; ; poll++)
        {
            var current = await CallAsync(
                "GetOperation", options => admin.Operations.GetOperationAsync(request, options).ResponseAsync, cancellationToken, new AdminRoute("name", name))
                .ConfigureAwait(false);
            if (current.Done)
            {
                if (current.Error is { } error)
                {
                    throw new IndexOperationFailedException(
                        name,
                        $"Firestore's operation {name} failed: {(Grpc.Core.StatusCode)error.Code} ({(error.Message.Length == 0 ? "no message" : error.Message)}). " +
                        "The index or field was not changed as declared: see the index in the Google Cloud console (Firestore > Indexes), " +
                        "fix the cause (e.g. delete an index left in NEEDS_REPAIR), then run the migration again.");
                }

                IndexLog.Done(_logger, name, (long)_options.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
                return;
            }

            var delay = _backoff.Delay(poll);
            IndexLog.Waiting(_logger, name, poll, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private AdminClients RequireAdmin() =>
        _admin ?? throw new InvalidOperationException(
            $"Indexes cannot be managed here: {EmulatorHasNoIndexApi}. Check {nameof(IndexesUnavailableReason)} before calling, " +
            $"or set {nameof(FirestoreStoreOptions)}.{nameof(FirestoreStoreOptions.AdminEndpoint)}.");

    private FirestoreStoreException FailAdmin(RpcException e, string method, int attempts)
    {
        RetryLog.GaveUp(_logger, method, attempts, e.StatusCode);
        return AdminFaults.Permanent(e, method, _names.Database, _adminTarget ?? _target, attempts);
    }

    /// <summary>The Admin API's two services on one call invoker.</summary>
    private sealed class AdminClients(CallInvoker invoker)
    {
        public Admin.FirestoreAdmin.FirestoreAdminClient Indexes { get; } = new(invoker);

        public LongRunning.Operations.OperationsClient Operations { get; } = new(invoker);
    }

    /// <summary>An Admin API call's routing: the request field naming its resource, and that resource.</summary>
    private readonly record struct AdminRoute(string Parameter, string Resource);
}
