using Seeding.Firestore;
using Seeding.PubSub;
using Seeding.Resources;

namespace Seeding.Hosting;

/// <summary>
/// The Pub/Sub half of <see cref="SeedingStores"/>: where <c>topic</c> and <c>subscription</c> steps are ensured. For each
/// value: what the caller gives, then configuration (<c>Seeding:PubSub:EmulatorHost</c>, <c>Seeding:PubSub:ProjectId</c>),
/// then the variables Google's client libraries read (<c>PUBSUB_EMULATOR_HOST</c>, <c>PUBSUB_PROJECT_ID</c>). Then:
/// <list type="bullet">
/// <item>an emulator host without a project: the Firestore project when the store is Firestore, else
/// <see cref="FirestoreStoreOptions.EmulatorDefaultProject"/> (<c>demo-seeding</c>, the emulator's demo project);</item>
/// <item>a project without an emulator host: production Pub/Sub in that project, with Application Default Credentials;</item>
/// <item>neither, with the store on production Firestore: production Pub/Sub in the Firestore project;</item>
/// <item>neither otherwise (SQLite, memory, the Firestore emulator): no Pub/Sub target; topic and subscription steps are
/// reported as having none, with the reason. Production Pub/Sub is never reached because a local run forgot a setting.</item>
/// </list>
/// </summary>
internal static class SeedingPubSub
{
    public static PubSubOptions? Resolve(
        Func<string, string?> settings, Func<string, string?> variables, FirestoreStoreOptions? firestore, SeedingStoreOverrides overrides)
    {
        FirestoreSetting? Given(FirestoreSetting? option, string key, string variable) =>
            option
            ?? (settings(key) is { } configured ? new FirestoreSetting(configured, key) : (FirestoreSetting?)null)
            ?? (variables(variable) is { } value ? new FirestoreSetting(value, variable) : (FirestoreSetting?)null);

        var emulatorSetting = Given(overrides.PubSubEmulatorHost, SeedingStores.PubSubEmulatorHostKey, PubSubOptions.EmulatorHostVariable);
        var projectSetting = Given(overrides.PubSubProjectId, SeedingStores.PubSubProjectIdKey, PubSubOptions.ProjectIdVariable);

        // A Pub/Sub project id is a Google Cloud project id and its emulator a host:port: the one rule for both
        // (CloudSettingRules, in the core) checks them here, so blank or malformed values fail by their own name, as
        // Pub/Sub settings, before any call.
        var emulator = emulatorSetting is { } host ? Require(host, CloudSettingRules.EmulatorHostProblem, $"the Pub/Sub emulator's {CloudSettingRules.EmulatorHostForm}") : null;
        var project = projectSetting is { } id
            ? Require(id, value => CloudSettingRules.ProjectIdProblem(value, emulator: emulator is not null), "the Google Cloud project of the Pub/Sub topics and subscriptions, such as my-project-123")
            : null;

        project ??= emulator is not null
            ? firestore?.ProjectId ?? FirestoreStoreOptions.EmulatorDefaultProject
            : firestore is { UsesEmulator: false } ? firestore.ProjectId : null;

        var endpoint = settings(SeedingStores.PubSubEndpointKey) is { } configuredEndpoint
            ? SeedingEndpoints.Require(new FirestoreSetting(configuredEndpoint, SeedingStores.PubSubEndpointKey), "https://pubsub.googleapis.com", emulatorSetting)
            : null;
        var options = project is null ? null : new PubSubOptions { ProjectId = project, EmulatorHost = emulator };
        if (options is not null && endpoint is not null)
        {
            options = options with { Endpoint = endpoint };
        }

        if (!overrides.RequirePubSub && overrides.ConfigurePubSub is null)
        {
            return options;
        }

        if (overrides.ConfigurePubSub is { } configure)
        {
            options = configure(options ?? new PubSubOptions { ProjectId = string.Empty });
        }

        if (overrides.RequirePubSub && string.IsNullOrWhiteSpace(options?.ProjectId))
        {
            throw new SeedingConfigurationException(SeedingStores.PubSubProjectIdKey,
                $"Pub/Sub needs a project: set {SeedingStores.PubSubProjectIdKey} (or {PubSubOptions.ProjectIdVariable}), or " +
                $"{SeedingStores.PubSubEmulatorHostKey} host:port (or {PubSubOptions.EmulatorHostVariable}) for the emulator, " +
                "or seed production Firestore (its project is the default).");
        }

        return string.IsNullOrWhiteSpace(options?.ProjectId) ? null : options;
    }

    private static string Require(FirestoreSetting setting, Func<string, string?> problem, string expected) =>
        CloudSettingRules.Require(setting.Value, setting.Source, problem, expected, static (source, message) => new SeedingConfigurationException(source, message));
}
