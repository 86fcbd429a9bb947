using Seeding.Definitions;
using Seeding.Values;

namespace Seeding.Tests;

/// <summary>Builds seed definitions by hand, the way generated code does, for runner tests.</summary>
internal static class SeedBuilder
{
    public static SeedDocument Doc(string id, params (string Name, Value Value)[] fields) =>
        new(id, fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal), 1);

    public static SeedDefinition Migration(string id, SeedPhase phase, string checksum, params SeedStep[] steps) =>
        new(id, phase, checksum, $"migrations/{phase.ToString().ToLowerInvariant()}/{id}.yaml", null, steps);

    public static SeedDefinition Bootstrap(string id, params SeedStep[] steps) =>
        new(id, SeedPhase.Bootstrap, "sha256:bootstrap", $"bootstrap/{id}.yaml", null, steps);

    public static SeedStep Create(string collection, params SeedDocument[] documents) => SeedStep.Create(collection, 1, documents);

    public static SeedStep Upsert(string collection, params SeedDocument[] documents) => SeedStep.Upsert(collection, 1, documents);

    public static ServiceSeeds Service(params SeedDefinition[] seeds) => new("tenant", [], seeds);

    public static SeedDocument[] Many(int count, string prefix = "doc") =>
        Enumerable.Range(0, count).Select(i => Doc($"{prefix}-{i:D5}", ("n", Value.Integer(i)), ("created_at", Value.ServerTimestamp))).ToArray();
}
