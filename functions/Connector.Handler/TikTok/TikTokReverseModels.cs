using System.Text.Json.Serialization;

namespace Connector.TikTok;

// Buyer cancellation requests and external order references (reference/tiktok-shop-api.md §6.2; tiktok-oas/return_refund.json,
// order.json 202406). Only the fields Connector uses are modelled.

public sealed record CancellationSearchData(
    [property: JsonPropertyName("cancellations")] List<TikTokCancellation>? Cancellations,
    [property: JsonPropertyName("next_page_token")] string? NextPageToken,
    [property: JsonPropertyName("total_count")] int TotalCount);

public sealed record TikTokCancellation
{
    [JsonPropertyName("cancel_id")] public required string CancelId { get; init; }
    [JsonPropertyName("order_id")] public required string OrderId { get; init; }
    [JsonPropertyName("cancel_status")] public string? CancelStatus { get; init; }
    [JsonPropertyName("cancel_type")] public string? CancelType { get; init; }
    [JsonPropertyName("role")] public string? Role { get; init; }
    [JsonPropertyName("cancel_reason")] public string? CancelReason { get; init; }
    [JsonPropertyName("cancel_reason_text")] public string? CancelReasonText { get; init; }
    [JsonPropertyName("create_time")] public long CreateTime { get; init; }
    [JsonPropertyName("update_time")] public long UpdateTime { get; init; }
    [JsonPropertyName("seller_next_action_response")] public List<TikTokNextAction>? SellerNextActionResponse { get; init; }

    /// <summary>TikTok's deadline for the seller's answer (SELLER_RESPOND_CANCEL), Unix seconds; null when none is due.</summary>
    public long? Deadline => SellerNextActionResponse?.FirstOrDefault(a => a.Action == "SELLER_RESPOND_CANCEL")?.Deadline;
}

public sealed record TikTokNextAction(
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("deadline")] long? Deadline);

public sealed record RejectReasonsData([property: JsonPropertyName("reasons")] List<TikTokRejectReason>? Reasons);

public sealed record TikTokRejectReason(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("text")] string? Text);

public sealed record RejectBody(
    [property: JsonPropertyName("reject_reason")] string RejectReason,
    [property: JsonPropertyName("comment")] string? Comment);

public sealed record ExternalOrdersBody([property: JsonPropertyName("orders")] List<ExternalOrderEntry> Orders);

public sealed record ExternalOrderEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("external_order")] ExternalOrder ExternalOrder);

public sealed record ExternalOrder(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("platform")] string Platform);

public sealed record ExternalOrdersResult([property: JsonPropertyName("errors")] List<ExternalOrderError>? Errors);

public sealed record ExternalOrderError(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message);

/// <summary>TikTok's cancellation request statuses (§6.2) that Connector acts on.</summary>
public static class TikTokCancelStatus
{
    public const string Pending = "CANCELLATION_REQUEST_PENDING";
    public const string Success = "CANCELLATION_REQUEST_SUCCESS";
    public const string Rejected = "CANCELLATION_REQUEST_CANCEL";
    public const string Complete = "CANCELLATION_REQUEST_COMPLETE";
}

public sealed record ReturnSearchData(
    [property: JsonPropertyName("return_orders")] List<TikTokReturn>? Returns,
    [property: JsonPropertyName("next_page_token")] string? NextPageToken,
    [property: JsonPropertyName("total_count")] int TotalCount);

