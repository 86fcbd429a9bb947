using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Seeding.Rehearsal.Tests;

/// <summary>
/// Google's side of the rehearsal in one Kestrel server on 127.0.0.1: a TLS listener (HTTP/1.1 and HTTP/2 by ALPN,
/// the test authority's certificate) serving the token endpoint at <c>/token</c> and the gRPC front end for every
/// other path, and a plaintext HTTP/2 listener that counts the connections made to it and refuses every call, so a
/// client that ever fell back to plaintext would show.
/// </summary>
public sealed class StandIns : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServiceAccount _account;
    private readonly PlaintextCounter _counter;

    private StandIns(WebApplication app, ServiceAccount account, TokenEndpoint tokens, GoogleFrontEnd frontEnd, string tlsEndpoint, string plaintextEndpoint, PlaintextCounter counter)
    {
        _app = app;
        _account = account;
        Tokens = tokens;
        FrontEnd = frontEnd;
        TlsEndpoint = tlsEndpoint;
        PlaintextEndpoint = plaintextEndpoint;
        _counter = counter;
    }

    /// <summary>The token endpoint.</summary>
    public TokenEndpoint Tokens { get; }

    /// <summary>The gRPC front end.</summary>
    public GoogleFrontEnd FrontEnd { get; }

    /// <summary><c>https://127.0.0.1:port</c>: where the product is pointed.</summary>
    public string TlsEndpoint { get; }

    /// <summary><c>http://127.0.0.1:port</c>: the listener nobody may use.</summary>
    public string PlaintextEndpoint { get; }

    /// <summary>The service account's key file (<c>GOOGLE_APPLICATION_CREDENTIALS</c>).</summary>
    public string KeyFilePath => _account.KeyFilePath;

    /// <summary>Connections ever accepted on the plaintext listener.</summary>
    public int PlaintextConnections => _counter.Connections;

    /// <summary>Starts the listeners and writes the service account's key file under <paramref name="directory"/>.</summary>
    public static async Task<StandIns> StartAsync(TestCertificateAuthority authority, string directory, string firestore, string firestoreAdmin, string pubSub)
    {
        var counter = new PlaintextCounter();
        TokenEndpoint? tokens = null;
        GoogleFrontEnd? frontEnd = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(authority.ServerCertificate);
            });
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => connection =>
                {
                    counter.Count();
                    return next(connection);
                });
            });
        });
        var app = builder.Build();
        // One terminal handler (endpoint routing would run after it): the token endpoint's path, else the gRPC front end.
        app.Run(context => context.Request.Path == "/token" && HttpMethods.IsPost(context.Request.Method)
            ? tokens!.HandleAsync(context)
            : frontEnd!.HandleAsync(context));
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var tls = addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal));
        var plaintext = addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal));
        var account = ServiceAccount.Create(directory, "seeding-rehearsal", tls + "/token");
        tokens = new TokenEndpoint(account, tls + "/token");
        frontEnd = new GoogleFrontEnd(tokens, firestore, firestoreAdmin, pubSub);
        return new StandIns(app, account, tokens, frontEnd, tls, plaintext, counter);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        FrontEnd.Dispose();
        _account.Dispose();
    }

    private sealed class PlaintextCounter
    {
        private int _connections;

        public int Connections => Volatile.Read(ref _connections);

        public void Count() => Interlocked.Increment(ref _connections);
    }
}
