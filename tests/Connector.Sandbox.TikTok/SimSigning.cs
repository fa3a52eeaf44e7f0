using System.Security.Cryptography;
using System.Text;

namespace Connector.Sandbox.TikTok;

/// <summary>Server-side signature checks: the Open API request sign (§2.1/§2.2) and the webhook signature (§7.1).</summary>
internal static class SimSigning
{
    /// <summary>
    /// §2.1: app_secret + path + sorted(key+value, ordinal, decoded values, without sign and access_token)
    /// + exact body bytes (unless multipart) + app_secret, HMAC-SHA256 keyed with app_secret, lowercase hex.
    /// </summary>
    public static string ApiSign(string appSecret, string path, IEnumerable<KeyValuePair<string, string>> query, ReadOnlySpan<byte> body, string? contentType)
    {
        var sb = new StringBuilder(appSecret).Append(path);
        foreach (var kv in query.Where(q => q.Key is not "sign" and not "access_token").OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            sb.Append(kv.Key).Append(kv.Value);
        }

        var head = Encoding.UTF8.GetBytes(sb.ToString());
        var tail = Encoding.UTF8.GetBytes(appSecret);
        var signBody = !IsMultipart(contentType);
        var message = new byte[head.Length + (signBody ? body.Length : 0) + tail.Length];
        head.CopyTo(message, 0);
        if (signBody)
        {
            body.CopyTo(message.AsSpan(head.Length));
        }

        tail.CopyTo(message, message.Length - tail.Length);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), message));
    }

    /// <summary>§7.1: lowercase hex HMAC-SHA256(key = app_secret, message = app_key + raw body).</summary>
    public static string WebhookSign(string appKey, string appSecret, ReadOnlySpan<byte> body)
    {
        var key = Encoding.UTF8.GetBytes(appKey);
        var message = new byte[key.Length + body.Length];
        key.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(key.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), message));
    }

    /// <summary>Constant-time comparison of two hex strings (case-sensitive: uppercase hex is a wrong sign, §2.2).</summary>
    public static bool FixedTimeEquals(string expected, string? actual) =>
        actual is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));

    public static bool IsMultipart(string? contentType) =>
        contentType is not null &&
        contentType.Split(';')[0].Trim().Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
}
