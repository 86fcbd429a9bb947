using Seeding.Definitions;
using Seeding.Values;

// This test assembly is itself a "service assembly" for the process tests: the tool loads it with --assembly and
// finds the registry through this attribute, exactly as it does for a generated SeedingRegistry.
[assembly: SeedingService(typeof(Seeding.Cli.Tests.TestRegistry))]

namespace Seeding.Cli.Tests;

/// <summary>A hand-built registry, shaped like the generator's: a static <c>Service</c> property.</summary>
public static class TestRegistry
{
    /// <summary>Set in a child process's environment to load <see cref="SlowServices.Import"/> instead of the catalog (the signal tests).</summary>
    public const string SlowVariable = "SEEDING_TEST_SLOW_BATCH_DELAY_MS";

    public static ServiceSeeds Service { get; } = int.TryParse(Environment.GetEnvironmentVariable(SlowVariable), out var delay)
        ? SlowServices.Import(TimeSpan.FromMilliseconds(delay))
        : TestServices.Catalog();
}

/// <summary>A C# migration that writes <paramref name="batches"/> batches of 100 documents, waiting between them: a long migration.</summary>
public sealed class SlowMigration(int batches, TimeSpan delay) : IMigration
{
    /// <summary>Written to standard error once the first batch has landed (the lease is held from then on).</summary>
    public const string FirstBatchWritten = "slow migration: first batch written";

    public async Task ApplyAsync(Seeding.Running.MigrationContext context, CancellationToken cancellationToken)
    {
        for (var batch = 0; batch < batches; batch++)
        {
            for (var i = 0; i < 100; i++)
            {
                var id = $"r{batch * 100 + i:D6}";
                await context.WriteAsync(
                    Seeding.Store.DocumentWrite.Create(Seeding.Documents.DocumentPath.Create("records", id), new Dictionary<string, Value> { ["n"] = Value.Integer(batch) }),
                    Seeding.Running.PlanAction.Create,
                    cancellationToken: cancellationToken);
            }

            await context.FlushAsync(cancellationToken);
            if (batch == 0)
            {
                await Console.Error.WriteLineAsync(FirstBatchWritten);
            }

            await Task.Delay(delay, cancellationToken);
        }
    }
}

/// <summary>A service with one long migration, for the signal tests.</summary>
public static class SlowServices
{
    public const int Batches = 300;

    public static ServiceSeeds Import(TimeSpan delay) => new(
        "importer",
        [],
        [SeedDefinition.FromCode("0001_import", SeedPhase.Pre, "sha256:import", "Migrations/Pre/0001_import.cs", "Import records", new SlowMigration(Batches, delay))]);
}

/// <summary>Hand-built services, standing in for generated registries.</summary>
public static class TestServices
{
    public static SeedDocument Document(string id, int line, params (string Key, object Value)[] fields) =>
        new(id, fields.ToDictionary(f => f.Key, f => f.Value switch
        {
            string s => Value.String(s),
            int i => Value.Integer(i),
            bool b => Value.Boolean(b),
            _ => throw new ArgumentException("Unsupported test value"),
        }, StringComparer.Ordinal), line);

    public static SeedDefinition Create(string id, SeedPhase phase, string collection, string checksum, params string[] ids)
    {
        var folder = phase == SeedPhase.Bootstrap ? "bootstrap" : $"migrations/{phase.ToString().ToLowerInvariant()}";
        var documents = ids.Select((docId, i) => Document(docId, 4 + i, ("name", docId))).ToArray();
        return new SeedDefinition(id, phase, checksum, $"{folder}/{id}.yaml", $"Test {id}", [SeedStep.Create(collection, 2, documents)]);
    }

    /// <summary>A service with two pre migrations, a bootstrap seed and a post migration.</summary>
    /// <param name="name">The service name.</param>
    /// <param name="rolesChecksum">The checksum of its first migration: change it to simulate an edited applied file.</param>
    /// <param name="dependsOn">Its dependencies.</param>
    public static ServiceSeeds Catalog(string name = "catalog", string rolesChecksum = "sha256:roles-v1", params string[] dependsOn) => new(
        name,
        dependsOn,
        [
            Create("0001_roles", SeedPhase.Pre, $"{name}_roles", rolesChecksum, "admin", "user"),
            Create("0002_plans", SeedPhase.Pre, $"{name}_plans", "sha256:plans-v1", "free", "pro", "team"),
            Create("0001_flags", SeedPhase.Post, $"{name}_flags", "sha256:flags-v1", "beta"),
            Create("system_account", SeedPhase.Bootstrap, $"{name}_accounts", "sha256:boot-v1", "system"),
        ]);

    /// <summary>A small service with one pre migration.</summary>
    public static ServiceSeeds Small(string name, params string[] dependsOn) => new(
        name,
        dependsOn,
        [Create("0001_init", SeedPhase.Pre, $"{name}_items", "sha256:init-v1", "one")]);
}

