using Google.Apis.Auth.OAuth2;
using Grpc.Core;

namespace Seeding.PubSub.Internal;

/// <summary>The metadata Pub/Sub calls carry: the bearer token (production only) and the resource routing header.</summary>
internal static class CallHeaders
{
    /// <summary>The OAuth scope Pub/Sub accepts.</summary>
    public const string PubSubScope = "https://www.googleapis.com/auth/pubsub";

    /// <summary>
    /// Call credentials that ask the credential for a token on every call (it caches and refreshes them). Without a
    /// credential, Application Default Credentials are loaded on the first call, so creating a client does no I/O.
    /// </summary>
    public static CallCredentials Credentials(GoogleCredential? credential)
    {
        var access = new Lazy<Task<ITokenAccess>>(async () => Scoped(credential ?? await LoadDefaultAsync().ConfigureAwait(false)));
        return CallCredentials.FromInterceptor(async (context, metadata) =>
        {
            var tokens = await access.Value.ConfigureAwait(false);
            var token = await tokens.GetAccessTokenForRequestAsync(null, context.CancellationToken).ConfigureAwait(false);
            metadata.Add("authorization", "Bearer " + token);
        });
    }

    /// <summary>
    /// The routing header Google's client libraries send: the request's resource, URL-encoded, e.g.
    /// <c>topic=projects%2Fp%2Ftopics%2Fx</c>.
    /// </summary>
    public static Metadata Routing(string field, string resourceName) => new()
    {
        { "x-goog-request-params", field + "=" + Uri.EscapeDataString(resourceName) },
    };

    private static ITokenAccess Scoped(GoogleCredential credential) =>
        credential.IsCreateScopedRequired ? credential.CreateScoped(PubSubScope) : credential;

    private static async Task<GoogleCredential> LoadDefaultAsync()
    {
        try
        {
            return await GoogleCredential.GetApplicationDefaultAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(
                "No Google credentials found for Pub/Sub. Set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, run " +
                "'gcloud auth application-default login', run on Google Cloud, or set PUBSUB_EMULATOR_HOST for the emulator.", e);
        }
    }
}
