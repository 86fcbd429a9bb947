using Seeding.Definitions;
using Seeding.Resources;
using Seeding.Running;
using Seeding.Sqlite;
using Seeding.TestSupport;

namespace Seeding.PubSub.Tests;

/// <summary>
/// Seed files with topic and subscription steps, run through <see cref="SeedRunner"/> with a real store (SQLite in a
/// temp file, shared by every runner of a test) and <see cref="PubSubAdmin"/> on the emulator in a fresh project.
/// </summary>
public sealed class RunnerFixture : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("seeding-pubsub-").FullName;

    /// <summary>The project this fixture's topics live in.</summary>
    public string ProjectId { get; } = PubSubEmulator.NewProjectId("runner");

    /// <summary>Counts the calls of every admin this fixture makes.</summary>
    public CallCounter Calls { get; } = new();

    /// <summary>The SQLite file every runner of this fixture shares.</summary>
    public string StorePath => Path.Combine(_directory, "seeding.db");

    /// <summary>The audit sample's resources: a topic, its dead-letter topic and a subscription with every setting but push.</summary>
    public static IReadOnlyList<SeedStep> AuditSteps(TimeSpan? ackDeadline = null) =>
    [
        SeedStep.Topic(3, new TopicSpec("audit-events")
        {
            Labels = new Dictionary<string, string> { ["team"] = "audit" },
            MessageRetention = TimeSpan.FromDays(1),
        }),
        SeedStep.Topic(8, new TopicSpec("audit-dead-letter")),
        SeedStep.Subscription(10, new SubscriptionSpec("audit-writer", "audit-events")
        {
            Labels = new Dictionary<string, string> { ["team"] = "audit" },
            AckDeadline = ackDeadline ?? TimeSpan.FromSeconds(30),
            MessageRetention = TimeSpan.FromHours(12),
            Filter = "attributes.kind = \"audit\"",
            DeadLetter = new DeadLetterPolicy("audit-dead-letter", 5),
        }),
    ];

    /// <summary>A service with one migration (pre) or one bootstrap file holding <paramref name="steps"/>.</summary>
    public static ServiceSeeds Service(SeedPhase phase, IReadOnlyList<SeedStep> steps)
    {
        var (id, path) = phase == SeedPhase.Bootstrap
            ? ("audit_topics", "bootstrap/audit_topics.yaml")
            : ("0002_audit_topics", "migrations/pre/0002_audit_topics.yaml");
        return new ServiceSeeds("audit", [], [new SeedDefinition(id, phase, "sha256:" + id, path, null, steps)]);
    }

    /// <summary>A Pub/Sub client of this fixture's project (calls counted).</summary>
    public Task<PubSubAdmin> AdminAsync() => PubSubEmulator.AdminAsync(ProjectId, Calls);

    /// <summary>Runs <paramref name="service"/> once with a runner, store and Pub/Sub client of its own.</summary>
    public async Task<RunReport> RunAsync(ServiceSeeds service, RunRequest request)
    {
        await using var store = new SqliteDocumentStore(new SqliteStoreOptions(StorePath));
        using var pubsub = await AdminAsync();
        return await new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubsub }).RunAsync(service, request);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