/// <summary>A C# migration that writes documents (sent to the store) and then throws, as a buggy migration would.</summary>
public sealed class FailingMigration(int documents) : IMigration
{
    public async Task ApplyAsync(Seeding.Running.MigrationContext context, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= documents; i++)
        {
            await context.WriteAsync(
                Seeding.Store.DocumentWrite.Create(Seeding.Documents.DocumentPath.Create("accounts", $"a{i}"), new Dictionary<string, Value> { ["n"] = Value.Integer(i) }),
                Seeding.Running.PlanAction.Create,
                cancellationToken: cancellationToken);
        }

        await context.FlushAsync(cancellationToken);
        throw new InvalidOperationException("the legacy table has no column 'email'");
    }
}

/// <summary>Services whose runs go wrong.</summary>
public static class FailingServices
{
    /// <summary>A YAML migration that applies, then a C# migration that writes 3 documents and throws, then a post migration.</summary>
    public static ServiceSeeds Accounts() => new(
        "accounts",
        [],
        [
            TestServices.Create("0001_roles", SeedPhase.Pre, "accounts_roles", "sha256:roles", "admin", "user"),
            SeedDefinition.FromCode("0002_import", SeedPhase.Pre, "sha256:import", "Migrations/Pre/0002_import.cs", "Import legacy accounts", new FailingMigration(3)),
            TestServices.Create("0001_flags", SeedPhase.Post, "accounts_flags", "sha256:flags", "beta"),
        ]);
}

/// <summary>Hand-built services with resource steps (topics, subscriptions, indexes, field overrides).</summary>
public static class ResourceServices
{
    private static SeedDefinition File(string id, SeedPhase phase, params SeedStep[] steps)
    {
        var folder = phase == SeedPhase.Bootstrap ? "bootstrap" : $"migrations/{phase.ToString().ToLowerInvariant()}";
        return new SeedDefinition(id, phase, $"sha256:{id}", $"{folder}/{id}.yaml", $"Test {id}", steps);
    }

    private static Seeding.Resources.IndexSpec Index(string group, params (string Path, Seeding.Resources.IndexOrder Order)[] fields) =>
        new(group, Seeding.Resources.IndexScope.Collection, fields.Select(f => new Seeding.Resources.IndexField(f.Path, f.Order)).ToArray());

    /// <summary>An audit-like service: a migration with a topic and its subscription.</summary>
    public static ServiceSeeds Events() => new(
        "events",
        [],
        [
            TestServices.Create("0001_kinds", SeedPhase.Pre, "event_kinds", "sha256:kinds", "login"),
            File("0002_topics", SeedPhase.Pre,
                SeedStep.Topic(2, new Seeding.Resources.TopicSpec("audit-events") { MessageRetention = TimeSpan.FromDays(1) }),
                SeedStep.Subscription(6, new Seeding.Resources.SubscriptionSpec("audit-writer", "audit-events") { AckDeadline = TimeSpan.FromSeconds(30) })),
        ]);

    /// <summary>A user-like service: a composite index and a TTL field override.</summary>
    public static ServiceSeeds Users() => new(
        "users",
        [],
        [
            File("0001_indexes", SeedPhase.Pre,
                SeedStep.Index(2, Index("users", ("tenant_id", Seeding.Resources.IndexOrder.Ascending), ("email", Seeding.Resources.IndexOrder.Ascending))),
                SeedStep.Index(7, Index("users", ("tags", Seeding.Resources.IndexOrder.Contains), ("created_at", Seeding.Resources.IndexOrder.Descending))),
                SeedStep.FieldOverride(12, new Seeding.Resources.FieldOverrideSpec("sessions", "expires_at") { Ttl = true })),
        ]);

    /// <summary>A service that depends on users, declares one of its indexes again, a collection group index and the same field's indexes.</summary>
    public static ServiceSeeds Admin() => new(
        "admin",
        ["users"],
        [
            File("0001_indexes", SeedPhase.Pre,
                SeedStep.Index(2, Index("users", ("tenant_id", Seeding.Resources.IndexOrder.Ascending), ("email", Seeding.Resources.IndexOrder.Ascending))),
                SeedStep.Index(7, new Seeding.Resources.IndexSpec("audit_entries", Seeding.Resources.IndexScope.CollectionGroup,
                    [new("actor", Seeding.Resources.IndexOrder.Ascending), new("at", Seeding.Resources.IndexOrder.Descending)])),
                SeedStep.FieldOverride(12, new Seeding.Resources.FieldOverrideSpec("sessions", "expires_at")
                {
                    Indexes = [new(Seeding.Resources.IndexOrder.Descending, Seeding.Resources.IndexScope.Collection), new(Seeding.Resources.IndexOrder.Ascending, Seeding.Resources.IndexScope.CollectionGroup)],
                }),
                SeedStep.FieldOverride(16, new Seeding.Resources.FieldOverrideSpec("audit_entries", "payload") { Indexes = [] })),
        ]);
}
