using Grpc.Core;
using Seeding.Firestore.Auth;

namespace Seeding.Firestore.Internal;

/// <summary>The metadata every Firestore call carries: the bearer token and the routing headers naming the database.</summary>
internal static class CallHeaders
{
    /// <summary>Call credentials that ask <paramref name="tokens"/> for a token on every call (so refreshed tokens are used).</summary>
    public static CallCredentials Credentials(ITokenSource tokens) =>
        CallCredentials.FromInterceptor((context, metadata) => AddAuthorizationAsync(tokens, metadata, context.CancellationToken));

    public static async Task AddAuthorizationAsync(ITokenSource tokens, Metadata metadata, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        metadata.Add("authorization", "Bearer " + token);
    }

    /// <summary>
    /// Routing metadata: Firestore (named databases in particular) routes by these; the request-params value is
    /// URL-encoded, as Google's client libraries send it.
    /// </summary>
    public static Metadata Routing(string database) => new()
    {
        { "google-cloud-resource-prefix", database },
        { "x-goog-request-params", "database=" + Uri.EscapeDataString(database) },
    };

    /// <summary>
    /// Routing metadata of an Admin API call: the request field that names the resource (<c>parent</c>, <c>name</c>,
    /// <c>field.name</c>) and its value, URL-encoded, as Google's Admin clients send it.
    /// </summary>
    public static Metadata AdminRouting(string parameter, string resource) => new()
    {
        { "x-goog-request-params", parameter + "=" + Uri.EscapeDataString(resource) },
    };
}
