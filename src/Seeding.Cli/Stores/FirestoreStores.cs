using Seeding.Firestore;

namespace Seeding.Cli.Stores;

/// <summary>Opens the Firestore store: options first, then FIRESTORE_* variables (read through the host's seam).</summary>
internal static class FirestoreStores
{
    public static Task<OpenStore> OpenAsync(StoreSettings settings, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var options = FirestoreStoreOptions.FromEnvironment(environment);
        options.Logger = settings.Logger;
        if (settings.EmulatorHost is not null)
        {
            options.EmulatorHost = settings.EmulatorHost;
        }

        if (settings.ProjectId is not null)
        {
            options.ProjectId = settings.ProjectId;
        }
        else if (string.IsNullOrWhiteSpace(options.ProjectId) && options.UsesEmulator)
        {
            options.ProjectId = FirestoreStoreOptions.EmulatorDefaultProject;
        }

        if (settings.FirestoreDatabase is not null)
        {
            options.DatabaseId = settings.FirestoreDatabase;
        }

        if (string.IsNullOrWhiteSpace(options.ProjectId))
        {
            throw new UsageException(
                "Firestore needs a project: pass --project <id> (or set FIRESTORE_PROJECT_ID), or --emulator-host host:port " +
                "(or FIRESTORE_EMULATOR_HOST) for the emulator.");
        }

        return Task.FromResult(new OpenStore(new FirestoreDocumentStore(options)));
    }
}
