using Microsoft.Extensions.DependencyInjection;
using Seeding.Firestore;
using Seeding.PubSub;

namespace Seeding.Hosting;

/// <summary>
/// Code-first store setup, returned by <c>AddSeeding()</c>: <c>.UseSqlite(...)</c> or <c>.UseFirestore(...)</c> pin the
/// backend that seeding writes to. Without either, seeding uses the <see cref="Store.IDocumentStore"/> registered in the
/// container, and when none is, the store configuration and the seed runner's variables choose (see
/// <see cref="SeedingStores"/>). <c>.UsePubSub(...)</c> requires a Pub/Sub target for <c>topic</c> and
/// <c>subscription</c> steps and adjusts its options.
/// </summary>
public sealed class SeedingBuilder
{
    internal SeedingBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for chaining other registrations.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Seeds the embedded SQLite file (its folder is created).</summary>
    /// <param name="path">The file, relative to the content root; null: <c>Seeding:Sqlite:Path</c>, else <c>.seeding/seeding.db</c>.</param>
    public SeedingBuilder UseSqlite(string? path = null)
    {
        if (path is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(path);
        }

        Services.Configure<SeedingStoreSelection>(selection =>
        {
            selection.Kind = SeedingStoreKind.Sqlite;
            selection.SqlitePath = path;
        });
        return this;
    }

    /// <summary>
    /// Seeds Firestore. The options start from configuration (<c>Seeding:Firestore:*</c>) and the seed runner's
    /// <c>FIRESTORE_*</c> variables, so the same code runs on the emulator locally and in production; then
    /// <paramref name="configure"/> changes what it wants (project, credentials, retries). They are validated before
    /// any call.
    /// </summary>
    /// <param name="configure">Changes to the resolved options, or null.</param>
    public SeedingBuilder UseFirestore(Action<FirestoreStoreOptions>? configure = null)
    {
        Services.Configure<SeedingStoreSelection>(selection =>
        {
            selection.Kind = SeedingStoreKind.Firestore;
            selection.ConfigureFirestore += configure;
        });
        return this;
    }

    /// <summary>
    /// Requires a Pub/Sub target for <c>topic</c> and <c>subscription</c> steps: the options start from configuration
    /// (<c>Seeding:PubSub:EmulatorHost</c>, <c>Seeding:PubSub:ProjectId</c>), then <c>PUBSUB_EMULATOR_HOST</c> and
    /// <c>PUBSUB_PROJECT_ID</c>, then the Firestore project (see <see cref="SeedingStores"/>); then
    /// <paramref name="configure"/> changes them (credentials, endpoint, timeouts, or the project itself). Without
    /// this call the same resolution applies, but finding no target is not an error: those steps are reported as having
    /// none. With it, no project anywhere stops the host with a <see cref="SeedingConfigurationException"/>.
    /// A <see cref="Resources.IPubSubAdmin"/> registered in the container wins over both.
    /// </summary>
    /// <param name="configure">Changes the options (e.g. <c>o =&gt; o.Credential = ...</c>), or null.</param>
    public SeedingBuilder UsePubSub(Action<PubSubOptions>? configure = null)
    {
        Services.Configure<SeedingStoreSelection>(selection =>
        {
            selection.RequirePubSub = true;
            if (configure is not null)
            {
                selection.ConfigurePubSub += configure;
            }
        });
        return this;
    }
}

/// <summary>What the builder pinned; bound as options so that several calls compose.</summary>
internal sealed class SeedingStoreSelection
{
    public SeedingStoreKind? Kind { get; set; }

    public string? SqlitePath { get; set; }

    public Action<FirestoreStoreOptions>? ConfigureFirestore { get; set; }

    public bool RequirePubSub { get; set; }

    public Action<PubSubOptions>? ConfigurePubSub { get; set; }
}
