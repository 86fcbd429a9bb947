using Seeding.Store;
using Seeding.StoreContract;

namespace Seeding.Tests;

/// <summary>Runs the store contract against the in-memory store.</summary>
public sealed class InMemoryStoreContractTests : DocumentStoreContract
{
    protected override Task<IDocumentStore> CreateStoreAsync() => Task.FromResult<IDocumentStore>(new InMemoryDocumentStore());
}
