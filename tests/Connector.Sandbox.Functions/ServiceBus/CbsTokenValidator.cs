using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Sandbox.Functions;

/// <summary>
/// Checks the SAS tokens a client puts on <c>$cbs</c> (azure-service-bus-amqp.md §3.4):
/// <c>SharedAccessSignature sr={urlencode(resource)}&amp;sig={base64(HMACSHA256(key as UTF-8, urlencode(resource) + "\n" + se))}&amp;se={unix seconds}&amp;skn={keyName}</c>.
/// The SDK signs <c>amqps://HOST/</c> (scheme amqps, no port, even on plain AMQP) while the audience is <c>amqp://HOST/orders</c>,
/// so resource and audience are compared by host and path only; the resource must be the namespace or a path prefix of the audience.
/// </summary>
internal sealed class CbsTokenValidator(string keyName, string key)
{
    public const string Scheme = "SharedAccessSignature";

    /// <summary>The token's expiry when it grants <paramref name="audience"/> at <paramref name="now"/>; otherwise the reason it does not.</summary>
    public CbsTokenCheck Validate(string? token, string audience, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return CbsTokenCheck.Refused("InvalidToken: the put-token request carries no token.");
        }

        if (!token.StartsWith(Scheme + " ", StringComparison.Ordinal))
        {
            return CbsTokenCheck.Refused("InvalidToken: the token is not a SharedAccessSignature.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in token[(Scheme.Length + 1)..].Trim().Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return CbsTokenCheck.Refused($"InvalidToken: malformed SAS field '{pair}'.");
            }

            fields[pair[..eq]] = pair[(eq + 1)..];
        }

        if (!fields.TryGetValue("sr", out var rawResource) || !fields.TryGetValue("sig", out var rawSignature)
            || !fields.TryGetValue("se", out var expiry) || !fields.TryGetValue("skn", out var rawKeyName))
        {
            return CbsTokenCheck.Refused("InvalidToken: a SAS token needs sr, sig, se and skn.");
        }

        if (!string.Equals(WebUtility.UrlDecode(rawKeyName), keyName, StringComparison.Ordinal))
        {
            return CbsTokenCheck.Refused($"InvalidSignature: unknown key name '{WebUtility.UrlDecode(rawKeyName)}'.");
        }

        if (!long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var expirySeconds))
        {
            return CbsTokenCheck.Refused($"InvalidToken: se '{expiry}' is not Unix seconds.");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Min(expirySeconds, 253402300799));
        if (expiresAt <= now)
        {
            return CbsTokenCheck.Refused($"ExpiredToken: the token expired at {expiresAt:O}.");
        }

        var resource = WebUtility.UrlDecode(rawResource);
        var expected = WebUtility.UrlDecode(rawSignature);
        // The signed string is urlencode(resource); encoders differ (upper/lower-case hex, '+' or %20), so the token's own sr text
        // and the common encodings are all tried.
        var candidates = new[] { rawResource, WebUtility.UrlEncode(resource), Uri.EscapeDataString(resource) }.Distinct(StringComparer.Ordinal);
        var signatureOk = candidates.Any(candidate => CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(Sign(candidate + "\n" + expiry)),
            Encoding.UTF8.GetBytes(expected)));
        if (!signatureOk)
        {
            return CbsTokenCheck.Refused("InvalidSignature: the token's signature does not match the key.");
        }

        if (!TryParse(audience, out var audienceHost, out var audiencePath))
        {
            return CbsTokenCheck.Refused($"InvalidAudience: the audience '{audience}' is not an absolute URI.");
        }

        if (!TryParse(resource, out var resourceHost, out var resourcePath)
            || !string.Equals(resourceHost, audienceHost, StringComparison.OrdinalIgnoreCase)
            || !Covers(resourcePath, audiencePath))
        {
            return CbsTokenCheck.Refused($"InvalidAudience: the token is for '{resource}', which does not cover '{audience}'.");
        }

        return CbsTokenCheck.Granted(audiencePath, expiresAt);
    }

    /// <summary>The entity path of an audience or resource URI: no leading or trailing slash, unescaped ("" = the namespace).</summary>
    public static bool TryParse(string uri, out string host, out string path)
    {
        host = path = string.Empty;
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            return false;
        }

        host = parsed.Host;
        path = Uri.UnescapeDataString(parsed.AbsolutePath).Trim('/');
        return true;
    }

    /// <summary>True when <paramref name="path"/> is the namespace ("") or <paramref name="entityPath"/> itself or one of its parents.</summary>
    public static bool Covers(string path, string entityPath) =>
        path.Length == 0
        || string.Equals(path, entityPath, StringComparison.OrdinalIgnoreCase)
        || (entityPath.StartsWith(path, StringComparison.OrdinalIgnoreCase) && entityPath[path.Length] == '/');

    private string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(stringToSign)));
}

/// <summary>The outcome of a put-token check: the granted entity path and expiry, or why it was refused.</summary>
internal readonly record struct CbsTokenCheck(string? Path, DateTimeOffset ExpiresAt, string? Error)
{
    public bool IsGranted => Error is null;

    public static CbsTokenCheck Granted(string path, DateTimeOffset expiresAt) => new(path, expiresAt, null);

    public static CbsTokenCheck Refused(string error) => new(null, default, error);
}
