using Seeding.Firestore;
using Seeding.Sqlite;
using Seeding.Store;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// Where a runner's store is, in a form that crosses a process boundary as arguments: an SQLite file, or an
/// emulator host and project. Every runner (thread or process) opens its own store over it, as replicas do.
/// </summary>
public sealed record StoreSpec(string Kind, string Target, string Project)
{
    public static StoreSpec Sqlite(string file) => new("sqlite", file, "-");

    public static StoreSpec Firestore(string emulatorHost, string project) => new("firestore", emulatorHost, project);

    public static StoreSpec FromArgs(string kind, string target, string project) => new(kind, target, project);

    public string[] ToArgs() => [Kind, Target, Project];

    public IDocumentStore Open() => Kind switch
    {
        "sqlite" => new SqliteDocumentStore(new SqliteStoreOptions(Target)),
        "firestore" => new FirestoreDocumentStore(new FirestoreStoreOptions
        {
            EmulatorHost = Target,
            ProjectId = Project,
            InitialBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
            CallTimeout = TimeSpan.FromSeconds(30),
        }),
        _ => throw new ArgumentException($"Unknown store kind '{Kind}'.", nameof(Kind)),
    };
}
