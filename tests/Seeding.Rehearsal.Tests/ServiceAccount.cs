using System.Security.Cryptography;
using System.Text.Json;

namespace Seeding.Rehearsal.Tests;

/// <summary>
/// A service account made for the rehearsal: an RSA key, and the key file Google issues for it (the format
/// Application Default Credentials read from <c>GOOGLE_APPLICATION_CREDENTIALS</c>), whose <c>token_uri</c> names the
/// local token endpoint instead of Google's.
/// </summary>
public sealed class ServiceAccount : IDisposable
{
    private ServiceAccount(RSA key, string email, string keyId, string keyFilePath)
    {
        Key = key;
        Email = email;
        KeyId = keyId;
        KeyFilePath = keyFilePath;
    }

    /// <summary>The account's key; the token endpoint checks assertions against its public half.</summary>
    public RSA Key { get; }

    /// <summary>The account's e-mail, the assertion's issuer.</summary>
    public string Email { get; }

    /// <summary>The key's id, the assertion header's <c>kid</c>.</summary>
    public string KeyId { get; }

    /// <summary>The JSON key file.</summary>
    public string KeyFilePath { get; }

    /// <summary>Creates the account and writes its key file under <paramref name="directory"/>.</summary>
    public static ServiceAccount Create(string directory, string projectId, string tokenUri)
    {
        var key = RSA.Create(2048);
        var email = $"seeding-rehearsal@{projectId}.iam.gserviceaccount.com";
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var path = Path.Combine(directory, "service-account.json");
        var json = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = projectId,
            ["private_key_id"] = keyId,
            ["private_key"] = key.ExportPkcs8PrivateKeyPem() + "\n",
            ["client_email"] = email,
            ["client_id"] = "100000000000000000001",
            ["token_uri"] = tokenUri,
        });
        File.WriteAllText(path, json);
        return new ServiceAccount(key, email, keyId, path);
    }

    /// <inheritdoc />
    public void Dispose() => Key.Dispose();
}
