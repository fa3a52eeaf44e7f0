namespace Connector.TikTok;

/// <summary>TikTok's order statuses (reference/tiktok-shop-api.md §5.1) and how the merchant reads them.</summary>
public static class TikTokStatus
{
    public const string Unpaid = "UNPAID";
    public const string OnHold = "ON_HOLD";
    public const string AwaitingShipment = "AWAITING_SHIPMENT";
    public const string PartiallyShipping = "PARTIALLY_SHIPPING";
    public const string AwaitingCollection = "AWAITING_COLLECTION";
    public const string InTransit = "IN_TRANSIT";
    public const string Delivered = "DELIVERED";
    public const string Completed = "COMPLETED";
    public const string Cancelled = "CANCELLED";

    /// <summary>The merchant-facing "Failed" tab: Connector could not import the order.</summary>
    public const string Failed = "FAILED";

    /// <summary>The merchant-facing "Cancellation requested" tab: a buyer's cancellation request waits for the merchant's answer.</summary>
    public const string CancellationRequested = "CANCELLATION_REQUESTED";

    /// <summary>Tabs that are Connector's, not TikTok statuses.</summary>
    public static readonly IReadOnlyList<string> MerchantOnly = [CancellationRequested, Failed];

    public static readonly IReadOnlyList<string> All =
        [Unpaid, OnHold, AwaitingShipment, AwaitingCollection, PartiallyShipping, InTransit, Delivered, Completed, Cancelled];

    /// <summary>Webhooks say CANCEL where the API says CANCELLED (§5.1); unknown values pass through unchanged.</summary>
    public static string Normalize(string? status) => status?.Trim().ToUpperInvariant() switch
    {
        null or "" => "",
        "CANCEL" => Cancelled,
        var s => s,
    };

    public static bool IsTerminal(string status) => status is Completed or Cancelled;

    /// <summary>TikTok still holds these: no address, the buyer may cancel freely (§4.4, §5.4).</summary>
    public static bool IsHeld(string status) => status is Unpaid or OnHold;

    /// <summary>Rank along the lifecycle, so an older snapshot with the same update_time never moves a status back.</summary>
    public static int Rank(string status) => status switch
    {
        Unpaid => 0,
        OnHold => 1,
        AwaitingShipment => 2,
        PartiallyShipping => 3,
        AwaitingCollection => 4,
        InTransit => 5,
        Delivered => 6,
        Completed => 7,
        Cancelled => 8,
        _ => -1,
    };

    public static string Label(string status) => status switch
    {
        Unpaid => "Unpaid",
        OnHold => "On Hold",
        AwaitingShipment => "Awaiting Shipment",
        PartiallyShipping => "Partially Shipping",
        AwaitingCollection => "Awaiting Collection",
        InTransit => "In Transit",
        Delivered => "Delivered",
        Completed => "Completed",
        Cancelled => "Cancelled",
        Failed => "Failed",
        CancellationRequested => "Cancellation requested",
        _ => status,
    };
}