/// <summary>A buyer's return or refund request (return_refund.json SearchReturns).</summary>
public sealed record TikTokReturn
{
    [JsonPropertyName("return_id")] public required string ReturnId { get; init; }
    [JsonPropertyName("order_id")] public required string OrderId { get; init; }
    [JsonPropertyName("return_type")] public string? ReturnType { get; init; }
    [JsonPropertyName("return_status")] public string? ReturnStatus { get; init; }
    [JsonPropertyName("return_reason")] public string? ReturnReason { get; init; }
    [JsonPropertyName("return_reason_text")] public string? ReturnReasonText { get; init; }
    [JsonPropertyName("create_time")] public long CreateTime { get; init; }
    [JsonPropertyName("update_time")] public long UpdateTime { get; init; }
    [JsonPropertyName("refund_amount")] public TikTokRefundAmount? RefundAmount { get; init; }
    [JsonPropertyName("return_line_items")] public List<TikTokReturnLine>? Lines { get; init; }
    [JsonPropertyName("return_tracking_number")] public string? ReturnTrackingNumber { get; init; }
    [JsonPropertyName("seller_next_action_response")] public List<TikTokNextAction>? SellerNextActionResponse { get; init; }
}

public sealed record TikTokRefundAmount(
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("refund_total")] string? RefundTotal);

public sealed record TikTokReturnLine(
    [property: JsonPropertyName("order_line_item_id")] string? OrderLineItemId,
    [property: JsonPropertyName("seller_sku")] string? SellerSku,
    [property: JsonPropertyName("product_name")] string? ProductName);

/// <summary>TikTok's return statuses (return_refund.json) Connector names.</summary>
public static class TikTokReturnStatus
{
    public const string Pending = "RETURN_OR_REFUND_REQUEST_PENDING";
    public const string AwaitingBuyerShip = "AWAITING_BUYER_SHIP";
    public const string BuyerShipped = "BUYER_SHIPPED_ITEM";
    public const string Rejected = "REFUND_OR_RETURN_REQUEST_REJECT";
    public const string Success = "RETURN_OR_REFUND_REQUEST_SUCCESS";
    public const string Complete = "RETURN_OR_REFUND_REQUEST_COMPLETE";

    /// <summary>Statuses that wait for the seller or the buyer: the shop-wide scan of each fetch run reads these.</summary>
    public static readonly IReadOnlyList<string> Open = [Pending, AwaitingBuyerShip, BuyerShipped];

    public const string ReplacementRefundSuccess = "REPLACEMENT_REQUEST_REFUND_SUCCESS";

    /// <summary>The buyer is (or will be) refunded: the store shows the refund once (see Orders/Refunds/StoreRefunds).</summary>
    public static readonly IReadOnlyList<string> Refunded = [Success, Complete, ReplacementRefundSuccess];

    public static bool IsRefunded(string? status) => status is Success or Complete or ReplacementRefundSuccess;

    /// <summary>
    /// The seller's decision for a return in this status and of this type (return_refund.json ApproveReturn/RejectReturn), or
    /// null when the return waits for no answer from the seller.
    /// </summary>
    public static string? Decision(bool approve, string? status, string? type) => (status, type) switch
    {
        (Pending, "REFUND") => approve ? "APPROVE_REFUND" : "REJECT_REFUND",
        (Pending, "RETURN_AND_REFUND") => approve ? "APPROVE_RETURN" : "REJECT_RETURN",
        (BuyerShipped, _) => approve ? "APPROVE_RECEIVED_PACKAGE" : "REJECT_RECEIVED_PACKAGE",
        _ => null,
    };

    /// <summary>Whether the status is where an approval (or a rejection) of the request has already led.</summary>
    public static bool Answered(bool approve, string? status) => approve
        ? status is AwaitingBuyerShip or Success or Complete or ReplacementRefundSuccess
        : status is Rejected or "REJECT_RECEIVE_PACKAGE";

    public static string Label(string? status) => status switch
    {
        Pending => "Request pending",
        AwaitingBuyerShip => "Awaiting buyer shipment",
        BuyerShipped => "Buyer shipped the item",
        Rejected => "Request rejected",
        Success => "Refunded",
        Complete => "Completed",
        "RETURN_OR_REFUND_REQUEST_CANCEL" => "Cancelled by the buyer",
        "REJECT_RECEIVE_PACKAGE" => "Received package rejected",
        _ => status ?? "Unknown",
    };
}
