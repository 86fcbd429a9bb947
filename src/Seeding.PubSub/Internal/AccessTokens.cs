using Google.Apis.Auth.OAuth2;

namespace Seeding.PubSub.Internal;

/// <summary>
/// OAuth access tokens for production calls, scoped to Pub/Sub. Without a credential, Application Default Credentials
/// are loaded on the first call (so creating a client does no I/O); the credential caches and refreshes tokens.
/// </summary>
internal sealed class AccessTokens(GoogleCredential? credential)
{
    /// <summary>The OAuth scope Pub/Sub accepts.</summary>
    public const string PubSubScope = "https://www.googleapis.com/auth/pubsub";

    private readonly Lazy<Task<ITokenAccess>> _access = new(async () => Scoped(credential ?? await LoadDefaultAsync().ConfigureAwait(false)));

    /// <summary>A currently valid access token.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        var access = await _access.Value.ConfigureAwait(false);
        return await access.GetAccessTokenForRequestAsync(null, cancellationToken).ConfigureAwait(false);
    }

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
