using Google.Apis.Auth.OAuth2;
using Seeding.Firestore.Internal;

namespace Seeding.Firestore.Auth;

/// <summary>
/// Access tokens from a Google credential (Application Default Credentials by default), scoped to Datastore
/// (Firestore's OAuth scope). The credential caches tokens and refreshes them before they expire; a credentials load
/// that fails is tried again on the next call.
/// </summary>
public sealed class GoogleCredentialTokenSource : ITokenSource
{
    /// <summary>The OAuth scope Firestore requires.</summary>
    public const string DatastoreScope = "https://www.googleapis.com/auth/datastore";

    private const string MissingCredentials =
        "Set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, run 'gcloud auth application-default login', " +
        "run on Google Cloud, or set FIRESTORE_EMULATOR_HOST for the emulator.";

    private readonly GoogleTokens _tokens;

    /// <summary>Uses <paramref name="credential"/>, scoped to Datastore when it accepts scopes.</summary>
    public GoogleCredentialTokenSource(GoogleCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _tokens = GoogleTokens.From(credential, DatastoreScope);
    }

    private GoogleCredentialTokenSource(GoogleTokens tokens) => _tokens = tokens;

    /// <summary>
    /// Application Default Credentials, loaded on first use (so creating a store does no I/O): GOOGLE_APPLICATION_CREDENTIALS,
    /// then gcloud's application-default login, then the metadata server on Google Cloud.
    /// </summary>
    public static GoogleCredentialTokenSource ApplicationDefault() => new(GoogleTokens.ApplicationDefault(DatastoreScope, MissingCredentials));

    /// <inheritdoc />
    public Task<string> GetAccessTokenAsync(CancellationToken cancellationToken) => _tokens.GetAsync(cancellationToken);
}
