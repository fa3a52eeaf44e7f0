using System.Security.Cryptography;
using System.Text;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>
/// The test project's own implementation of the two TikTok signatures, written independently of the simulator so the
/// simulator is checked against the reference (§2.3 and §7.4 vectors), not against itself.
/// </summary>
internal static class TestSigner
{
    /// <summary>§2.1: HMAC-SHA256(secret, secret + path + Σ sorted(key + decodedValue) + body + secret), lowercase hex.</summary>
    public static string Sign(string appSecret, string path, IEnumerable<KeyValuePair<string, string>> query, byte[]? body, string? contentType = "application/json")
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(appSecret));
        void Append(string text) => hmac.AppendData(Encoding.UTF8.GetBytes(text));

        Append(appSecret);
        Append(path);
        var sorted = query
            .Where(kv => !string.Equals(kv.Key, "sign", StringComparison.Ordinal) && !string.Equals(kv.Key, "access_token", StringComparison.Ordinal))
            .ToList();
        sorted.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var kv in sorted)
        {
            Append(kv.Key);
            Append(kv.Value);
        }

        var multipart = contentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        if (!multipart && body is { Length: > 0 })
        {
            hmac.AppendData(body);
        }

        Append(appSecret);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    public static string Sign(string appSecret, string path, IEnumerable<KeyValuePair<string, string>> query, string? body) =>
        Sign(appSecret, path, query, body is null ? null : Encoding.UTF8.GetBytes(body));

    /// <summary>§7.1: HMAC-SHA256(key = app_secret, message = app_key + raw body), lowercase hex.</summary>
    public static string WebhookSign(string appKey, string appSecret, string rawBody)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(appSecret));
        return Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(appKey + rawBody)));
    }
}
