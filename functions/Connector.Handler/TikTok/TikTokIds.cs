using System.Text.RegularExpressions;

namespace Connector.TikTok;

/// <summary>
/// TikTok's ids are digit strings (orders 18 digits today; reference/tiktok-shop-api.md §11 "Data realism"). Anything else
/// under an order id's name did not come from TikTok and is never stored or shown.
/// </summary>
public static partial class TikTokIds
{
    public const int MaxLength = 32;

    public const string OrderIdRule = "A TikTok order id is 1–32 digits.";

    public static bool IsOrderId(string? value) => value is not null && Digits().IsMatch(value);

    public const string ProductIdRule = "A TikTok product id is 1–32 digits.";

    /// <summary>Product ids are digit strings too (19 digits; webhooks send them as JSON numbers, read as their raw text).</summary>
    public static bool IsProductId(string? value) => value is not null && Digits().IsMatch(value);

    /// <summary>Notification ids (tts_notification_id) become table keys: short visible text only.</summary>
    public static bool IsNotificationId(string? value) =>
        value is { Length: > 0 and <= 128 } && value.All(c => c is > ' ' and < '\u007f');

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex Digits();
}
