using Seeding.Firestore;
using Seeding.PubSub;

namespace Seeding.Hosting.Tests;

/// <summary>
/// Firestore, its Admin API and Pub/Sub can be pointed at other TLS endpoints (a private endpoint, a local stand-in with
/// its own certificate) by configuration, as the host and the seeding command read it; plaintext stays an emulator's.
/// </summary>
public sealed class EndpointConfigurationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seeding-endpoints-").FullName;
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal) { [SeedingStores.ProjectIdKey] = "rehearsal-project" };

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private SeedingStoreChoice Resolve() => SeedingStores.Resolve(_settings.GetValueOrDefault, _ => null, _root);

    [Fact]
    public void Without_endpoint_keys_production_endpoints_are_used()
    {
        var choice = Resolve();

        Assert.Equal(FirestoreStoreOptions.ProductionEndpoint, choice.Firestore!.Endpoint);
        Assert.Null(choice.Firestore.AdminEndpoint);
        Assert.Equal(PubSubOptions.ProductionEndpoint, choice.PubSub!.Endpoint);
    }

    [Fact]
    public void Endpoint_keys_point_firestore_its_admin_api_and_pub_sub_at_tls_stand_ins()
    {
        _settings[SeedingStores.EndpointKey] = " 127.0.0.1:8443 ";
        _settings[SeedingStores.AdminEndpointKey] = "https://127.0.0.1:8444";
        _settings[SeedingStores.PubSubEndpointKey] = "https://127.0.0.1:8445";

        var choice = Resolve();

        Assert.Equal(("127.0.0.1:8443", "https://127.0.0.1:8444"), (choice.Firestore!.Endpoint, choice.Firestore.AdminEndpoint));
        Assert.False(choice.Firestore.UsesEmulator);
        Assert.Equal(("rehearsal-project", "https://127.0.0.1:8445", false), (choice.PubSub!.ProjectId, choice.PubSub.Endpoint, choice.PubSub.UsesEmulator));
        using var pubsub = choice.CreatePubSub();
        Assert.Equal("pubsub:projects/rehearsal-project", pubsub!.Name);
    }

    [Theory]
    [InlineData(SeedingStores.EndpointKey)]
    [InlineData(SeedingStores.PubSubEndpointKey)]
    public void A_plaintext_endpoint_is_refused_by_its_key(string key)
    {
        _settings[key] = "http://127.0.0.1:8443";

        var e = Assert.Throws<SeedingConfigurationException>(Resolve);

        Assert.Equal(key, e.Setting);
        Assert.Contains("plaintext http:// is only for an emulator", e.Message);
    }

    [Fact]
    public void A_blank_endpoint_is_refused_by_its_key()
    {
        _settings[SeedingStores.EndpointKey] = " ";

        var e = Assert.Throws<SeedingConfigurationException>(Resolve);

        Assert.Equal(SeedingStores.EndpointKey, e.Setting);
        Assert.Contains("set but blank", e.Message);
    }
}
