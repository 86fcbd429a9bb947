using Seeding.Firestore;

namespace Seeding.Hosting.Tests;

/// <summary>
/// Seeding:Firestore:Endpoint and Seeding:PubSub:Endpoint point production calls at another TLS endpoint (a regional
/// endpoint, a stand-in); https:// only, never beside an emulator host. Tested through what the resolver returns; the
/// production rehearsal (tests/Seeding.Rehearsal.Tests) runs them end to end.
/// </summary>
public sealed class EndpointSettingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seeding-endpoint-").FullName;
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal) { [SeedingStores.ProjectIdKey] = "my-project-1" };
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private SeedingStoreChoice Resolve() => SeedingStores.Resolve(_settings.GetValueOrDefault, _variables.GetValueOrDefault, _root);

    [Fact]
    public void Production_calls_go_to_the_configured_endpoints_and_to_Google_by_default()
    {
        var byDefault = Resolve();
        Assert.Equal(FirestoreStoreOptions.ProductionEndpoint, byDefault.Firestore!.Endpoint);
        Assert.Equal("https://pubsub.googleapis.com", byDefault.PubSub!.Endpoint);

        _settings[SeedingStores.EndpointKey] = " https://127.0.0.1:8443 ";
        _settings[SeedingStores.PubSubEndpointKey] = "https://europe-west1-pubsub.googleapis.com";
        var configured = Resolve();
        Assert.Equal("https://127.0.0.1:8443", configured.Firestore!.Endpoint);
        Assert.Equal("https://europe-west1-pubsub.googleapis.com", configured.PubSub!.Endpoint);
    }

    [Theory]
    [InlineData(SeedingStores.EndpointKey, "http://127.0.0.1:8080", "it must be an https:// address")]
    [InlineData(SeedingStores.EndpointKey, " ", "is set but blank")]
    [InlineData(SeedingStores.PubSubEndpointKey, "http://pubsub.example.com", "it must be an https:// address")]
    [InlineData(SeedingStores.PubSubEndpointKey, "pubsub.googleapis.com", "it must be an https:// address")]
    public void A_plaintext_blank_or_relative_endpoint_is_refused_by_its_key(string key, string value, string problem)
    {
        _settings[key] = value;
        var refused = Assert.Throws<SeedingConfigurationException>(Resolve);
        Assert.Equal(key, refused.Setting);
        Assert.Contains(problem, refused.Message);
    }

    [Theory]
    [InlineData(SeedingStores.EndpointKey, "FIRESTORE_EMULATOR_HOST")]
    [InlineData(SeedingStores.PubSubEndpointKey, "PUBSUB_EMULATOR_HOST")]
    public void An_endpoint_beside_an_emulator_host_is_refused_rather_than_ignored(string key, string emulatorVariable)
    {
        _settings[key] = "https://127.0.0.1:8443";
        _variables[emulatorVariable] = "127.0.0.1:8085";
        var refused = Assert.Throws<SeedingConfigurationException>(Resolve);
        Assert.Contains($"{key} ('https://127.0.0.1:8443') and {emulatorVariable} ('127.0.0.1:8085') are both set", refused.Message);
    }
}
