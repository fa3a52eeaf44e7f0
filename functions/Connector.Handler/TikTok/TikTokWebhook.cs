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

    public long UpdateTime => Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("update_time", out var u) && u.TryGetInt64(out var value)
        ? value
        : Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("create_time", out var c) && c.TryGetInt64(out var created) ? created : Timestamp;

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

    /// <summary>Topics about one order: the processor re-reads the order (webhooks are hints, design §3).</summary>
    public static bool IsAboutAnOrder(int type) =>
        type is OrderStatusChange or ReverseStatusUpdate or RecipientAddressUpdate or CancellationStatusChange;
}
