using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seeding.Definitions;
using Seeding.Running;
using Seeding.Store;

namespace Seeding.Hosting;

/// <summary>Registers startup seeding in a .NET host.</summary>
public static class SeedingServiceCollectionExtensions
{
    /// <summary>
    /// Seeds the entry assembly's service (its generated <c>SeedingRegistry</c>) before the host serves.
    /// Register an <see cref="IDocumentStore"/> too (SQLite locally, Firestore in the cloud).
    /// </summary>
    /// <exception cref="InvalidOperationException">The entry assembly has no seed files compiled in.</exception>
    public static IServiceCollection AddSeeding(this IServiceCollection services, Action<SeedingHostOptions>? configure = null) =>
        services.AddSeeding(FromAssembly(Assembly.GetEntryAssembly()), configure);

    /// <summary>Seeds <paramref name="seeds"/> (e.g. <c>SeedingRegistry.Service</c>) before the host serves.</summary>
    public static IServiceCollection AddSeeding(this IServiceCollection services, ServiceSeeds seeds, Action<SeedingHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(seeds);
        services.AddOptions<SeedingHostOptions>().BindConfiguration(SeedingHostOptions.SectionName);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(seeds);
        services.TryAddSingleton<SeedingState>();
        services.TryAddSingleton(sp => new SeedRunner(
            sp.GetService<IDocumentStore>() ?? throw new InvalidOperationException(
                "AddSeeding needs an IDocumentStore: register one, e.g. services.AddSingleton<IDocumentStore>(new SqliteDocumentStore(...)) " +
                "for local runs or a FirestoreDocumentStore in the cloud."),
            sp.GetService<ILogger<SeedRunner>>(),
            sp.GetService<SeedRunnerOptions>()));
        services.AddHostedService<SeedingHostedService>();
        services.AddHealthChecks().AddCheck<SeedingHealthCheck>("seeding", tags: ["seeding"]);
        return services;
    }

    /// <summary>Reads the generated registry of an assembly through its <see cref="SeedingServiceAttribute"/>.</summary>
    /// <exception cref="InvalidOperationException">The assembly has no seed files compiled in.</exception>
    public static ServiceSeeds FromAssembly(Assembly? assembly)
    {
        var registry = assembly?.GetCustomAttribute<SeedingServiceAttribute>()?.Registry
            ?? throw new InvalidOperationException(
                $"Assembly '{assembly?.GetName().Name ?? "(none)"}' has no seed files compiled in. Add seeding.yaml, migrations/ or bootstrap/ " +
                "YAML files to the project (with the Seeding package referenced), or pass the registry: AddSeeding(SeedingRegistry.Service).");
        return registry.GetProperty("Service", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ServiceSeeds
            ?? throw new InvalidOperationException($"'{registry.FullName}' has no static Service property; rebuild the project so the generator refreshes it.");
    }
}
