using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Seeding.PubSub.Internal;
using Seeding.Resources;
using Seeding.TestSupport;

namespace Seeding.PubSub.Tests;

/// <summary>
/// Production's credentials and the headers every call carries. Google's token service cannot be reached from here,
/// so a local endpoint named by a service-account key made in the test stands in for it.
/// </summary>
public sealed class AuthTests
{
    [Fact]
    public async Task Service_account_asks_for_the_pubsub_scope_and_the_token_is_refreshed()
    {
        using var key = RSA.Create(2048);
        var port = EmulatorProcess.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var scopes = new List<string>();
        var server = AnswerTokenRequestsAsync(listener, 2, scopes);
        var credential = CredentialFactory.FromJson<ServiceAccountCredential>(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "demo-auth",
            ["private_key_id"] = "key-1",
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "seeder@demo-auth.iam.gserviceaccount.com",
            ["client_id"] = "42",
            ["token_uri"] = $"http://127.0.0.1:{port}/token",
        })).ToGoogleCredential();
        var tokens = GoogleTokens.From(credential, PubSubAdmin.PubSubScope);

        var first = await tokens.GetAsync(CancellationToken.None);
        var second = await tokens.GetAsync(CancellationToken.None);
        await server;

        // Each token expires at once, so the second call fetched a fresh one.
        Assert.Equal(("token-1", "token-2"), (first, second));
        Assert.Equal([PubSubAdmin.PubSubScope, PubSubAdmin.PubSubScope], scopes);
    }

    [Fact]
    public async Task Every_call_names_its_resource_in_the_routing_header()
    {
        var headers = new HeaderRecorder();
        var project = PubSubEmulator.NewProjectId("routing");
        using var admin = await PubSubEmulator.AdminAsync(project, headers);

        await admin.CreateTopicAsync(new TopicSpec("audit-events"));
        await admin.GetTopicAsync("audit-events");
        await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events"));
        await admin.UpdateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events") { AckDeadline = TimeSpan.FromSeconds(20) }, [PubSubSetting.AckDeadline]);

        var topic = Uri.EscapeDataString($"projects/{project}/topics/audit-events");
        var subscription = Uri.EscapeDataString($"projects/{project}/subscriptions/audit-writer");
        Assert.Equal(
            [("CreateTopic", "name=" + topic), ("GetTopic", "topic=" + topic), ("CreateSubscription", "name=" + subscription), ("UpdateSubscription", "subscription.name=" + subscription)],
            headers.Seen);
    }

    // A token endpoint: checks each request is a signed JWT grant and answers with a token that expires at once.
    private static async Task AnswerTokenRequestsAsync(HttpListener listener, int requests, List<string> scopes)
    {
        for (var n = 1; n <= requests; n++)
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var form = (await reader.ReadToEndAsync()).Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
            var claims = form["assertion"].Split('.')[1].Replace('-', '+').Replace('_', '/');
            var json = Convert.FromBase64String(claims.PadRight(claims.Length + ((4 - (claims.Length % 4)) % 4), '='));
            scopes.Add(JsonDocument.Parse(json).RootElement.GetProperty("scope").GetString()!);
            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { access_token = $"token-{n}", expires_in = 1, token_type = "Bearer" }));
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private sealed class HeaderRecorder : Interceptor
    {
        public ConcurrentQueue<(string Method, string? Routing)> Seen { get; } = new();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            Seen.Enqueue((context.Method.Name, context.Options.Headers?.GetValue("x-goog-request-params")));
            return continuation(request, context);
        }
    }
}
