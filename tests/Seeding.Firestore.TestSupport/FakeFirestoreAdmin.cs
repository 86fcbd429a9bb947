using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Admin = Seeding.Firestore.Protocol.Admin;
using LongRunning = Seeding.Firestore.Protocol.LongRunning;

namespace Seeding.Firestore.TestSupport;

/// <summary>
/// An in-process fake of the Firestore Admin v1 API (Google's emulator has no index API): a real gRPC server on
/// 127.0.0.1 (h2c) serving FirestoreAdmin (CreateIndex, ListIndexes, GetField, UpdateField, ListFields) and
/// google.longrunning.Operations (GetOperation) from the product's own .proto, keeping indexes, fields and operations in
/// memory and behaving as Google documents: a duplicate index is ALREADY_EXISTS, stored indexes carry a trailing
/// <c>__name__</c> field, operations finish after <see cref="FakeAdminState.PollsUntilDone"/> polls, and one can be made
/// to fail. A store reaches it through <see cref="FirestoreStoreOptions.AdminEndpoint"/>.
/// </summary>
public sealed class FakeFirestoreAdmin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeFirestoreAdmin(WebApplication app, FakeAdminState state, string endpoint)
    {
        _app = app;
        State = state;
        Endpoint = endpoint;
    }

    /// <summary>What the fake holds and what it was asked.</summary>
    internal FakeAdminState State { get; }

    /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The full names of the indexes the fake holds.</summary>
    public IReadOnlyList<string> IndexNames()
    {
        lock (State.Gate)
        {
            return State.Indexes.Keys.ToList();
        }
    }

    /// <summary>Starts the fake on a free loopback port.</summary>
    public static async Task<FakeFirestoreAdmin> StartAsync()
    {
        var state = new FakeAdminState();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapGrpcService<FakeAdminService>();
        app.MapGrpcService<FakeOperationsService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new FakeFirestoreAdmin(app, state, address);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The fake's memory. Every member is guarded by the instance's lock.</summary>
internal sealed class FakeAdminState
{
    public readonly Lock Gate = new();

    /// <summary>GetOperation calls an operation answers "not done" before it is done.</summary>
    public int PollsUntilDone { get; set; } = 2;

    /// <summary>ListIndexes page size, small so that paging is exercised.</summary>
    public int PageSize { get; set; } = 2;

    /// <summary>When set, the next operation started ends with this error (and its index in NEEDS_REPAIR).</summary>
    public Google.Rpc.Status? FailNextOperation { get; set; }

    /// <summary>When set, the next CreateIndex creates the index and then answers UNAVAILABLE, as if its response were lost.</summary>
    public bool LoseNextCreateResponse { get; set; }

    /// <summary>The next calls (any method) fail with this status, e.g. UNAVAILABLE to exercise retries.</summary>
    public Queue<StatusCode> FailNextCalls { get; } = new();

    public Dictionary<string, Admin.Index> Indexes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Admin.Field> Fields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeOperation> Operations { get; } = new(StringComparer.Ordinal);

    /// <summary>Every call: method, the x-goog-request-params header and the authorization header.</summary>
    public List<(string Method, string? RequestParams, string? Authorization)> Calls { get; } = [];

    /// <summary>Every UpdateField request as received.</summary>
    public List<Admin.UpdateFieldRequest> FieldUpdates { get; } = [];

    private int _next;

    public string NextId() => (++_next).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Stores an index as Firestore does: with <c>__name__</c> appended, ordered like the last field.</summary>
    public Admin.Index AddIndex(string parent, Admin.Index declared, Admin.Index.Types.State state)
    {
        var stored = declared.Clone();
        stored.Name = $"{parent}/indexes/CICAg{NextId()}";
        stored.State = state;
        var last = stored.Fields[^1];
        stored.Fields.Add(new Admin.Index.Types.IndexField
        {
            FieldPath = "__name__",
            Order = last.ValueModeCase == Admin.Index.Types.IndexField.ValueModeOneofCase.Order ? last.Order : Admin.Index.Types.IndexField.Types.Order.Ascending,
        });
        Indexes[stored.Name] = stored;
        return stored;
    }

    /// <summary>Records a call and throws the next injected failure, if any.</summary>
    public void Enter(string method, ServerCallContext context)
    {
        lock (Gate)
        {
            Calls.Add((method, context.RequestHeaders.GetValue("x-goog-request-params"), context.RequestHeaders.GetValue("authorization")));
            if (FailNextCalls.TryDequeue(out var code))
            {
                throw new RpcException(new Status(code, $"injected {code}"));
            }
        }
    }

    public Admin.Index.Types.IndexField[] DeclaredFields(Admin.Index index) =>
        index.Fields.Count > 0 && index.Fields[^1].FieldPath == "__name__" ? index.Fields.Take(index.Fields.Count - 1).ToArray() : index.Fields.ToArray();
}

/// <summary>A long-running operation: done after some polls, then applies its effect.</summary>
internal sealed class FakeOperation(string name, int polls, Google.Rpc.Status? error, Action<bool> complete)
{
    public string Name { get; } = name;

    public int PollsLeft { get; set; } = polls;

    public int Polls { get; set; }

    public LongRunning.Operation Poll()
    {
        Polls++;
        if (PollsLeft > 0)
        {
            PollsLeft--;
            if (PollsLeft == 0)
            {
                complete(error is null);
            }
        }

        var operation = new LongRunning.Operation { Name = Name, Done = PollsLeft == 0 };
        if (operation.Done)
        {
            if (error is not null)
            {
                operation.Error = error;
            }
            else
            {
                operation.Response = Any.Pack(new Empty());
            }
        }

        return operation;
    }
}

internal sealed partial class FakeAdminService(FakeAdminState state) : Admin.FirestoreAdmin.FirestoreAdminBase
{
    private const string CollectionGroups = "/collectionGroups/";

    public override Task<LongRunning.Operation> CreateIndex(Admin.CreateIndexRequest request, ServerCallContext context)
    {
        state.Enter(nameof(CreateIndex), context);
        RequireParent(request.Parent);
        if (request.Index is null || request.Index.Fields.Count < 2 || request.Index.QueryScope == Admin.Index.Types.QueryScope.Unspecified)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a composite index needs a query scope and at least two fields"));
        }

        foreach (var field in request.Index.Fields)
        {
            RequireFieldPath(field.FieldPath);
        }

        lock (state.Gate)
        {
            var existing = state.Indexes.Values.FirstOrDefault(i =>
                i.Name.StartsWith(request.Parent + "/indexes/", StringComparison.Ordinal) && i.QueryScope == request.Index.QueryScope &&
                state.DeclaredFields(i).SequenceEqual(request.Index.Fields));
            if (existing is not null)
            {
                throw new RpcException(new Status(StatusCode.AlreadyExists, "index already exists"));
            }

            var index = state.AddIndex(request.Parent, request.Index, Admin.Index.Types.State.Creating);
            var operation = StartOperation(request.Parent, ok => index.State = ok ? Admin.Index.Types.State.Ready : Admin.Index.Types.State.NeedsRepair);
            if (state.LoseNextCreateResponse)
            {
                state.LoseNextCreateResponse = false;
                throw new RpcException(new Status(StatusCode.Unavailable, "connection reset after the index was created"));
            }

            return Task.FromResult(operation);
        }
    }

    public override Task<Admin.ListIndexesResponse> ListIndexes(Admin.ListIndexesRequest request, ServerCallContext context)
    {
        state.Enter(nameof(ListIndexes), context);
        RequireParent(request.Parent);
        lock (state.Gate)
        {
            // collectionGroups/- lists every collection group's indexes, as Google's API does.
            var all = state.Indexes.Values.Where(i => InParent(i.Name, request.Parent, "/indexes/"))
                .OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
            var offset = request.PageToken.Length == 0 ? 0 : int.Parse(request.PageToken, System.Globalization.CultureInfo.InvariantCulture);
            var response = new Admin.ListIndexesResponse();
            response.Indexes.AddRange(all.Skip(offset).Take(state.PageSize).Select(i => i.Clone()));
            if (offset + state.PageSize < all.Count)
            {
                response.NextPageToken = (offset + state.PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Task.FromResult(response);
        }
    }

    public override Task<Admin.Field> GetField(Admin.GetFieldRequest request, ServerCallContext context)
    {
        state.Enter(nameof(GetField), context);
        var (parent, fieldPath) = SplitFieldName(request.Name);
        lock (state.Gate)
        {
            var field = state.Fields.TryGetValue(request.Name, out var stored) ? stored.Clone() : new Admin.Field { Name = request.Name };
            // Without an override of its own, a field reports the indexes it inherits from the database default.
            field.IndexConfig ??= Inherited(parent, fieldPath);
            return Task.FromResult(field);
        }
    }

    public override Task<LongRunning.Operation> UpdateField(Admin.UpdateFieldRequest request, ServerCallContext context)
    {
        state.Enter(nameof(UpdateField), context);
        var (parent, _) = SplitFieldName(request.Field?.Name ?? string.Empty);
        var paths = request.UpdateMask?.Paths.ToList() ?? [];
        if (paths.Count == 0 || paths.Any(p => p is not ("index_config" or "ttl_config")))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"update_mask must name index_config and/or ttl_config, got [{string.Join(", ", paths)}]"));
        }

        lock (state.Gate)
        {
            state.FieldUpdates.Add(request.Clone());
            var field = state.Fields.TryGetValue(request.Field!.Name, out var stored) ? stored : new Admin.Field { Name = request.Field.Name };
            state.Fields[field.Name] = field;
            if (paths.Contains("index_config"))
            {
                field.IndexConfig = request.Field.IndexConfig?.Clone();
            }

            if (paths.Contains("ttl_config"))
            {
                field.TtlConfig = request.Field.TtlConfig is null ? null : new Admin.Field.Types.TtlConfig { State = Admin.Field.Types.TtlConfig.Types.State.Creating };
            }

            return Task.FromResult(StartOperation(parent, ok =>
            {
                if (field.TtlConfig is not null)
                {
                    field.TtlConfig.State = ok ? Admin.Field.Types.TtlConfig.Types.State.Active : Admin.Field.Types.TtlConfig.Types.State.NeedsRepair;
                }
            }));
        }
    }

    private LongRunning.Operation StartOperation(string collectionGroup, Action<bool> complete)
    {
        var database = collectionGroup[..collectionGroup.IndexOf(CollectionGroups, StringComparison.Ordinal)];
        var operation = new FakeOperation($"{database}/operations/op{state.NextId()}", state.PollsUntilDone, state.FailNextOperation, complete);
        state.FailNextOperation = null;
        state.Operations[operation.Name] = operation;
        return new LongRunning.Operation { Name = operation.Name, Done = false };
    }

    private static Admin.Field.Types.IndexConfig Inherited(string parent, string fieldPath)
    {
        var database = parent[..parent.IndexOf(CollectionGroups, StringComparison.Ordinal)];
        var config = new Admin.Field.Types.IndexConfig { UsesAncestorConfig = true, AncestorField = $"{database}/collectionGroups/__default__/fields/*" };
        foreach (var field in new[]
        {
            new Admin.Index.Types.IndexField { FieldPath = fieldPath, Order = Admin.Index.Types.IndexField.Types.Order.Ascending },
            new Admin.Index.Types.IndexField { FieldPath = fieldPath, Order = Admin.Index.Types.IndexField.Types.Order.Descending },
            new Admin.Index.Types.IndexField { FieldPath = fieldPath, ArrayConfig = Admin.Index.Types.IndexField.Types.ArrayConfig.Contains },
        })
        {
            var index = new Admin.Index { QueryScope = Admin.Index.Types.QueryScope.Collection, State = Admin.Index.Types.State.Ready };
            index.Fields.Add(field);
            config.Indexes.Add(index);
        }

        return config;
    }

    private static void RequireParent(string parent)
    {
        var parts = parent.Split('/');
        if (parts.Length != 6 || parts[0] != "projects" || parts[2] != "databases" || parts[4] != "collectionGroups" || parts.Any(p => p.Length == 0))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"parent '{parent}' is not projects/*/databases/*/collectionGroups/*"));
        }
    }

    private static (string Parent, string FieldPath) SplitFieldName(string name)
    {
        var marker = name.IndexOf("/fields/", StringComparison.Ordinal);
        if (marker < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"field name '{name}' is not projects/*/databases/*/collectionGroups/*/fields/*"));
        }

        RequireParent(name[..marker]);
        var fieldPath = name[(marker + "/fields/".Length)..];
        RequireFieldPath(fieldPath);
        return (name[..marker], fieldPath);
    }

    /// <summary>
    /// Firestore's field path syntax (as the Admin API documents it): names joined by '.', each a simple name
    /// (<c>[A-Za-z_][A-Za-z_0-9]*</c>) or quoted in backticks, where a backslash escapes the next character. Anything
    /// else (an unquoted <c>tenant-id</c>, say) is INVALID_ARGUMENT.
    /// </summary>
    private static void RequireFieldPath(string fieldPath)
    {
        if (!ValidFieldPath().IsMatch(fieldPath))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid field path '{fieldPath}': quote names that are not simple identifiers with backticks"));
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:[A-Za-z_][A-Za-z_0-9]*|`(?:[^`\\]|\\.)+`)(?:\.(?:[A-Za-z_][A-Za-z_0-9]*|`(?:[^`\\]|\\.)+`))*$")]
    private static partial System.Text.RegularExpressions.Regex ValidFieldPath();
}

internal sealed class FakeOperationsService(FakeAdminState state) : LongRunning.Operations.OperationsBase
{
    public override Task<LongRunning.Operation> GetOperation(LongRunning.GetOperationRequest request, ServerCallContext context)
    {
        state.Enter(nameof(GetOperation), context);
        lock (state.Gate)
        {
            return state.Operations.TryGetValue(request.Name, out var operation)
                ? Task.FromResult(operation.Poll())
                : throw new RpcException(new Status(StatusCode.NotFound, $"operation {request.Name} not found"));
        }
    }
}
