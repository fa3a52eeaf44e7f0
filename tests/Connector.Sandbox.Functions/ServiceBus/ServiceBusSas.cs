using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Sandbox.Functions;

/// <summary>
/// Shared Access Signature tokens as Service Bus defines them (§4.2, service-bus-sas.md):
/// <c>SharedAccessSignature sr={urlencode(resource)}&amp;sig={urlencode(base64(HMACSHA256(key, urlencode(resource) + "\n" + se)))}&amp;se={unix seconds}&amp;skn={keyName}</c>.
/// The key is used as its UTF-8 text, not base64-decoded.
/// </summary>
public static class ServiceBusSas
{
    public const string Scheme = "SharedAccessSignature";

    /// <summary>Builds a token for <paramref name="resourceUri"/> (the namespace, e.g. <c>http://127.0.0.1:5000/</c>, or a queue URI).</summary>
    public static string CreateToken(string resourceUri, string keyName, string key, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(resourceUri);
        ArgumentNullException.ThrowIfNull(keyName);
        ArgumentNullException.ThrowIfNull(key);
        var encodedResource = WebUtility.UrlEncode(resourceUri);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Sign(key, encodedResource + "\n" + expiry);
        return $"{Scheme} sr={encodedResource}&sig={WebUtility.UrlEncode(signature)}&se={expiry}&skn={WebUtility.UrlEncode(keyName)}";
    }

    private static string Sign(string key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>
    /// Checks an Authorization header value for a send to <paramref name="queue"/>; null when valid, else the reason.
    /// Accepted: sr for the namespace or any prefix of the queue URI (<c>{scheme}://{host}:{port}/{queue}/messages</c>),
    /// with scheme http, https or sb and a host of the request or loopback; the right key name and signature; not expired.
    /// </summary>
    internal static string? Validate(string? authorization, string keyName, string key, string queue, string requestHost, int port, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return "MissingToken: the Authorization header is missing.";
        }

        if (!authorization.StartsWith(Scheme + " ", StringComparison.Ordinal))
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? "InvalidToken: Entra (Bearer) tokens cannot be validated by the emulation; use the SAS connection string."
                : "InvalidToken: the Authorization header is not a SharedAccessSignature.";
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in authorization[(Scheme.Length + 1)..].Trim().Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return $"InvalidToken: malformed SAS field '{pair}'.";
            }

            fields[pair[..eq]] = pair[(eq + 1)..];
        }

        if (!fields.TryGetValue("sr", out var rawResource) || !fields.TryGetValue("sig", out var rawSignature)
            || !fields.TryGetValue("se", out var expiry) || !fields.TryGetValue("skn", out var rawKeyName))
        {
            return "InvalidToken: a SAS token needs sr, sig, se and skn.";
        }

        if (!string.Equals(WebUtility.UrlDecode(rawKeyName), keyName, StringComparison.Ordinal))
        {
            return $"InvalidToken: unknown key name '{WebUtility.UrlDecode(rawKeyName)}'.";
        }

        if (!long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var expirySeconds))
        {
            return $"InvalidToken: se '{expiry}' is not Unix seconds.";
        }

        if (DateTimeOffset.FromUnixTimeSeconds(Math.Min(expirySeconds, 253402300799)) <= now)
        {
            return $"ExpiredToken: the token expired at {DateTimeOffset.FromUnixTimeSeconds(Math.Min(expirySeconds, 253402300799)):O}.";
        }

        var resource = WebUtility.UrlDecode(rawResource);
        var expected = WebUtility.UrlDecode(rawSignature);
        // The signed string is urlencode(resource); clients differ in how they encode (upper/lower-case hex, '+' or %20),
        // so the token's own sr text and the common encodings are all tried.
        var candidates = new[] { rawResource, WebUtility.UrlEncode(resource), Uri.EscapeDataString(resource), resource }.Distinct(StringComparer.Ordinal);
        var signatureOk = candidates.Any(candidate => CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(Sign(key, candidate + "\n" + expiry)),
            Encoding.UTF8.GetBytes(expected)));
        if (!signatureOk)
        {
            return "InvalidSignature: the token's signature does not match the key.";
        }

        return ResourceCovers(resource, queue, requestHost, port)
            ? null
            : $"InvalidAudience: the token is for '{resource}', which does not cover queue '{queue}'.";
    }

    private static bool ResourceCovers(string resource, string queue, string requestHost, int port)
    {
        if (!Uri.TryCreate(resource, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https" or "sb" or "amqp" or "amqps"))
        {
            return false;
        }

        var hostOk = string.Equals(uri.Host, requestHost, StringComparison.OrdinalIgnoreCase)
            || uri.IsLoopback
            || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase);
        if (!hostOk || (!uri.IsDefaultPort && uri.Port != port))
        {
            return false;
        }

        var path = Uri.UnescapeDataString(uri.AbsolutePath).TrimEnd('/');
        var target = "/" + queue + "/messages";
        return path.Length == 0
            || (target.StartsWith(path, StringComparison.OrdinalIgnoreCase) && (target.Length == path.Length || target[path.Length] == '/'));
    }
}
