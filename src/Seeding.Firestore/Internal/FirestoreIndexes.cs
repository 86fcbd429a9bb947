using Grpc.Core;
using Microsoft.Extensions.Logging;
using Seeding.Resources;
using Admin = Seeding.Firestore.Protocol.Admin;
using LongRunning = Seeding.Firestore.Protocol.LongRunning;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Indexes and field overrides through the Firestore Admin v1 API (google.firestore.admin.v1.FirestoreAdmin), on its own
/// Google transport (the store's credentials). Creating an index or changing a field starts a long-running operation on
/// Google's side; <see cref="WaitAsync"/> polls it (google.longrunning.Operations.GetOperation).
/// </summary>
internal sealed partial class FirestoreIndexes
{
    private readonly GoogleTransport _transport;
    private readonly ResourceNames _names;
    private readonly Admin.FirestoreAdmin.FirestoreAdminClient _indexes;
    private readonly LongRunning.Operations.OperationsClient _operations;
    private readonly RetryPolicy _idempotent;
    private readonly Backoff _polls;
    private readonly TimeProvider _time;

    public FirestoreIndexes(GoogleTransport transport, ResourceNames names, FirestoreStoreOptions options)
    {
        _transport = transport;
        _names = names;
        _indexes = new Admin.FirestoreAdmin.FirestoreAdminClient(transport.Invoker);
        _operations = new LongRunning.Operations.OperationsClient(transport.Invoker);
        _polls = new Backoff(options.InitialBackoff, options.MaxBackoff);
        // Every Admin call here may be sent again: reads, setting a field to a configuration, and a create whose replay
        // answers ALREADY_EXISTS (an answer, not a failure).
        _idempotent = new RetryPolicy("admin", options.MaxAttempts, _polls, RetriesUncertain: true);
        _time = options.TimeProvider;
    }

    private ILogger Logger => _transport.Logger;

    public async Task<IReadOnlyList<IndexState>> ListIndexesAsync(string collectionGroup, CancellationToken cancellationToken)
    {
        var parent = _names.CollectionGroup(collectionGroup);
        var result = new List<IndexState>();
        var pageToken = string.Empty;
        do
        {
            var request = new Admin.ListIndexesRequest { Parent = parent, PageToken = pageToken };
            var page = (await CallAsync("ListIndexes", "parent", parent, options => _indexes.ListIndexesAsync(request, options).ResponseAsync, null, cancellationToken)
                .ConfigureAwait(false))!;
            result.AddRange(page.Indexes.Select(i => IndexMapping.FromProto(collectionGroup, i)).OfType<IndexState>());
            pageToken = page.NextPageToken;
        }
        while (pageToken.Length > 0);

        return result;
    }

    public async Task<IndexOperation> CreateIndexAsync(IndexSpec index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var parent = _names.CollectionGroup(index.CollectionGroup);
        var request = new Admin.CreateIndexRequest { Parent = parent, Index = IndexMapping.ToProto(index) };
        var operation = await CallAsync(
            "CreateIndex", "parent", parent, options => _indexes.CreateIndexAsync(request, options).ResponseAsync, StatusCode.AlreadyExists, cancellationToken)
            .ConfigureAwait(false);
        if (operation is null)
        {
            IndexLog.AlreadyExists(Logger, index.ToString());
            return new IndexOperation(null, AlreadyExisted: true);
        }

        IndexLog.Started(Logger, "CreateIndex", index.ToString(), operation.Name);
        return new IndexOperation(operation.Name, AlreadyExisted: false);
    }

    public async Task<FieldOverrideSpec> GetFieldAsync(string collectionGroup, string fieldPath, CancellationToken cancellationToken)
    {
        var name = _names.FieldName(collectionGroup, fieldPath);
        var request = new Admin.GetFieldRequest { Name = name };
        var field = (await CallAsync("GetField", "name", name, options => _indexes.GetFieldAsync(request, options).ResponseAsync, null, cancellationToken)
            .ConfigureAwait(false))!;
        return IndexMapping.FromProto(collectionGroup, fieldPath, field);
    }

    public async Task<IndexOperation> UpdateFieldAsync(FieldOverrideSpec field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(field);
        var name = _names.FieldName(field.CollectionGroup, field.FieldPath);
        if (IndexMapping.ToUpdate(field, name) is not { } request)
        {
            return new IndexOperation(null, AlreadyExisted: false);
        }

        // Setting a field to a given configuration is idempotent, so the retry loop may resend it.
        var operation = (await CallAsync(
            "UpdateField", "field.name", name, options => _indexes.UpdateFieldAsync(request, options).ResponseAsync, null, cancellationToken)
            .ConfigureAwait(false))!;
        IndexLog.Started(Logger, "UpdateField", field.ToString(), operation.Name);
        return new IndexOperation(operation.Name, AlreadyExisted: false);
    }

    public async Task WaitAsync(IndexOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Name is not { } name)
        {
            return;
        }

        var request = new LongRunning.GetOperationRequest { Name = name };
        var started = _time.GetTimestamp();
        for (var poll = 1; ; poll++)
        {
            var current = (await CallAsync(
                "GetOperation", "name", name, options => _operations.GetOperationAsync(request, options).ResponseAsync, null, cancellationToken)
                .ConfigureAwait(false))!;
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

                IndexLog.Done(Logger, name, (long)_time.GetElapsedTime(started).TotalMilliseconds);
                return;
            }

            var delay = _polls.Delay(poll);
            IndexLog.Waiting(Logger, name, poll, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    // One Admin call with retries. The routing header names the request field that holds the resource (parent, name,
    // field.name) and its value, as Google's Admin clients send it. A status equal to answer yields null.
    private async Task<T?> CallAsync<T>(
        string rpc, string routeField, string resource, Func<CallOptions, Task<T>> call, StatusCode? answer, CancellationToken cancellationToken)
        where T : class =>
        (await _transport.RunAsync(rpc, resource, _idempotent, () => GoogleHeaders.Route(routeField, resource), call, answer, Fail, cancellationToken)
            .ConfigureAwait(false)).Value;

    private FirestoreStoreException Fail(RpcException e, GoogleCall call) =>
        AdminFaults.Permanent(e, call.Rpc, _names.Database, _transport.Endpoint.ToString(), call.Unavailable(e));
}
