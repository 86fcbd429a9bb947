namespace Seeding.Firestore.Auth;

/// <summary>
/// Supplies the OAuth access token sent as <c>authorization: Bearer …</c> on every call. Asked once per call,
/// so an implementation that caches and refreshes (as Google's credentials do) keeps long runs authenticated.
/// </summary>
public interface ITokenSource
{
    /// <summary>Returns a currently valid access token.</summary>
    Task<string> GetAccessTokenAsync(CancellationToken cancellationToken);
}

/// <summary>A fixed token, such as the emulator's <c>owner</c>, which bypasses security rules.</summary>
/// <param name="token">The token.</param>
public sealed class StaticTokenSource(string token) : ITokenSource
{
    /// <summary>The Firestore emulator's administrator token.</summary>
    public static StaticTokenSource EmulatorOwner { get; } = new("owner");

    /// <inheritdoc />
    public Task<string> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult(token);
}
