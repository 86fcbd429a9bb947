using Microsoft.Extensions.Logging;
using Seeding.Firestore;
using Seeding.Hosting;
using Seeding.Running;

namespace Seeding.Firestore.Tests;

/// <summary>Runners over a Firestore store given its capabilities explicitly, as the host and the CLI give them.</summary>
internal static class Runners
{
    public static SeedRunner For(FirestoreDocumentStore store, SeedRunnerOptions? options = null, ILogger<SeedRunner>? logger = null) =>
        new(store, logger, (options ?? new SeedRunnerOptions()) with { Capabilities = SeedingStoreCapabilities.Of(store) });
}
