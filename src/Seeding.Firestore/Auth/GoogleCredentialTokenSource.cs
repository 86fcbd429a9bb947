using Google.Apis.Auth.OAuth2;

namespace Seeding.Firestore.Auth;

/// <summary>
/// Access tokens from a Google credential (Application Default Credentials by default), scoped to Datastore
/// (Firestore's OAuth scope). The credential caches tokens and refreshes them before they expire.
/// </summary>
public sealed class GoogleCredentialTokenSource : ITokenSource
{
    /// <summary>The OAuth scope Firestore requires.</summary>
    public const string DatastoreScope = "https://www.googleapis.com/auth/datastore";

    private readonly Func<CancellationToken, Task<GoogleCredential>> _load;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ITokenAccess? _access;

    /// <summary>Uses <paramref name="credential"/>, scoped to Datastore when it accepts scopes.</summary>
    public GoogleCredentialTokenSource(GoogleCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _load = _ => Task.FromResult(credential);
    }

    private GoogleCredentialTokenSource(Func<CancellationToken, Task<GoogleCredential>> load) => _load = load;

    /// <summary>
    /// Application Default Credentials, loaded on first use (so creating a store does no I/O): GOOGLE_APPLICATION_CREDENTIALS,
    /// then gcloud's application-default login, then the metadata server on Google Cloud.
    /// </summary>
    public static GoogleCredentialTokenSource ApplicationDefault() => new(GoogleCredential.GetApplicationDefaultAsync);

    /// <inheritdoc />
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var access = _access ?? await LoadAsync(cancellationToken).ConfigureAwait(false);
        return await access.GetAccessTokenForRequestAsync(null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ITokenAccess> LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_access is null)
            {
                GoogleCredential credential;
                try
                {
                    credential = await _load(cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException e)
                {
                    throw new InvalidOperationException(
                        "No Google credentials found for Firestore. Set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, " +
                        "run 'gcloud auth application-default login', run on Google Cloud, or set FIRESTORE_EMULATOR_HOST for the emulator.", e);
                }

                _access = credential.IsCreateScopedRequired ? credential.CreateScoped(DatastoreScope) : credential;
            }

            return _access;
        }
        finally
        {
            _gate.Release();
        }
    }
}
