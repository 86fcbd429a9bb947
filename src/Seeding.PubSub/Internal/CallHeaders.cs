using Grpc.Core;

namespace Seeding.PubSub.Internal;

/// <summary>The metadata Pub/Sub calls carry: the bearer token (production only) and the resource routing header.</summary>
internal static class CallHeaders
{
    /// <summary>Call credentials that ask <paramref name="tokens"/> for a token on every call (so refreshed tokens are used).</summary>
    public static CallCredentials Credentials(AccessTokens tokens) => RoutingHeaders.Bearer(tokens.GetAsync);

    /// <summary>The routing header of a call about <paramref name="resourceName"/>, named by the request's <paramref name="field"/>.</summary>
    public static Metadata Routing(string field, string resourceName) => new Metadata().AddRoute(field, resourceName);
}
