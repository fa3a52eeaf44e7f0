using Connector.TikTok;

namespace Connector.Orders.Refunds;

/// <summary>
/// The Returns view's five tabs (CedCommerce's Returns &amp; Refunds) and which of TikTok's return statuses
/// (return_refund.json, SearchReturns <c>return_status</c>) each one shows:
/// <list type="bullet">
/// <item><b>pending</b>: RETURN_OR_REFUND_REQUEST_PENDING, REPLACEMENT_REQUEST_PENDING, AWAITING_BUYER_RESPONSE (the seller offered another type).</item>
/// <item><b>awaiting-shipment</b>: AWAITING_BUYER_SHIP.</item>
/// <item><b>buyer-shipped</b>: BUYER_SHIPPED_ITEM.</item>
/// <item><b>rejected</b>: REFUND_OR_RETURN_REQUEST_REJECT, REJECT_RECEIVE_PACKAGE, REPLACEMENT_REQUEST_REJECT, and the requests the
/// buyer or TikTok closed without a refund (RETURN_OR_REFUND_REQUEST_CANCEL, REPLACEMENT_REQUEST_CANCEL).</item>
/// <item><b>completed</b>: RETURN_OR_REFUND_REQUEST_SUCCESS, RETURN_OR_REFUND_REQUEST_COMPLETE, REPLACEMENT_REQUEST_REFUND_SUCCESS,
/// REPLACEMENT_REQUEST_COMPLETE.</item>
/// </list>
/// A status TikTok adds later lands in <b>pending</b>, where the merchant sees it rather than losing it.
/// </summary>
public static class ReturnTabs
{
    public const string Pending = "pending";
    public const string AwaitingShipment = "awaiting-shipment";
    public const string BuyerShipped = "buyer-shipped";
    public const string Rejected = "rejected";
    public const string Completed = "completed";

    public static readonly IReadOnlyList<string> All = [Pending, AwaitingShipment, BuyerShipped, Rejected, Completed];

    public static string Of(string? status) => status switch
    {
        TikTokReturnStatus.AwaitingBuyerShip => AwaitingShipment,
        TikTokReturnStatus.BuyerShipped => BuyerShipped,
        TikTokReturnStatus.Rejected or "REJECT_RECEIVE_PACKAGE" or "REPLACEMENT_REQUEST_REJECT"
            or "RETURN_OR_REFUND_REQUEST_CANCEL" or "REPLACEMENT_REQUEST_CANCEL" => Rejected,
        TikTokReturnStatus.Success or TikTokReturnStatus.Complete or TikTokReturnStatus.ReplacementRefundSuccess
            or "REPLACEMENT_REQUEST_COMPLETE" => Completed,
        _ => Pending,
    };

    public static string Label(string tab) => tab switch
    {
        AwaitingShipment => "Awaiting buyer shipment",
        BuyerShipped => "Buyer shipped",
        Rejected => "Rejected",
        Completed => "Completed / refunded",
        _ => "Request pending",
    };
}
