using Grpc.Core;

// Compiled into each Google client as an internal type of its Internal namespace (see TransientCodes.cs).
#if SEEDING_FIRESTORE
namespace Seeding.Firestore.Internal;
#elif SEEDING_PUBSUB
namespace Seeding.PubSub.Internal;
#endif

/// <summary>The metadata every Google API call carries: a bearer token (production) and the routing header.</summary>
internal static class RoutingHeaders
{
    /// <summary>The header Google's front ends route by.</summary>
    public const string RequestParams = "x-goog-request-params";

    /// <summary>
    /// Call credentials that ask <paramref name="token"/> for a token on every call (so a refreshed token is used), and
    /// send it as <c>authorization: Bearer …</c>.
    /// </summary>
    public static CallCredentials Bearer(Func<CancellationToken, Task<string>> token) =>
        CallCredentials.FromInterceptor((context, metadata) => AddBearerAsync(token, metadata, context.CancellationToken));

    /// <summary>Adds <c>authorization: Bearer …</c> with a token asked for now.</summary>
    public static async Task AddBearerAsync(Func<CancellationToken, Task<string>> token, Metadata metadata, CancellationToken cancellationToken)
    {
        metadata.Add("authorization", "Bearer " + await token(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Adds the routing header Google's client libraries send: the request field that names the resource and its
    /// value, URL-encoded, e.g. <c>topic=projects%2Fp%2Ftopics%2Fx</c>.
    /// </summary>
    public static Metadata AddRoute(this Metadata metadata, string field, string resourceName)
    {
        metadata.Add(RequestParams, field + "=" + Uri.EscapeDataString(resourceName));
        return metadata;
    }
}
