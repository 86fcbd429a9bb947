using Grpc.Core;

namespace Seeding.PubSub.Internal;

/// <summary>The metadata Pub/Sub calls carry: the bearer token (production only) and the resource routing header.</summary>
internal static class CallHeaders
{
    /// <summary>Call credentials that ask <paramref name="tokens"/> for a token on every call (so refreshed tokens are used).</summary>
    public static CallCredentials Credentials(AccessTokens tokens) =>
        CallCredentials.FromInterceptor(async (context, metadata) =>
            metadata.Add("authorization", "Bearer " + await tokens.GetAsync(context.CancellationToken).ConfigureAwait(false)));

    /// <summary>
    /// The routing header Google's client libraries send: the request's resource, URL-encoded, e.g.
    /// <c>topic=projects%2Fp%2Ftopics%2Fx</c>.
    /// </summary>
    public static Metadata Routing(string field, string resourceName) => new()
    {
        { "x-goog-request-params", field + "=" + Uri.EscapeDataString(resourceName) },
    };
}
