extern alias fake;
using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using fake::Seeding.Firestore.TestSupport;
using Seeding.Resources;
using Admin = fake::Seeding.Firestore.Protocol.Admin;

namespace Seeding.Firestore.Tests;

/// <summary>
/// The store's <see cref="IIndexAdmin"/> against the in-process fake of the Firestore Admin API
/// (<see cref="FakeFirestoreAdmin"/>), reached through <see cref="FirestoreStoreOptions.AdminEndpoint"/>.
/// </summary>
public sealed class IndexAdminTests
{
    private const string Project = "demo-indexes";
    private const string Parent = $"projects/{Project}/databases/(default)/collectionGroups/users";

    private static readonly IndexSpec UsersByTenantAndEmail = new(
        "users", IndexScope.Collection, [new IndexField("tenant_id", IndexOrder.Ascending), new IndexField("email", IndexOrder.Ascending)]);

    [Fact]
    public async Task ListIndexes_strips_the_trailing_name_field_and_maps_scope_order_and_state_across_pages()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        Seed(fake, Parent, Admin.Index.Types.QueryScope.Collection, Admin.Index.Types.State.Ready, Asc("tenant_id"), Asc("email"));
        Seed(fake, Parent, Admin.Index.Types.QueryScope.CollectionGroup, Admin.Index.Types.State.Creating, Contains("roles"), Desc("created_at"));
        Seed(fake, Parent, Admin.Index.Types.QueryScope.Collection, Admin.Index.Types.State.NeedsRepair, Desc("score"), Asc("name"));
        // Not Seeding's to declare: a recursive-scope index is left out, not guessed at.
        Seed(fake, Parent, Admin.Index.Types.QueryScope.CollectionRecursive, Admin.Index.Types.State.Ready, Asc("a"), Asc("b"));
        // Another collection group.
        Seed(fake, Parent.Replace("/users", "/orders", StringComparison.Ordinal), Admin.Index.Types.QueryScope.Collection, Admin.Index.Types.State.Ready, Asc("x"), Asc("y"));

        var indexes = await store.ListIndexesAsync("users");

