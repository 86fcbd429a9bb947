using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Seeding.Firestore.Internal;
using Seeding.Store;
using Seeding.TestSupport;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// The credential seam. Production cannot be reached from here, so a local token endpoint stands in for Google's:
/// a service-account key made in the test must yield an RS256-signed JWT assertion for the Datastore scope, the
/// returned token must reach the authorization header, and expiring tokens must be refreshed.
/// </summary>
public sealed class AuthTests
{
    [Fact]
    public async Task Service_account_credentials_send_a_signed_jwt_and_the_token_reaches_the_header()
    {
        using var rsa = RSA.Create(2048);
        using var listener = new HttpListener();
        var port = EmulatorProcess.FreePort();
        var tokenUri = $"http://127.0.0.1:{port}/token";
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var assertions = new List<JsonElement>();
        var server = ServeTokensAsync(listener, rsa, assertions, 2, n => $"token-{n}");
        var tokens = GoogleTokens.From(ServiceAccount(rsa, tokenUri), FirestoreCalls.DatastoreScope);

        var first = await tokens.GetAsync(CancellationToken.None);
        var second = await tokens.GetAsync(CancellationToken.None);
        listener.Stop();
        await server;

        // The first token expires at once, so the second call must have fetched a fresh one.
        Assert.Equal(("token-1", "token-2"), (first, second));
        Assert.Equal(2, assertions.Count);
        var claims = assertions[0];
        Assert.Equal("seeder@demo-auth.iam.gserviceaccount.com", claims.GetProperty("iss").GetString());
        Assert.Equal(FirestoreCalls.DatastoreScope, claims.GetProperty("scope").GetString());
        Assert.EndsWith("/token", claims.GetProperty("aud").GetString()); // the library signs for Google's token audience
    }

    [Fact]
    public async Task The_store_asks_its_credential_for_a_token_on_every_call_and_sends_routing_headers()
    {
        // A service-account credential whose token endpoint hands out the emulator's owner token, expiring at once: each
        // call must ask for a fresh one, so the endpoint sees one request per call.
        using var rsa = RSA.Create(2048);
        using var listener = new HttpListener();
        var port = EmulatorProcess.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var assertions = new List<JsonElement>();
        var server = ServeTokensAsync(listener, rsa, assertions, 3, _ => "owner");
        var headers = new HeaderRecorder();
        var options = await FirestoreEmulator.OptionsAsync(databaseId: "routed-db");
        options.Credential = ServiceAccount(rsa, $"http://127.0.0.1:{port}/token");
        options.Interceptors.Add(headers);
        await using var store = new FirestoreDocumentStore(options);

        await store.WriteBatchAsync([DocumentWrite.Create(P("c/d"), F())]);
        await store.GetAllAsync([P("c/d")]);
        await store.QueryAsync(new DocumentQuery("c", []));
        await server;

        Assert.Equal(3, assertions.Count);
        var database = $"projects/{options.ProjectId}/databases/routed-db";
        Assert.All(headers.Seen, h => Assert.Equal(database, h.GetValue("google-cloud-resource-prefix")));
        Assert.All(headers.Seen, h => Assert.Equal("database=" + Uri.EscapeDataString(database), h.GetValue("x-goog-request-params")));
        Assert.Equal(3, headers.Seen.Count);
    }

    [Fact]
    public async Task An_unreachable_production_endpoint_fails_with_a_message_that_says_what_to_check()
    {
        await using var store = new FirestoreDocumentStore(new FirestoreStoreOptions
        {
            ProjectId = "demo-prod",
            Endpoint = $"https://127.0.0.1:{EmulatorProcess.FreePort()}",
            Credential = GoogleCredential.FromAccessToken("unused"),
            MaxAttempts = 2,
            InitialBackoff = TimeSpan.FromMilliseconds(10),
        });
        Assert.Equal("firestore:projects/demo-prod/databases/(default)", store.Name);

        var e = await Assert.ThrowsAsync<FirestoreStoreException>(() => store.GetAllAsync([P("c/d")]));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("2 attempt", e.Message);
        Assert.Contains("endpoint", e.Message);
    }

    private static GoogleCredential ServiceAccount(RSA key, string tokenUri) =>
        CredentialFactory.FromJson<ServiceAccountCredential>(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "demo-auth",
            ["private_key_id"] = "kid-1",
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "seeder@demo-auth.iam.gserviceaccount.com",
            ["client_id"] = "1234",
            ["token_uri"] = tokenUri,
        })).ToGoogleCredential();

    private static async Task ServeTokensAsync(HttpListener listener, RSA key, List<JsonElement> assertions, int requests, Func<int, string> token)
    {
        for (var n = 1; n <= requests; n++)
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var form = (await reader.ReadToEndAsync()).Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
            var parts = form["assertion"].Split('.');
            var header = JsonDocument.Parse(Base64Url(parts[0])).RootElement;
            Assert.Equal("RS256", header.GetProperty("alg").GetString());
            Assert.Equal("kid-1", header.GetProperty("kid").GetString());
            Assert.True(
                key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                "the JWT assertion is not signed by the service account's key");
            assertions.Add(JsonDocument.Parse(Base64Url(parts[1])).RootElement.Clone());
            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { access_token = token(n), expires_in = 1, token_type = "Bearer" }));
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private sealed class HeaderRecorder : Interceptor
    {
        public List<Metadata> Seen { get; } = [];

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            lock (Seen) { Seen.Add(context.Options.Headers!); }
            return continuation(request, context);
        }

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
        {
            lock (Seen) { Seen.Add(context.Options.Headers!); }
            return continuation(request, context);
        }
    }
}
