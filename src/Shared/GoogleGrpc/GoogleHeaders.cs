using Grpc.Core;

// Part of the Google transport (see GoogleFaults.cs).
#if SEEDING_FIRESTORE
namespace Seeding.Firestore.Internal;
#elif SEEDING_PUBSUB
namespace Seeding.PubSub.Internal;
#endif

/// <summary>The metadata every Google API call carries: a bearer token and the routing header.</summary>
internal static class GoogleHeaders
{
    /// <summary>The header Google's front ends route by.</summary>
    public const string RequestParams = "x-goog-request-params";

    /// <summary>
    /// Call credentials that ask <paramref name="token"/> for a token on every call (so a refreshed token is used), and
    /// send it as <c>authorization: Bearer …</c>.
    /// </summary>
    public static CallCredentials Bearer(Func<CancellationToken, Task<string>> token) =>
        CallCredentials.FromInterceptor((context, metadata) => AddBearerAsync(token, metadata, context.CancellationToken));

    /// <summary>
    /// Adds <c>authorization: Bearer …</c> with a token asked for now. A token that cannot be had (the token endpoint
    /// fails, the key is refused) fails the call as UNAUTHENTICATED saying so, instead of gRPC's INTERNAL "Error starting
    /// gRPC call"; the next call asks again (found by the production rehearsal, tests/Seeding.Rehearsal.Tests).
    /// </summary>
    public static async Task AddBearerAsync(Func<CancellationToken, Task<string>> token, Metadata metadata, CancellationToken cancellationToken)
    {
        string accessToken;
        try
        {
            accessToken = await token(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The innermost cause says what is wrong (e.g. an untrusted certificate behind "The SSL connection could not be established").
            var cause = e.GetBaseException() is { } inner && inner != e ? $"{e.Message} ({inner.Message})" : e.Message;
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"no access token could be obtained from the Google credentials: {cause}", e));
        }

        metadata.Add("authorization", "Bearer " + accessToken);
    }

    /// <summary>
    /// The routing header Google's client libraries send: the request field that names the resource and its value,
    /// URL-encoded, e.g. <c>topic=projects%2Fp%2Ftopics%2Fx</c>.
    /// </summary>
    public static Metadata Route(string field, string resourceName) => new Metadata().AddRoute(field, resourceName);

    /// <summary>Adds the routing header (see <see cref="Route"/>).</summary>
    public static Metadata AddRoute(this Metadata metadata, string field, string resourceName)
    {
        metadata.Add(RequestParams, field + "=" + Uri.EscapeDataString(resourceName));
        return metadata;
    }
}
