using System.Security.Cryptography;
using System.Text;

namespace Seeding.Generators.Shared;

/// <summary>The checksum form history records: <c>sha256:</c> and 64 lower-case hex digits.</summary>
internal static class Sha256Hex
{
    public static string Of(string text)
    {
        using var sha = SHA256.Create();
        return Format(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>A SHA-256 hash in this form.</summary>
    public static string Format(byte[] hash)
    {
        var hex = new StringBuilder("sha256:", 7 + (hash.Length * 2));
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
