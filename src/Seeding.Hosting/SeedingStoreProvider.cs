using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seeding.PubSub;
using Seeding.Resources;
using Seeding.Store;

namespace Seeding.Hosting;

/// <summary>
/// Which store the host seeds: the builder's pinned choice, else the container's <see cref="IDocumentStore"/> (a store
/// registered by hand, or the resolved default that <c>AddSeeding</c> registers when there is none). The default is
/// resolved once, on first use, from the host's configuration (environment variables and command line included) with
/// relative paths under the content root. The Pub/Sub target is resolved with it (or, beside a store registered by hand,
/// from the Pub/Sub settings alone), unless the container has an <see cref="IPubSubAdmin"/>.
/// </summary>
internal sealed partial class SeedingStoreProvider : IAsyncDisposable, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly IOptions<SeedingStoreSelection> _selection;
    private readonly Lazy<(SeedingStoreChoice Choice, IDocumentStore Store)> _resolved;
    private readonly Lazy<PubSubAdmin?> _pubSub;
    private bool _handedToContainer;

    public SeedingStoreProvider(IServiceProvider services, IOptions<SeedingStoreSelection> selection)
    {
        _services = services;
        _selection = selection;
        _resolved = new(() => Resolve(services, selection.Value));
        _pubSub = new(CreatePubSub);
    }

    /// <summary>The store the runner writes to, and its name for logs.</summary>
    public (IDocumentStore Store, string DisplayName) InUse
    {
        get
        {
            if (_selection.Value.Kind is not null)
            {
                return (_resolved.Value.Store, _resolved.Value.Choice.DisplayName);
            }

            var registered = _services.GetRequiredService<IDocumentStore>();
            return _resolved.IsValueCreated && ReferenceEquals(registered, _resolved.Value.Store)
                ? (registered, _resolved.Value.Choice.DisplayName)
                : (registered, registered.Name);
        }
    }

    /// <summary>
    /// Where topic and subscription steps go: an <see cref="IPubSubAdmin"/> registered in the container, else the resolved
    /// target (created on first use, owned here); null when there is none. Read after <see cref="InUse"/>.
    /// </summary>
    public IPubSubAdmin? PubSub => _services.GetService<IPubSubAdmin>() ?? _pubSub.Value;

    /// <summary>The resolved default, for the container's <see cref="IDocumentStore"/> registration (which then owns its disposal).</summary>
    public IDocumentStore DefaultForContainer()
    {
        _handedToContainer = true;
        return _resolved.Value.Store;
    }

    public async ValueTask DisposeAsync()
    {
        DisposePubSub();
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
    public void Dispose()
    {
        DisposePubSub();
        (Owned() as IDisposable)?.Dispose();
    }

    private void DisposePubSub()
    {
        if (_pubSub.IsValueCreated)
        {
            _pubSub.Value?.Dispose();
        }
    }

    // The store's own resolution carries the Pub/Sub target (its default project is the Firestore one); beside a store
    // registered by hand only the Pub/Sub settings count, since that store's project is unknown here.
    private PubSubAdmin? CreatePubSub()
    {
        var loggers = _services.GetService<ILoggerFactory>();
        var usesResolved = _selection.Value.Kind is not null
            || (_resolved.IsValueCreated && ReferenceEquals(_services.GetRequiredService<IDocumentStore>(), _resolved.Value.Store));
        var options = usesResolved
            ? _resolved.Value.Choice.PubSub
            : SeedingStores.ResolvePubSub(_services.GetService<IConfiguration>() ?? new ConfigurationBuilder().Build(), Overrides(_selection.Value));
        if (options is null)
        {
            return null;
        }

        if (loggers is not null)
        {
            LogPubSub(loggers.CreateLogger<SeedingStoreProvider>(), options.DisplayName);
        }

        return new PubSubAdmin(options, loggers?.CreateLogger<PubSubAdmin>());
    }

    private static SeedingStoreOverrides Overrides(SeedingStoreSelection selection) => new()
    {
        Kind = selection.Kind,
        SqlitePath = selection.SqlitePath,
        ConfigureFirestore = selection.ConfigureFirestore,
        RequirePubSub = selection.RequirePubSub,
        ConfigurePubSub = selection.ConfigurePubSub,
    };

    // The store this provider created and nobody else disposes (the container disposes what it handed out).
    private IDocumentStore? Owned() => _resolved.IsValueCreated && !_handedToContainer ? _resolved.Value.Store : null;

    private static (SeedingStoreChoice, IDocumentStore) Resolve(IServiceProvider services, SeedingStoreSelection selection)
    {
        var configuration = services.GetService<IConfiguration>() ?? new ConfigurationBuilder().Build();
        var root = services.GetService<IHostEnvironment>()?.ContentRootPath;
        var choice = SeedingStores.Resolve(configuration, string.IsNullOrEmpty(root) ? Directory.GetCurrentDirectory() : root, Overrides(selection));
        var loggers = services.GetService<ILoggerFactory>();
        if (loggers is not null)
        {
            LogChosen(loggers.CreateLogger<SeedingStoreProvider>(), choice.DisplayName);
        }

        return (choice, choice.Create(loggers));
    }

    [LoggerMessage(1, LogLevel.Information, "Seeding store: {Store}")]
    private static partial void LogChosen(ILogger logger, string store);

    [LoggerMessage(2, LogLevel.Information, "Seeding Pub/Sub target: {Target}")]
    private static partial void LogPubSub(ILogger logger, string target);
}
