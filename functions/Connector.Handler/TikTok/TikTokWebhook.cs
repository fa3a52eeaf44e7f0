using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connector.TikTok;

/// <summary>
/// A TikTok Shop webhook (reference/tiktok-shop-api.md §7.2): <c>{type, tts_notification_id, shop_id, timestamp, data}</c>.
/// </summary>
public sealed record TikTokWebhook
{
    [JsonPropertyName("type")] public int Type { get; init; }
    [JsonPropertyName("tts_notification_id")] public string? NotificationId { get; init; }
    [JsonPropertyName("shop_id")] public string? ShopId { get; init; }
    [JsonPropertyName("timestamp")] public long Timestamp { get; init; }
    [JsonPropertyName("data")] public JsonElement Data { get; init; }

    public string? OrderId => Text("order_id");

    public long UpdateTime => Seconds("update_time") ?? Seconds("create_time") ?? Timestamp;

    /// <summary>
    /// What makes a signed body unusable (null when it is fine): the envelope's fields and the data fields Connector reads
    /// must have TikTok's types and sane lengths (§7.2). An order id that is not TikTok's is not a fault of the body's shape:
    /// the intake acknowledges and ignores it.
    /// </summary>
    public string? Problem()
    {
        if (NotificationId is not null && !TikTokIds.IsNotificationId(NotificationId))
        {
            return "tts_notification_id must be 1–128 visible characters.";
        }

        if (Data.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            return "data must be an object.";
        }

        foreach (var name in (string[])["update_time", "create_time"])
        {
            if (Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var value) && Seconds(name) is null)
            {
                return $"data.{name} must be Unix seconds (an integer), not {value.ValueKind.ToString().ToLowerInvariant()}.";
            }
        }

        return null;
    }

    private long? Seconds(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var seconds) && seconds >= 0
            ? seconds
            : null;

    public string? Text(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}

/// <summary>Webhook topics (§7.3) Connector acts on.</summary>
public static class TikTokWebhookTypes
{
    public const int OrderStatusChange = 1;
    public const int ReverseStatusUpdate = 2;
    public const int RecipientAddressUpdate = 3;
    public const int SellerDeauthorization = 6;
    public const int UpcomingAuthorizationExpiration = 7;
    public const int CancellationStatusChange = 11;
    public const int ReturnStatusChange = 12;
    public const int ProductStatusChange = 5;
    public const int ProductInformationChange = 15;
    public const int ProductAuditStatusChange = 37;

    /// <summary>Topics about one product: its row on the Products page is refreshed from GetProduct.</summary>
    public static bool IsAboutAProduct(int type) =>
        type is ProductStatusChange or ProductInformationChange or ProductAuditStatusChange;

    /// <summary>Topics about one order: the processor re-reads the order (webhooks are hints, design §3).</summary>
    public static bool IsAboutAnOrder(int type) =>
        type is OrderStatusChange or ReverseStatusUpdate or RecipientAddressUpdate or CancellationStatusChange or ReturnStatusChange;

    /// <summary>Topics that may be about a buyer's cancellation, return or refund request: it is read again too (Orders/Actions).</summary>
    public static bool IsAboutACancellation(int type) => type is ReverseStatusUpdate or CancellationStatusChange or ReturnStatusChange;
}
