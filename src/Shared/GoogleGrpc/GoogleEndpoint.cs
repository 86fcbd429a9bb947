using Grpc.Core;
using Grpc.Net.Client;

// Part of the Google transport (see GoogleFaults.cs).
#if SEEDING_FIRESTORE
namespace Seeding.Firestore.Internal;
#elif SEEDING_PUBSUB
namespace Seeding.PubSub.Internal;
#endif

/// <summary>
/// Where a Google API is reached, and how: TLS to a real endpoint (production, or a stand-in with its own certificate),
/// or plaintext HTTP/2 to an emulator. Plaintext is chosen only by <see cref="Emulator"/> (and a loopback
/// <see cref="LoopbackStandIn"/>), never for an endpoint given as a production address.
/// </summary>
internal sealed record GoogleEndpoint
{
    private GoogleEndpoint(Uri address, bool plaintext)
    {
        Address = address;
        Plaintext = plaintext;
    }

    /// <summary>The channel's address: <c>https://host[:port]</c>, or <c>http://host:port</c> for an emulator.</summary>
    public Uri Address { get; }

    /// <summary>True for an emulator: plaintext HTTP/2 (h2c).</summary>
    public bool Plaintext { get; }

    /// <summary>An emulator's <c>host:port</c> (already checked by the options): plaintext.</summary>
    public static GoogleEndpoint Emulator(string hostPort) => new(new Uri("http://" + hostPort), plaintext: true);

    /// <summary>
    /// A TLS endpoint: <c>https://host[:port]</c>, or <c>host:port</c>, which means the same. An <c>http://</c> address
    /// is refused (null): plaintext would send the access token unencrypted to something that is not an emulator.
    /// </summary>
    public static GoogleEndpoint? Tls(string address)
    {
        var text = address.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.AbsolutePath is "/" or ""
            ? new GoogleEndpoint(uri, plaintext: false)
            : null;
    }

    /// <summary>
    /// Checks a TLS endpoint setting before any call: the one rule, and message, of every Google client's <c>Endpoint</c>.
    /// </summary>
    /// <param name="address">The endpoint as set.</param>
    /// <param name="setting">The property, e.g. <c>FirestoreStoreOptions.Endpoint</c>.</param>
    /// <param name="production">The production endpoint, as an example.</param>
    /// <param name="emulatorVariable">The variable that selects the emulator (the only plaintext target).</param>
    /// <exception cref="Seeding.Resources.CloudSettingException">Not an <c>https://</c> address or <c>host:port</c>.</exception>
    public static void RequireTls(string? address, string setting, string production, string emulatorVariable)
    {
        if (address is null || Tls(address) is null)
        {
            throw new Seeding.Resources.CloudSettingException(
                setting,
                $"{setting} is '{address}', which is not an https:// address or host:port. Give a TLS endpoint such as '{production}' " +
                $"(plaintext is only for the emulator: set {emulatorVariable} for it).");
        }
    }

    /// <summary>
    /// An <c>https://</c> address (TLS), or an <c>http://</c> one on a loopback host (a local stand-in such as a test
    /// double of an API the emulator lacks); null for any other address.
    /// </summary>
    public static GoogleEndpoint? LoopbackStandIn(string address) =>
        Uri.TryCreate(address.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback
            ? new GoogleEndpoint(uri, plaintext: true)
            : Tls(address);

    /// <summary>The address as named in messages: <c>https://host:port</c>.</summary>
    public override string ToString() => Address.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// The channel: TLS (trusting the machine's certificate authorities) with a bearer token from
    /// <paramref name="bearer"/> on every call, or plaintext to an emulator, with the token only when
    /// <paramref name="bearer"/> is given (the Firestore emulator wants <c>owner</c>, the Pub/Sub emulator none).
    /// </summary>
    public GrpcChannel CreateChannel(Func<CancellationToken, Task<string>>? bearer)
    {
        var transport = Plaintext ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl;
        return GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            Credentials = bearer is null ? transport : ChannelCredentials.Create(transport, GoogleHeaders.Bearer(bearer)),
            // Only an emulator or a loopback stand-in is plaintext (the constructors above decide), and those still want a token.
            UnsafeUseInsecureChannelCallCredentials = Plaintext,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                // A target that never accepts fails an attempt at its deadline at the latest; this makes it fail sooner.
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            },
        });
    }
}
