using System.Net;
using Grpc.Core;
using Seeding.Resources;
using Seeding.TestSupport;

namespace Seeding.Firestore.Tests;

/// <summary>What Google's Firestore emulator does with index calls: it has no Admin API, so index steps are skipped there.</summary>
public sealed class EmulatorIndexTests
{
    private static readonly IndexSpec UsersByTenantAndEmail = new(
        "users", IndexScope.Collection, [new IndexField("tenant_id", IndexOrder.Ascending), new IndexField("email", IndexOrder.Ascending)]);

    [Fact]
    public async Task A_store_on_the_emulator_says_why_indexes_are_unavailable_and_refuses_index_calls()
    {
        await using var store = new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync());

        Assert.NotNull(store.IndexesUnavailableReason);
        Assert.StartsWith("the Firestore emulator has no index API", store.IndexesUnavailableReason, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListIndexesAsync("users"));
        Assert.Contains(store.IndexesUnavailableReason!, refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateIndexAsync(UsersByTenantAndEmail));
    }

    [Fact]
    public async Task The_emulator_answers_the_Admin_API_with_Unimplemented_over_gRPC_and_404_over_REST()
    {
        // The reason above claims this: ask the emulator itself, through the store's Admin client and over REST.
        var options = await FirestoreEmulator.OptionsAsync();
        options.AdminEndpoint = "http://" + options.EmulatorHost;
        await using var store = new FirestoreDocumentStore(options);
        Assert.Null(store.IndexesUnavailableReason);

        var list = await Assert.ThrowsAsync<FirestoreStoreException>(() => store.ListIndexesAsync("users"));
        var create = await Assert.ThrowsAsync<FirestoreStoreException>(() => store.CreateIndexAsync(UsersByTenantAndEmail));

        Assert.Equal(StatusCode.Unimplemented, list.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, create.StatusCode);
        Assert.Contains("has no Firestore Admin API", list.Message, StringComparison.Ordinal);

        using var http = new HttpClient();
        var parent = $"projects/{options.ProjectId}/databases/(default)/collectionGroups/users";
        using var rest = await http.GetAsync(new Uri($"http://{options.EmulatorHost}/v1/{parent}/indexes"));
        Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
    }
}
