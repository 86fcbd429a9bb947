using Google.Apis.Auth.OAuth2;

// Part of the Google transport (see GoogleFaults.cs).
#if SEEDING_FIRESTORE
namespace Seeding.Firestore.Internal;
#elif SEEDING_PUBSUB
namespace Seeding.PubSub.Internal;
#endif

/// <summary>
/// OAuth access tokens from a Google credential, scoped to one API: the one token source of every Google client. The
/// credential (Application Default Credentials unless one is given) is loaded on the first call, so creating a client
/// does no I/O. A load that fails is not remembered: the next call loads again, so a credentials file that appears, or a
/// metadata server that answers, later is picked up. The credential caches and refreshes tokens, and a failed refresh
/// is tried again on the next call.
/// </summary>
internal sealed class GoogleTokens
{
    private readonly Func<CancellationToken, Task<GoogleCredential>> _load;
    private readonly string _scope;
    private readonly string _missingCredentials;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile ITokenAccess? _access;

    /// <param name="load">Loads the credential (a test seam; <see cref="ApplicationDefault"/> and <see cref="From"/> in the product).</param>
    /// <param name="scope">The OAuth scope of the API.</param>
    /// <param name="missingCredentials">What to do when no credentials are found, e.g. which emulator variable to set instead.</param>
    public GoogleTokens(Func<CancellationToken, Task<GoogleCredential>> load, string scope, string missingCredentials)
    {
        _load = load;
        _scope = scope;
        _missingCredentials = missingCredentials;
    }

    /// <summary>Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS, gcloud's application-default login, the metadata server.</summary>
    public static GoogleTokens ApplicationDefault(string scope, string missingCredentials) =>
        new(GoogleCredential.GetApplicationDefaultAsync, scope, missingCredentials);

    /// <summary>A given credential, scoped when it accepts scopes.</summary>
    public static GoogleTokens From(GoogleCredential credential, string scope) =>
        new(_ => Task.FromResult(credential), scope, string.Empty);

    /// <summary>A currently valid access token.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        var access = _access ?? await LoadAsync(cancellationToken).ConfigureAwait(false);
        return await access.GetAccessTokenForRequestAsync(null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ITokenAccess> LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_access is { } loaded)
            {
                return loaded;
            }

            GoogleCredential credential;
            try
            {
                credential = await _load(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"No Google credentials found ({e.Message}). {_missingCredentials}", e);
            }

            // Kept only once loaded: a failed load leaves nothing behind, and the next call tries again.
            return _access = credential.IsCreateScopedRequired ? credential.CreateScoped(_scope) : credential;
        }
        finally
        {
            _gate.Release();
        }
    }
}