        Assert.Equal(
            [
                "users (tenant_id ascending, email ascending) Ready",
                "users (roles contains, created_at descending) collection group Creating",
                "users (score descending, name ascending) NeedsRepair",
            ],
            indexes.Select(i => $"{i.Index} {i.State}"));
        Assert.True(indexes[0].Index.SameIndexAs(UsersByTenantAndEmail));
        // Four indexes in pages of two: two calls, each routed by its parent as Google's clients do.
        var calls = fake.State.Calls.Where(c => c.Method == "ListIndexes").ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal("parent=" + Uri.EscapeDataString(Parent), c.RequestParams));
        Assert.All(calls, c => Assert.Equal("Bearer test-token", c.Authorization));
    }

    [Fact]
    public async Task CreateIndex_starts_an_operation_and_Wait_polls_it_until_the_index_is_ready()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        var logger = new EventLogger();
        await using var store = NewStore(fake, logger);
        fake.State.PollsUntilDone = 3;

        var operation = await store.CreateIndexAsync(UsersByTenantAndEmail);

        Assert.False(operation.AlreadyExisted);
        Assert.StartsWith($"projects/{Project}/databases/(default)/operations/", operation.Name, StringComparison.Ordinal);
        Assert.Equal(IndexBuildState.Creating, Assert.Single(await store.ListIndexesAsync("users")).State);
        var stored = Assert.Single(fake.State.Indexes.Values);
        Assert.Equal(["tenant_id", "email", "__name__"], stored.Fields.Select(f => f.FieldPath));

        await store.WaitAsync(operation);

        Assert.Equal(3, fake.State.Operations[operation.Name!].Polls);
        // Started, waiting after each of the two unfinished polls, done.
        Assert.Equal([20, 22, 22, 23], logger.Events.Select(e => e.Id));
        Assert.Contains(operation.Name!, logger.Events[0].Message, StringComparison.Ordinal);
        Assert.Contains("users (tenant_id ascending, email ascending)", logger.Events[0].Message, StringComparison.Ordinal);
        var built = Assert.Single(await store.ListIndexesAsync("users"));
        Assert.Equal(IndexBuildState.Ready, built.State);
        Assert.True(built.Index.SameIndexAs(UsersByTenantAndEmail));
    }

    [Fact]
    public async Task Field_names_that_are_not_simple_identifiers_are_sent_quoted_and_listed_back_as_declared()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        var byTenant = new IndexSpec("users", IndexScope.Collection,
            [new IndexField("tenant-id", IndexOrder.Ascending), new IndexField("profile.e-mail", IndexOrder.Descending), new IndexField("1st", IndexOrder.Contains), new IndexField(@"odd`na\me", IndexOrder.Ascending)]);

        var operation = await store.CreateIndexAsync(byTenant);

        Assert.False(operation.AlreadyExisted);
        var stored = Assert.Single(fake.State.Indexes.Values);
        Assert.Equal(["`tenant-id`", "profile.`e-mail`", "`1st`", @"`odd\`na\\me`", "__name__"], stored.Fields.Select(f => f.FieldPath));
        var listed = Assert.Single(await store.ListIndexesAsync("users"));
        Assert.Equal(["tenant-id", "profile.e-mail", "1st", @"odd`na\me"], listed.Index.Fields.Select(f => f.FieldPath));
        Assert.True(listed.Index.SameIndexAs(byTenant));
        Assert.Equal(new IndexOperation(null, AlreadyExisted: true), await store.CreateIndexAsync(byTenant));
    }

    [Fact]
    public async Task An_index_listed_with_a_field_name_holding_a_dot_is_not_one_Seeding_can_declare()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        // One field named "profile.email" (quoted), not the nested path profile.email a declaration means.
        Seed(fake, Parent, Admin.Index.Types.QueryScope.Collection, Admin.Index.Types.State.Ready, Asc("`profile.email`"), Asc("tenant_id"));

        Assert.Empty(await store.ListIndexesAsync("users"));
    }

    [Fact]
    public async Task A_field_override_on_a_field_name_that_is_not_a_simple_identifier_names_the_field_quoted()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        var ttl = new FieldOverrideSpec("sessions", "expires-at") { Ttl = true };

        await store.WaitAsync(await store.UpdateFieldAsync(ttl));
        var field = await store.GetFieldAsync("sessions", "expires-at");

        var name = $"projects/{Project}/databases/(default)/collectionGroups/sessions/fields/`expires-at`";
        Assert.Equal(name, Assert.Single(fake.State.FieldUpdates).Field.Name);
        Assert.Equal("name=" + Uri.EscapeDataString(name), fake.State.Calls.Last(c => c.Method == "GetField").RequestParams);
        Assert.Equal(("sessions", "expires-at"), (field.CollectionGroup, field.FieldPath));
        Assert.True(ttl.HeldBy(field));
    }

    [Fact]
    public async Task CreateIndex_of_an_existing_index_reports_it_already_existed_and_starts_nothing()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        Seed(fake, Parent, Admin.Index.Types.QueryScope.Collection, Admin.Index.Types.State.Ready, Asc("tenant_id"), Asc("email"));

        var operation = await store.CreateIndexAsync(UsersByTenantAndEmail);

        Assert.Equal(new IndexOperation(null, AlreadyExisted: true), operation);
        Assert.Empty(fake.State.Operations);
        Assert.Single(fake.State.Indexes);
        await store.WaitAsync(operation); // nothing to wait for
        Assert.DoesNotContain(fake.State.Calls, c => c.Method == "GetOperation");
    }

    [Fact]
    public async Task A_failed_operation_throws_IndexOperationFailedException_with_its_status_message()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        fake.State.FailNextOperation = new Google.Rpc.Status { Code = (int)StatusCode.ResourceExhausted, Message = "composite index limit reached" };
        var operation = await store.CreateIndexAsync(UsersByTenantAndEmail);

        var failure = await Assert.ThrowsAsync<IndexOperationFailedException>(() => store.WaitAsync(operation));

        Assert.Equal(operation.Name, failure.Operation);
        Assert.Contains("composite index limit reached", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ResourceExhausted", failure.Message, StringComparison.Ordinal);
        Assert.Contains("run the migration again", failure.Message, StringComparison.Ordinal);
        Assert.Equal(IndexBuildState.NeedsRepair, Assert.Single(await store.ListIndexesAsync("users")).State);
    }

    [Fact]
    public async Task GetField_of_an_inheriting_field_reports_the_inherited_indexes_and_no_ttl()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);

        var field = await store.GetFieldAsync("sessions", "expires_at");

        Assert.Equal(("sessions", "expires_at"), (field.CollectionGroup, field.FieldPath));
        Assert.False(field.Ttl);
        Assert.Equal(
            [new FieldIndex(IndexOrder.Ascending, IndexScope.Collection), new FieldIndex(IndexOrder.Descending, IndexScope.Collection), new FieldIndex(IndexOrder.Contains, IndexScope.Collection)],
            field.Indexes);
        var call = Assert.Single(fake.State.Calls);
        Assert.Equal("name=" + Uri.EscapeDataString($"projects/{Project}/databases/(default)/collectionGroups/sessions/fields/expires_at"), call.RequestParams);
    }

    [Fact]
    public async Task UpdateField_sends_only_the_declared_settings_under_the_mask_and_Wait_sees_them_applied()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        var ttlOnly = new FieldOverrideSpec("sessions", "expires_at") { Ttl = true };

        var ttlOperation = await store.UpdateFieldAsync(ttlOnly);
        await store.WaitAsync(ttlOperation);

        var first = Assert.Single(fake.State.FieldUpdates);
        Assert.Equal(["ttl_config"], first.UpdateMask.Paths);
        Assert.Null(first.Field.IndexConfig);
        var afterTtl = await store.GetFieldAsync("sessions", "expires_at");
        Assert.True(afterTtl.Ttl);
        Assert.Equal(3, afterTtl.Indexes!.Count); // the inherited indexes were left alone
        Assert.True(ttlOnly.HeldBy(afterTtl));

        var noIndexes = new FieldOverrideSpec("sessions", "expires_at") { Indexes = [] };
        Assert.False(noIndexes.HeldBy(afterTtl));
        await store.WaitAsync(await store.UpdateFieldAsync(noIndexes));

        Assert.Equal(["index_config"], fake.State.FieldUpdates[1].UpdateMask.Paths);
        Assert.Equal("field.name=" + Uri.EscapeDataString($"projects/{Project}/databases/(default)/collectionGroups/sessions/fields/expires_at"),
            fake.State.Calls.Last(c => c.Method == "UpdateField").RequestParams);
        var afterIndexes = await store.GetFieldAsync("sessions", "expires_at");
        Assert.Empty(afterIndexes.Indexes!);
        Assert.True(afterIndexes.Ttl); // ttl untouched by an index-only update
        Assert.True(noIndexes.HeldBy(afterIndexes));

        var ascendingGroup = new FieldOverrideSpec("sessions", "expires_at") { Indexes = [new FieldIndex(IndexOrder.Ascending, IndexScope.CollectionGroup)], Ttl = false };
        await store.WaitAsync(await store.UpdateFieldAsync(ascendingGroup));
        Assert.Equal(["index_config", "ttl_config"], fake.State.FieldUpdates[2].UpdateMask.Paths);
        var single = Assert.Single(fake.State.FieldUpdates[2].Field.IndexConfig.Indexes);
        Assert.Equal(Admin.Index.Types.QueryScope.CollectionGroup, single.QueryScope);
        Assert.Equal("expires_at", Assert.Single(single.Fields).FieldPath);
        Assert.True(ascendingGroup.HeldBy(await store.GetFieldAsync("sessions", "expires_at")));
    }

    [Fact]
    public async Task UpdateField_with_nothing_declared_makes_no_call()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);

        var operation = await store.UpdateFieldAsync(new FieldOverrideSpec("sessions", "expires_at"));

        Assert.Equal(new IndexOperation(null, AlreadyExisted: false), operation);
        Assert.Empty(fake.State.Calls);
    }

    [Fact]
    public async Task Wait_stops_polling_when_canceled_and_a_canceled_call_is_not_sent()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        fake.State.PollsUntilDone = int.MaxValue;
        var operation = await store.CreateIndexAsync(UsersByTenantAndEmail);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WaitAsync(operation, cancel.Token));

        var polls = fake.State.Operations[operation.Name!].Polls;
        Assert.InRange(polls, 1, 100);
        await Task.Delay(200);
        Assert.Equal(polls, fake.State.Operations[operation.Name!].Polls);

        var calls = fake.State.Calls.Count;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ListIndexesAsync("users", cancel.Token));
        Assert.Equal(calls, fake.State.Calls.Count);
    }

    [Fact]
    public async Task Admin_calls_share_the_store_retry_loop_on_transient_faults()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        fake.State.FailNextCalls.Enqueue(StatusCode.Unavailable);
        fake.State.FailNextCalls.Enqueue(StatusCode.DeadlineExceeded);

        var operation = await store.CreateIndexAsync(UsersByTenantAndEmail);

        Assert.NotNull(operation.Name);
        Assert.Equal(2, store.RetryCount);
        Assert.Equal(3, fake.State.Calls.Count(c => c.Method == "CreateIndex"));
    }

    [Fact]
    public async Task A_retry_that_finds_the_index_its_lost_attempt_created_reports_it_already_existed()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        fake.State.LoseNextCreateResponse = true;

        var operation = await store.CreateIndexAsync(UsersByTenantAndEmail);

        Assert.Equal(new IndexOperation(null, AlreadyExisted: true), operation);
        Assert.Equal(2, fake.State.Calls.Count(c => c.Method == "CreateIndex"));
        Assert.Equal(1, store.RetryCount);
        Assert.True(Assert.Single(await store.ListIndexesAsync("users")).Index.SameIndexAs(UsersByTenantAndEmail));
    }

    [Fact]
    public async Task Permission_denied_names_the_index_admin_role()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = NewStore(fake);
        fake.State.FailNextCalls.Enqueue(StatusCode.PermissionDenied);

        var failure = await Assert.ThrowsAsync<FirestoreStoreException>(() => store.CreateIndexAsync(UsersByTenantAndEmail));

        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
        Assert.Contains("roles/datastore.indexAdmin", failure.Message, StringComparison.Ordinal);
        Assert.StartsWith("CreateIndex failed", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://firestore.example.com")]
    [InlineData("ftp://127.0.0.1:1")]
    [InlineData("127.0.0.1:8080")]
    public void An_admin_endpoint_that_is_not_https_or_loopback_http_is_refused_before_any_call(string endpoint)
    {
        var options = new FirestoreStoreOptions { ProjectId = Project, AdminEndpoint = endpoint };

        var failure = Assert.Throws<CloudSettingException>(() => new FirestoreDocumentStore(options));

        Assert.Equal("FirestoreStoreOptions.AdminEndpoint", failure.Setting);
        Assert.Contains(endpoint, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_stores_manage_indexes()
    {
        await using var store = new FirestoreDocumentStore(new FirestoreStoreOptions { ProjectId = Project, Credential = Google.Apis.Auth.OAuth2.GoogleCredential.FromAccessToken("t") });

        Assert.Null(store.IndexesUnavailableReason);
    }

    internal static FirestoreDocumentStore NewStore(FakeFirestoreAdmin fake, ILogger? logger = null) => new(new FirestoreStoreOptions
    {
        Logger = logger,
        ProjectId = Project,
        AdminEndpoint = fake.Endpoint,
        Credential = Google.Apis.Auth.OAuth2.GoogleCredential.FromAccessToken("test-token"),
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
        CallTimeout = TimeSpan.FromSeconds(10),
    });

    internal static void Seed(FakeFirestoreAdmin fake, string parent, Admin.Index.Types.QueryScope scope, Admin.Index.Types.State state, params Admin.Index.Types.IndexField[] fields)
    {
        var index = new Admin.Index { QueryScope = scope };
        index.Fields.AddRange(fields);
        lock (fake.State.Gate)
        {
            fake.State.AddIndex(parent, index, state);
        }
    }

    internal static Admin.Index.Types.IndexField Asc(string path) => new() { FieldPath = path, Order = Admin.Index.Types.IndexField.Types.Order.Ascending };

    internal static Admin.Index.Types.IndexField Desc(string path) => new() { FieldPath = path, Order = Admin.Index.Types.IndexField.Types.Order.Descending };

    internal static Admin.Index.Types.IndexField Contains(string path) => new() { FieldPath = path, ArrayConfig = Admin.Index.Types.IndexField.Types.ArrayConfig.Contains };

    private sealed class EventLogger : ILogger
    {
        private readonly ConcurrentQueue<(int Id, string Message)> _events = new();

        public IReadOnlyList<(int Id, string Message)> Events => _events.ToArray();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _events.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
