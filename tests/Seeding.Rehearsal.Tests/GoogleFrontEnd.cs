using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Seeding.Rehearsal.Tests;

/// <summary>One gRPC call as the proxy saw it: what it decided and why, and the token it carried.</summary>
public sealed record ProxiedCall(DateTimeOffset At, TimeSpan Took, string Method, bool Tls, string? Token, string? RequestParams, string Outcome)
{
    /// <summary>True when the call was passed on to its backend.</summary>
    public bool Forwarded => Outcome.StartsWith("forwarded", StringComparison.Ordinal);
}

/// <summary>
/// The stand-in for Google's front end: a gRPC-level reverse proxy. A call is refused with the status Google answers
/// (UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT) unless it came over TLS, carries <c>authorization: Bearer</c>
/// with a token <see cref="TokenEndpoint"/> issued, not expired, for the API's scope, and carries the routing header
/// <c>x-goog-request-params</c> naming a resource under <c>projects/</c>. The rest is forwarded as raw HTTP/2 (headers,
/// the message stream and the trailers) to the backend of its service: the Firestore emulator (with the emulator's
/// <c>owner</c> token in place of the checked one), the fake Admin API, or the Pub/Sub emulator.
/// </summary>
public sealed class GoogleFrontEnd(TokenEndpoint tokens, string firestore, string firestoreAdmin, string pubSub) : IDisposable
{
    private const string DatastoreScope = "https://www.googleapis.com/auth/datastore";
    private const string PubSubScope = "https://www.googleapis.com/auth/pubsub";
    private const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly HttpClient _backends = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
    private readonly ConcurrentQueue<ProxiedCall> _calls = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _holds = new(StringComparer.Ordinal);

    /// <summary>Every call, in arrival order (<see cref="ProxiedCall.At"/>).</summary>
    public IReadOnlyList<ProxiedCall> Calls => _calls.OrderBy(c => c.At).ToArray();

    /// <summary>Holds the next call of <paramref name="method"/> (e.g. <c>CreateTopic</c>) this long before forwarding it: a slow backend.</summary>
    public void HoldNext(string method, TimeSpan delay) => _holds[method] = delay;

    /// <summary>Handles one request of the proxy's listeners.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var arrived = DateTimeOffset.UtcNow;
        var path = context.Request.Path.Value ?? string.Empty;
        var method = path[(path.LastIndexOf('/') + 1)..];
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        var route = context.Request.Headers["x-goog-request-params"].ToString();
        var (backend, scope) = path switch
        {
            _ when path.StartsWith("/google.firestore.v1.Firestore/", StringComparison.Ordinal) => (firestore, DatastoreScope),
            _ when path.StartsWith("/google.firestore.admin.v1.FirestoreAdmin/", StringComparison.Ordinal) => (firestoreAdmin, DatastoreScope),
            _ when path.StartsWith("/google.longrunning.Operations/", StringComparison.Ordinal) => (firestoreAdmin, DatastoreScope),
            _ when path.StartsWith("/google.pubsub.v1.", StringComparison.Ordinal) => (pubSub, PubSubScope),
            _ => ((string?)null, (string?)null),
        };

        var issued = token is null ? null : tokens.Find(token);
        (int Code, string Message) refusal = (backend, context.Request.IsHttps, token, issued, route) switch
        {
            (null, _, _, _, _) => (12, $"{path} is no API this front end serves"),
            (_, false, _, _, _) => (16, "plaintext is refused: Google's APIs are served over TLS only"),
            (_, _, null, _, _) => (16, "the call carries no authorization: Bearer token"),
            (_, _, _, null, _) => (16, "the bearer token was not issued by the token endpoint"),
            _ when issued!.ExpiresAt <= DateTimeOffset.UtcNow => (16, $"the bearer token expired at {issued.ExpiresAt:HH:mm:ss.fff}"),
            _ when !issued!.Scopes.Contains(scope!) && !issued.Scopes.Contains(CloudPlatformScope) =>
                (7, $"the token's scopes ({string.Join(' ', issued.Scopes)}) do not include {scope}"),
            _ when !route.Contains("=projects%2F", StringComparison.Ordinal) =>
                (3, $"the routing header x-goog-request-params is '{route}', which names no resource under projects/"),
            _ => (0, string.Empty),
        };

        if (refusal.Code != 0)
        {
            Record(arrived, method, context, token, route, $"refused {refusal.Code}: {refusal.Message}");
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = refusal.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(refusal.Message);
            return;
        }

        if (_holds.TryRemove(method, out var hold))
        {
            await Task.Delay(hold, context.RequestAborted);
        }

        var status = await ForwardAsync(context, backend!, path, emulatorToken: backend == firestore ? "owner" : null);
        Record(arrived, method, context, token, route, $"forwarded, grpc-status {status}");
    }

    private void Record(DateTimeOffset arrived, string method, HttpContext context, string? token, string route, string outcome) =>
        _calls.Enqueue(new ProxiedCall(arrived, DateTimeOffset.UtcNow - arrived, method, context.Request.IsHttps, token, route, outcome));

    // Raw HTTP/2 forwarding: request headers and body as they came, then the response's headers, body and trailers.
    private async Task<string> ForwardAsync(HttpContext context, string backend, string path, string? emulatorToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, backend + path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StreamContent(context.Request.Body),
        };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.StartsWith(':') || name is "host" or "Host" or "content-length" or "Content-Length")
            {
                continue;
            }

            var forwarded = name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
                ? emulatorToken is null ? null : "Bearer " + emulatorToken
                : values.ToString();
            if (forwarded is null)
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, forwarded))
            {
                request.Content.Headers.TryAddWithoutValidation(name, forwarded);
            }
        }

        using var response = await _backends.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is not ("Transfer-Encoding" or "Content-Length" or "Connection"))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        foreach (var (name, values) in response.TrailingHeaders)
        {
            context.Response.AppendTrailer(name, values.ToArray());
        }

        return response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.First()
            : response.Headers.TryGetValues("grpc-status", out var header) ? header.First()
            : "(none)";
    }

    /// <inheritdoc />
    public void Dispose() => _backends.Dispose();
}
