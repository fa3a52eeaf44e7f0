using Connector.Orders;
using Connector.Stores;
using Connector.TikTok;

namespace Connector.Web;

/// <summary>
/// Limits of <c>PUT /api/shops/{shopId}</c> beyond the store part (which each store validates): lengths stay far below
/// Table Storage's 64 KB property limit, and text that becomes an HTTP header (tokens) is visible ASCII only.
/// </summary>
public static class ShopConnectRules
{
    public const int MaxNameLength = 200;
    public const int MaxCipherLength = 256;
    public const int MaxTokenLength = 2048;
    public const int MaxEmailLength = 254;
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;
    public const int MaxTimeZoneLength = 64;
    public const int MaxStoreOptionsLength = 8 * 1024;

    /// <summary>Unix seconds up to the year 9999: anything later is not an expiry.</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    public static void Check(ShopConnectRequest body, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        void Require(bool ok, string field, string message)
        {
            if (!ok && !errors.ContainsKey(field))
            {
                errors[field] = [message];
            }
        }

        Require(body.Name is null || (body.Name.Length <= MaxNameLength && !body.Name.Any(char.IsControl)),
            "name", $"At most {MaxNameLength} characters, without control characters.");
        if (body.TikTok is { } t)
        {
            Require(IsHeaderText(t.ShopCipher, MaxCipherLength), "tiktok.shopCipher", $"At most {MaxCipherLength} visible ASCII characters.");
            Require(IsHeaderText(t.AccessToken, MaxTokenLength), "tiktok.accessToken", $"At most {MaxTokenLength} visible ASCII characters (no spaces or line breaks).");
            Require(IsHeaderText(t.RefreshToken, MaxTokenLength), "tiktok.refreshToken", $"At most {MaxTokenLength} visible ASCII characters (no spaces or line breaks).");
            Require(t.AccessTokenExpiresAt is null or <= MaxUnixSeconds, "tiktok.accessTokenExpiresAt", "Unix seconds.");
            Require(t.RefreshTokenExpiresAt is null or <= MaxUnixSeconds, "tiktok.refreshTokenExpiresAt", "Unix seconds.");
        }

        if (body.Store?.Options is { } options)
        {
            Require(options.GetRawText().Length <= MaxStoreOptionsLength, "store.options", $"At most {MaxStoreOptionsLength} characters of JSON.");
        }

        if (body.Settings is { } s)
        {
            Require(s.ImportStatuses.All(st => st is not null && TikTokStatus.All.Contains(st)), "settings.importStatuses",
                $"Statuses are TikTok's: {string.Join(", ", TikTokStatus.All)}.");
            Require(s.BuyerEmail.Length is > 0 and <= MaxEmailLength && s.BuyerEmail.Contains('@', StringComparison.Ordinal) && !s.BuyerEmail.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)),
                "settings.buyerEmail", $"An email address of at most {MaxEmailLength} characters.");
            Require(s.Tags.Count <= MaxTags && s.Tags.All(tag => tag is { Length: > 0 and <= MaxTagLength } && !tag.Any(char.IsControl)),
                "settings.tags", $"At most {MaxTags} tags of 1–{MaxTagLength} characters.");
            Require(s.TimeZone.Length <= MaxTimeZoneLength, "settings.timeZone", "An IANA time zone such as Europe/Paris.");
        }
    }

    /// <summary>Text sent as an HTTP header value or query parameter: printable ASCII without spaces, so nothing can split a header.</summary>
    public static bool IsHeaderText(string? value, int maxLength) =>
        value is null || (value.Length <= maxLength && StoreAnswers.IsHeaderSafe(value));
}
