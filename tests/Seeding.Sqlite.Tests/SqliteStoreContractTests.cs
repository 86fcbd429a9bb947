using Seeding.Store;
using Seeding.StoreContract;

namespace Seeding.Sqlite.Tests;

/// <summary>Runs the store contract against a fresh SQLite database file per test.</summary>
public sealed class SqliteStoreContractTests : DocumentStoreContract
{
    private readonly TempDatabase _database = new();

    protected override Task<IDocumentStore> CreateStoreAsync() =>
        Task.FromResult<IDocumentStore>(new SqliteDocumentStore(_database.Options));

    protected override async Task DisposeStoreAsync(IDocumentStore store)
    {
        await base.DisposeStoreAsync(store);
        _database.Dispose();
    }
}
