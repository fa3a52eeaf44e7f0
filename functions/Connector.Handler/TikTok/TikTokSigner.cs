using System.Security.Cryptography;
using System.Text;

namespace Connector.TikTok;

/// <summary>
/// TikTok Shop request signing (reference/tiktok-shop-api.md §2.1–2.2): the decoded query parameters except
/// <c>sign</c> and <c>access_token</c>, sorted ordinally and concatenated as key+value, prefixed with the path,
/// followed by the exact body bytes (unless multipart), wrapped in the app secret; lowercase hex HMAC-SHA256.
/// </summary>
public static class TikTokSigner
{
    public static string Sign(string appSecret, string path, IEnumerable<KeyValuePair<string, string>> query, ReadOnlySpan<byte> body, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(appSecret);
        ArgumentNullException.ThrowIfNull(query);
        var head = new StringBuilder(appSecret).Append(path);
        foreach (var (key, value) in query
                     .Where(q => q.Key is not ("sign" or "access_token"))
                     .OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            head.Append(key).Append(value);
        }

        var isMultipart = contentType is not null
            && contentType.Split(';')[0].Trim().Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        var tailBytes = Encoding.UTF8.GetBytes(appSecret);
        var message = new byte[headBytes.Length + (isMultipart ? 0 : body.Length) + tailBytes.Length];
        headBytes.CopyTo(message, 0);
        if (!isMultipart)
        {
            body.CopyTo(message.AsSpan(headBytes.Length));
        }

        tailBytes.CopyTo(message, message.Length - tailBytes.Length);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), message));
    }

    /// <summary>Webhook signature (§7.1): lowercase hex HMAC-SHA256(key = app secret, message = app key + raw body).</summary>
    public static string SignWebhook(string appKey, string appSecret, ReadOnlySpan<byte> rawBody)
    {
        ArgumentNullException.ThrowIfNull(appKey);
        ArgumentNullException.ThrowIfNull(appSecret);
        var keyBytes = Encoding.UTF8.GetBytes(appKey);
        var message = new byte[keyBytes.Length + rawBody.Length];
        keyBytes.CopyTo(message, 0);
        rawBody.CopyTo(message.AsSpan(keyBytes.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), message));
    }

    /// <summary>Constant-time comparison of a received webhook signature with the expected one.</summary>
    public static bool WebhookSignatureMatches(string appKey, string appSecret, ReadOnlySpan<byte> rawBody, string? received)
    {
        if (string.IsNullOrEmpty(received))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(SignWebhook(appKey, appSecret, rawBody));
        var actual = Encoding.ASCII.GetBytes(received.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
