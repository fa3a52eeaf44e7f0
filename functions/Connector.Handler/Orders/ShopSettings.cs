using System.Text.Json;

using Connector.TikTok;
using Connector.Orders.WriteBack;

namespace Connector.Orders;

/// <summary>A merchant's sync settings, stored with the shop.</summary>
public sealed record ShopSettings
{
    public const string DefaultBuyerEmail = "buyerid@tiktok.com";

    /// <summary>Email put on store orders (TikTok's buyer email is anonymised; CedCommerce uses the same default).</summary>
    public string BuyerEmail { get; init; } = DefaultBuyerEmail;

    /// <summary>TikTok statuses whose orders are created in the store.</summary>
    public IReadOnlyList<string> ImportStatuses { get; init; } =
        [TikTokStatus.AwaitingShipment, TikTokStatus.AwaitingCollection, TikTokStatus.PartiallyShipping, TikTokStatus.InTransit,
         TikTokStatus.Delivered, TikTokStatus.Completed];

    /// <summary>Shopify <c>inventoryBehaviour</c>: DECREMENT_IGNORING_POLICY claims stock whatever the product's policy.</summary>
    public string InventoryBehaviour { get; init; } = "DECREMENT_IGNORING_POLICY";

    public IReadOnlyList<string> Tags { get; init; } = ["TikTok"];
    public bool PartialShipping { get; init; } = true;

    /// <summary>Extra wait after TikTok releases an order from hold, before it is imported.</summary>
    public int OrderHoldMinutes { get; init; }

    /// <summary>IANA time zone the merchant reads dates in.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Shipments the merchant records in the store (with tracking) are sent to TikTok (seller-shipped orders).</summary>
    public bool ShipmentsToTikTok { get; init; } = true;

    /// <summary>Orders the merchant cancels in the store are cancelled on TikTok (before shipping only; TikTok allows no later).</summary>
    public bool CancellationsToTikTok { get; init; } = true;

    /// <summary>
    /// Why a store cancellation is sent to TikTok when the store gives no reason TikTok knows (<see cref="TikTokCancelReasons.Choices"/>).
    /// </summary>
    public string CancelReason { get; init; } = TikTokCancelReasons.OutOfStock;

    /// <summary>A refund TikTok completed for returned items puts those units back in store stock (Shopify restock, PrestaShop stock, Etsy listing).</summary>
    public bool RestockOnRefund { get; init; } = true;

    /// <summary>Orders a month the plan includes; 0 = unlimited.</summary>
    public int MonthlyOrderLimit { get; init; }

    public static ShopSettings Parse(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new ShopSettings() : JsonSerializer.Deserialize<ShopSettings>(json, JsonOptions) ?? new ShopSettings();

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
