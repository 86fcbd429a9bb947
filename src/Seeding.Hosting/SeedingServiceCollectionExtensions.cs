using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Seeding.Definitions;
using Seeding.Running;
using Seeding.Store;

namespace Seeding.Hosting;

/// <summary>Registers startup seeding in a .NET host.</summary>
public static class SeedingServiceCollectionExtensions
{
    /// <summary>
    /// Seeds the entry assembly's service (its generated <c>SeedingRegistry</c>) before the host serves. The store is the
    /// one the <c>seeding</c> command would pick: the embedded SQLite file <c>.seeding/seeding.db</c> under the content
    /// root by default, Firestore when configuration or <c>FIRESTORE_*</c> variables ask for it (see
    /// <see cref="SeedingStores"/>); a registered <see cref="IDocumentStore"/> or the returned builder's
    /// <c>UseSqlite</c>/<c>UseFirestore</c> choose otherwise. Topic and subscription steps go to the Pub/Sub target
    /// resolved beside the store (<c>PUBSUB_EMULATOR_HOST</c>, <c>PUBSUB_PROJECT_ID</c>, <c>Seeding:PubSub:*</c>, or
    /// the production Firestore project), else they are reported as having none.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes to the options bound from the <c>Seeding</c> configuration section.</param>
    /// <exception cref="InvalidOperationException">The entry assembly has no seed files compiled in.</exception>
    public static SeedingBuilder AddSeeding(this IServiceCollection services, Action<SeedingHostOptions>? configure = null) =>
        services.AddSeeding(ServiceSeeds.FromAssembly(Assembly.GetEntryAssembly()), configure);

    /// <summary>Seeds <paramref name="seeds"/> (e.g. <c>SeedingRegistry.Service</c>) before the host serves; the store is chosen as for <see cref="AddSeeding(IServiceCollection, Action{SeedingHostOptions}?)"/>.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="seeds">The service's registry.</param>
    /// <param name="configure">Changes to the options bound from the <c>Seeding</c> configuration section.</param>
    public static SeedingBuilder AddSeeding(this IServiceCollection services, ServiceSeeds seeds, Action<SeedingHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(seeds);
        services.AddOptions<SeedingHostOptions>().BindConfiguration(SeedingHostOptions.SectionName);
        services.AddOptions<SeedingStoreSelection>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(seeds);
        services.TryAddSingleton<SeedingState>();
        services.TryAddSingleton<SeedingStoreProvider>();

        // The resolved default, for the app too; a store registered by hand (before or after this call) wins.
        services.TryAddSingleton<IDocumentStore>(sp => sp.GetRequiredService<SeedingStoreProvider>().DefaultForContainer());
        services.TryAddSingleton(sp =>
        {
            var provider = sp.GetRequiredService<SeedingStoreProvider>();
            var store = provider.InUse.Store;
            // Topic and subscription steps go to the resolved Pub/Sub target unless the registered options name one; what
            // the store offers beyond documents is said here, where the store is known, unless the options say it.
            var options = sp.GetService<SeedRunnerOptions>() ?? new SeedRunnerOptions();
            options = options.PubSub is null ? options with { PubSub = provider.PubSub } : options;
            options = ReferenceEquals(options.Capabilities, StoreCapabilities.None) ? options with { Capabilities = SeedingStoreCapabilities.Of(store) } : options;
            options = options with
            {
                // Seeding:MaxWritesPerSecond, unless the registered options say; backfill progress goes to the logs.
                // (Outside a host there is no configuration to bind the options from: no budget then.)
                MaxWritesPerSecond = options.MaxWritesPerSecond
                    ?? (sp.GetService<IConfiguration>() is null ? null : BudgetOf(sp.GetRequiredService<IOptions<SeedingHostOptions>>().Value)),
                BackfillProgress = options.BackfillProgress ?? new BackfillProgressLog((sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<BackfillProgressLog>(), options.Time),
            };
            // Seeding:Backfill:* (the host options bind from configuration: a container without one, outside a host, has none).
            options = sp.GetService<IConfiguration>() is null ? options : sp.GetRequiredService<IOptions<SeedingHostOptions>>().Value.Backfill.ApplyTo(options);
            return new SeedRunner(store, sp.GetService<ILogger<SeedRunner>>(), options);
        });
        services.AddHostedService<SeedingHostedService>();
        services.TryAddSingleton<SeedingDriftCheck>();
        services.AddHealthChecks().AddCheck<SeedingHealthCheck>("seeding", tags: ["seeding"]);
        return new SeedingBuilder(services);
    }

    private static double? BudgetOf(SeedingHostOptions settings) => settings.MaxWritesPerSecond switch
    {
        null => null,
        > 0 and < double.PositiveInfinity => settings.MaxWritesPerSecond,
        var bad => throw new SeedingConfigurationException(
            $"{SeedingHostOptions.SectionName}:{nameof(SeedingHostOptions.MaxWritesPerSecond)}",
            $"{SeedingHostOptions.SectionName}:{nameof(SeedingHostOptions.MaxWritesPerSecond)} is {bad}; set a positive number of document writes per second, or leave it unset for no budget."),
    };
}
