using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seeding.Store;

namespace Seeding.Hosting;

/// <summary>
/// Which store the host seeds: the builder's pinned choice, else the container's <see cref="IDocumentStore"/> (a store
/// registered by hand, or the resolved default that <c>AddSeeding</c> registers when there is none). The default is
/// resolved once, on first use, from the host's configuration (environment variables and command line included) with
/// relative paths under the content root.
/// </summary>
internal sealed partial class SeedingStoreProvider(IServiceProvider services, IOptions<SeedingStoreSelection> selection) : IAsyncDisposable, IDisposable
{
    private readonly Lazy<(SeedingStoreChoice Choice, IDocumentStore Store)> _resolved = new(() => Resolve(services, selection.Value));
    private bool _handedToContainer;

    /// <summary>The store the runner writes to, and its name for logs.</summary>
    public (IDocumentStore Store, string DisplayName) InUse
    {
        get
        {
            if (selection.Value.Kind is not null)
            {
                return (_resolved.Value.Store, _resolved.Value.Choice.DisplayName);
            }

            var registered = services.GetRequiredService<IDocumentStore>();
            return _resolved.IsValueCreated && ReferenceEquals(registered, _resolved.Value.Store)
                ? (registered, _resolved.Value.Choice.DisplayName)
                : (registered, registered.Name);
        }
    }

    /// <summary>The resolved default, for the container's <see cref="IDocumentStore"/> registration (which then owns its disposal).</summary>
    public IDocumentStore DefaultForContainer()
    {
        _handedToContainer = true;
        return _resolved.Value.Store;
    }

    public async ValueTask DisposeAsync()
    {
        if (Owned() is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            Dispose();
        }
    }

    // A container disposed synchronously (a bare ServiceProvider) must not throw for an async-only service.
    public void Dispose() => (Owned() as IDisposable)?.Dispose();

    // The store this provider created and nobody else disposes (the container disposes what it handed out).
    private IDocumentStore? Owned() => _resolved.IsValueCreated && !_handedToContainer ? _resolved.Value.Store : null;

    private static (SeedingStoreChoice, IDocumentStore) Resolve(IServiceProvider services, SeedingStoreSelection selection)
    {
        var configuration = services.GetService<IConfiguration>() ?? new ConfigurationBuilder().Build();
        var root = services.GetService<IHostEnvironment>()?.ContentRootPath;
        var overrides = new SeedingStoreOverrides
        {
            Kind = selection.Kind,
            SqlitePath = selection.SqlitePath,
            ConfigureFirestore = selection.ConfigureFirestore,
        };
        var choice = SeedingStores.Resolve(configuration, string.IsNullOrEmpty(root) ? Directory.GetCurrentDirectory() : root, overrides);
        var loggers = services.GetService<ILoggerFactory>();
        if (loggers is not null)
        {
            LogChosen(loggers.CreateLogger<SeedingStoreProvider>(), choice.DisplayName);
        }

        return (choice, choice.Create(loggers));
    }

    [LoggerMessage(1, LogLevel.Information, "Seeding store: {Store}")]
    private static partial void LogChosen(ILogger logger, string store);
}
