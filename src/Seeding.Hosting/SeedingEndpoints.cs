using Seeding.Firestore;

namespace Seeding.Hosting;

/// <summary>
/// The one rule for the production endpoint settings (<c>Seeding:Firestore:Endpoint</c>, <c>Seeding:PubSub:Endpoint</c>),
/// which point the Google clients at another TLS endpoint than Google's (a regional endpoint, a private access address,
/// a TLS stand-in in tests): an absolute <c>https://</c> address. The access token travels with every call, so plaintext
/// is only ever used for an emulator host, and an endpoint beside an emulator host is refused rather than quietly ignored.
/// </summary>
internal static class SeedingEndpoints
{
    /// <summary>Trims and checks an endpoint setting.</summary>
    /// <param name="setting">The value and the key it came from.</param>
    /// <param name="production">Google's endpoint, for the message.</param>
    /// <param name="emulator">The emulator setting in force (value and source), or null.</param>
    /// <returns>The trimmed endpoint.</returns>
    /// <exception cref="SeedingConfigurationException">Blank, not an https:// address, or set beside an emulator host.</exception>
    public static string Require(FirestoreSetting setting, string production, FirestoreSetting? emulator)
    {
        var value = setting.Value.Trim();
        if (value.Length == 0)
        {
            throw new SeedingConfigurationException(setting.Source,
                $"{setting.Source} is set but blank. Set it to an https:// address such as {production}, or unset it to use that one.");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new SeedingConfigurationException(setting.Source,
                $"{setting.Source} is '{value}': it must be an https:// address such as {production}. Calls carry an access token, " +
                "so plaintext is only used for an emulator host.");
        }

        if (emulator is { } host)
        {
            throw new SeedingConfigurationException(setting.Source,
                $"{setting.Source} ('{value}') and {host.Source} ('{host.Value.Trim()}') are both set: an endpoint is for production " +
                "over TLS, an emulator host for plaintext to the emulator. Unset one of them.");
        }

        return value;
    }
}
