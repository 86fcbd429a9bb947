using Seeding.Store;
using Seeding.StoreContract;
using Seeding.TestSupport;

namespace Seeding.Firestore.Tests;

/// <summary>The store-agnostic contract, run against the Firestore emulator: each test gets its own project (an empty database).</summary>
public sealed class FirestoreContractTests : DocumentStoreContract
{
    protected override async Task<IDocumentStore> CreateStoreAsync() =>
        new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync(FirestoreEmulator.NewProjectId("contract")));
}
