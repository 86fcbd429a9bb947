using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Seeding.Rehearsal.Tests;

/// <summary>An access token the endpoint handed out: the scopes it was asked for and when it stops being accepted.</summary>
public sealed record IssuedToken(string Value, IReadOnlySet<string> Scopes, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// A local stand-in for Google's OAuth 2.0 token endpoint (<c>token_uri</c> in a service-account key file), for the
/// JWT-bearer grant service accounts use (RFC 7523): it checks the assertion's RS256 signature against the account's
/// public key, its issuer, its audience (<see cref="Audience"/>: Google documents that a service account's assertion always names
/// <c>https://oauth2.googleapis.com/token</c>, whatever address the key file's <c>token_uri</c> sends it to), its lifetime and that it asks
/// for a scope, and hands out an opaque bearer token with a short, configurable lifetime. The proxy accepts only the
/// tokens it issued, and only until they expire.
/// </summary>
public sealed class TokenEndpoint(ServiceAccount account, string address)
{
    private readonly ConcurrentDictionary<string, IssuedToken> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _refusals = new();
    private int _failuresLeft;
    private int _failedOnPurpose;

    /// <summary>The audience a service account's assertion must name (Google's OAuth 2.0 for server to server applications).</summary>
    public const string Audience = "https://oauth2.googleapis.com/token";

    /// <summary>Where the endpoint is reached: the key file's <c>token_uri</c>.</summary>
    public string Address { get; } = address;

    /// <summary>How long the tokens handed out from now on are accepted (and the <c>expires_in</c> they are sent with).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every token handed out, in order.</summary>
    public IReadOnlyList<IssuedToken> Issued => _issued.Values.OrderBy(t => t.IssuedAt).ToList();

    /// <summary>Why requests were refused (bad assertions); the rehearsal expects none.</summary>
    public IReadOnlyCollection<string> Refusals => _refusals;

    /// <summary>How many token requests were answered with a server error on purpose.</summary>
    public int FailedOnPurpose => Volatile.Read(ref _failedOnPurpose);

    /// <summary>Answers the next <paramref name="count"/> token requests with HTTP 500, as an outage of the token service would.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    /// <summary>The token, when this endpoint issued it.</summary>
    public IssuedToken? Find(string token) => _issued.TryGetValue(token, out var issued) ? issued : null;

    /// <summary>Handles <c>POST /token</c>.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Interlocked.Increment(ref _failedOnPurpose);
            await ErrorAsync(context, StatusCodes.Status500InternalServerError, "internal_failure", "The rehearsal's token endpoint fails this request on purpose.");
            return;
        }

        Interlocked.Exchange(ref _failuresLeft, 0);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        IReadOnlySet<string> scopes = new HashSet<string>();
        var problem = form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer"
            ? $"grant_type is '{form["grant_type"]}', not the JWT bearer grant"
            : Check(form["assertion"].ToString(), out scopes);
        if (problem is not null)
        {
            _refusals.Enqueue(problem);
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_grant", problem);
            return;
        }

        await IssueAsync(scopes, context);
    }

    private async Task IssueAsync(IReadOnlySet<string> scopes, HttpContext context)
    {
        var now = DateTimeOffset.UtcNow;
        var lifetime = TokenLifetime;
        var token = new IssuedToken("ya29.rehearsal-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), scopes, now, now + lifetime);
        _issued[token.Value] = token;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["access_token"] = token.Value,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)lifetime.TotalSeconds,
        }));
    }

    // Null when the assertion is a valid RS256 JWT of the account, for this endpoint, asking for scopes.
    private string? Check(string assertion, out IReadOnlySet<string> scopes)
    {
        scopes = new HashSet<string>();
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return "the assertion is not a JWT (three dot-separated parts)";
        }

        using var header = JsonDocument.Parse(Base64Url(parts[0]));
        using var claims = JsonDocument.Parse(Base64Url(parts[1]));
        if (header.RootElement.GetProperty("alg").GetString() != "RS256")
        {
            return $"the assertion's alg is {header.RootElement.GetProperty("alg")}, not RS256";
        }

        if (header.RootElement.TryGetProperty("kid", out var kid) && kid.GetString() != account.KeyId)
        {
            return $"the assertion's kid {kid} is not the key's id";
        }

        if (!account.Key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return "the assertion's RS256 signature does not verify with the service account's public key";
        }

        var root = claims.RootElement;
        string? Claim(string name) => root.TryGetProperty(name, out var value) ? value.ToString() : null;
        if (Claim("iss") != account.Email)
        {
            return $"the assertion's iss is '{Claim("iss")}', not {account.Email}";
        }

        if (Claim("aud") != Audience)
        {
            return $"the assertion's aud is '{Claim("aud")}', not {Audience}";
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!long.TryParse(Claim("iat"), out var iat) || !long.TryParse(Claim("exp"), out var exp) || iat > now + 60 || exp < now || exp - iat > 3600)
        {
            return $"the assertion's iat/exp ({Claim("iat")}/{Claim("exp")}) are not a lifetime of at most an hour around now ({now})";
        }

        scopes = (Claim("scope") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return scopes.Count == 0 ? "the assertion asks for no scope" : null;
    }

    private static byte[] Base64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private static Task ErrorAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }));
    }
}
