using Grpc.Core;
using Seeding.Firestore.Auth;

namespace Seeding.Firestore.Internal;

/// <summary>The metadata every Firestore call carries: the bearer token and the routing headers naming the database.</summary>
internal static class CallHeaders
{
    /// <summary>Call credentials that ask <paramref name="tokens"/> for a token on every call (so refreshed tokens are used).</summary>
    public static CallCredentials Credentials(ITokenSource tokens) => RoutingHeaders.Bearer(tokens.GetAccessTokenAsync);

    public static Task AddAuthorizationAsync(ITokenSource tokens, Metadata metadata, CancellationToken cancellationToken) =>
        RoutingHeaders.AddBearerAsync(tokens.GetAccessTokenAsync, metadata, cancellationToken);

    /// <summary>
    /// Routing metadata: Firestore (named databases in particular) routes by these; the request-params value is
    /// URL-encoded, as Google's client libraries send it.
    /// </summary>
    public static Metadata Routing(string database) => new Metadata { { "google-cloud-resource-prefix", database } }.AddRoute("database", database);

    /// <summary>
    /// Routing metadata of an Admin API call: the request field that names the resource (<c>parent</c>, <c>name</c>,
    /// <c>field.name</c>) and its value, URL-encoded, as Google's Admin clients send it.
    /// </summary>
    public static Metadata AdminRouting(string parameter, string resource) => new Metadata().AddRoute(parameter, resource);
}
