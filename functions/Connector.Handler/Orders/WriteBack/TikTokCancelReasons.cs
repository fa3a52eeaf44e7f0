using Connector.TikTok;

namespace Connector.Orders.WriteBack;

/// <summary>
/// The seller cancel reason key TikTok takes for a cancellation the merchant made in the store
/// (reference/tiktok-shop-api.md §6.2: keys depend on status and market; UK keys end in "_uk").
/// </summary>
public static class TikTokCancelReasons
{
    public const string OutOfStock = "out_of_stock";
    public const string WrongPrice = "wrong_price";
    public const string AddressNotDeliverable = "address_not_deliver";
    public const string BuyerRequested = "buyer_requested_cancellation";

    public static readonly IReadOnlyList<string> Choices = [OutOfStock, WrongPrice, AddressNotDeliverable, BuyerRequested];

    /// <summary>
    /// Shopify's cancel reason says why when it can (CUSTOMER, INVENTORY); otherwise the shop's chosen default.
    /// Null when TikTok lets no seller cancel the order in this status.
    /// </summary>
    public static string? KeyFor(string tiktokStatus, string? storeReason, string defaultReason, string? regionCode)
    {
        var reason = storeReason?.ToUpperInvariant() switch
        {
            "CUSTOMER" => BuyerRequested,
            "INVENTORY" => OutOfStock,
            _ => Choices.Contains(defaultReason) ? defaultReason : OutOfStock,
        };
        var key = tiktokStatus switch
        {
            TikTokStatus.Unpaid => reason switch
            {
                BuyerRequested => "seller_cancel_unpaid_reason_buyer_requested_cancellation",
                WrongPrice => "seller_cancel_unpaid_reason_wrong_price",
                _ => "seller_cancel_unpaid_reason_out_of_stock",
            },
            TikTokStatus.OnHold or TikTokStatus.AwaitingShipment => reason switch
            {
                BuyerRequested => "seller_cancel_paid_reason_buyer_requested_cancellation",
                WrongPrice => "seller_cancel_reason_wrong_price",
                AddressNotDeliverable => "seller_cancel_paid_reason_address_not_deliver",
                _ => "seller_cancel_reason_out_of_stock",
            },
            _ => null,
        };
        return key is not null && string.Equals(regionCode, "GB", StringComparison.OrdinalIgnoreCase) ? key + "_uk" : key;
    }
}
