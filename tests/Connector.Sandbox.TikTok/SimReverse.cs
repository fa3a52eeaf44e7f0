namespace Connector.Sandbox.TikTok;

/// <summary>
/// A cancellation as SearchCancellations shows it (return_refund.json). <see cref="CancelType"/> is CANCEL (seller or
/// system) or BUYER_CANCEL (needs the seller's answer before <see cref="Deadline"/>).
/// </summary>
public sealed record SimCancellation
{
    public required string CancelId { get; init; }
    public required string OrderId { get; init; }
    public required string ShopId { get; init; }
    public required string CancelType { get; init; }
    public required string Role { get; init; }
    public required string Status { get; init; }
    public required string Reason { get; init; }
    public required string ReasonText { get; init; }
    public required long CreateTime { get; init; }
    public required long UpdateTime { get; init; }

    /// <summary>SELLER_RESPOND_CANCEL deadline while <see cref="Status"/> is CANCELLATION_REQUEST_PENDING.</summary>
    public long? Deadline { get; init; }

    public required IReadOnlyList<SimCancelLine> Lines { get; init; }

    /// <summary>The seller's reject_reason and comment after RejectCancellation.</summary>
    public string? RejectReason { get; init; }

    public string? RejectComment { get; init; }
}

public sealed record SimCancelLine(string CancelLineItemId, string OrderLineItemId);

/// <summary>A buyer's return or refund request (control plane), see <see cref="TikTokSimulator.CreateReturn"/>.</summary>
public sealed record SimReturnSpec
{
    /// <summary>REFUND (no item back), RETURN_AND_REFUND or REPLACEMENT (return_refund.json return_type).</summary>
    public string ReturnType { get; init; } = "RETURN_AND_REFUND";

    /// <summary>Order line item ids; null or empty = every line that was not cancelled.</summary>
    public IReadOnlyList<string>? LineItemIds { get; init; }

    public string Reason { get; init; } = "ecom_order_delivered_refund_and_return_reason_wrong_item";

    public string ReasonText { get; init; } = "Wrong item";

    /// <summary>Refund shipping fee too (default false: items only).</summary>
    public bool RefundShipping { get; init; }
}

/// <summary>A return or refund as SearchReturns shows it.</summary>
public sealed record SimReturn
{
    public required string ReturnId { get; init; }
    public required string OrderId { get; init; }
    public required string ShopId { get; init; }
    public required string ReturnType { get; init; }
    public required string Role { get; init; }
    public required string Status { get; init; }
    public required string Reason { get; init; }
    public required string ReasonText { get; init; }
    public required string Currency { get; init; }
    public required long CreateTime { get; init; }
    public required long UpdateTime { get; init; }

    /// <summary>The seller's next action (SELLER_RESPOND_REFUND / _RETURN / _RECEIVE_PACKAGE / _REPLACEMENT) and its deadline.</summary>
    public string? NextAction { get; init; }

    public long? Deadline { get; init; }

    public required IReadOnlyList<SimReturnLine> Lines { get; init; }

    public decimal RefundShippingFee { get; init; }

    public string? ReturnTrackingNumber { get; init; }

    public string? ReturnProviderName { get; init; }

    public string? RejectReason { get; init; }

    public required IReadOnlyList<SimReturnRecord> Records { get; init; }

    public decimal RefundSubtotal => Lines.Sum(l => l.RefundSubtotal);

    public decimal RefundTax => Lines.Sum(l => l.RefundTax);

    public decimal RefundTotal => RefundSubtotal + RefundTax + RefundShippingFee;
}

public sealed record SimReturnLine
{
    public required string ReturnLineItemId { get; init; }
    public required string OrderLineItemId { get; init; }
    public required string SkuId { get; init; }
    public required string SellerSku { get; init; }
    public required string ProductName { get; init; }
    public required string SkuName { get; init; }
    public required decimal RefundSubtotal { get; init; }
    public required decimal RefundTax { get; init; }
}

/// <summary>One GetReturnRecords entry (event is always ORDER_RETURN).</summary>
public sealed record SimReturnRecord(long CreateTime, string Role, string Description, string? ReasonText, string? Note);

/// <summary>An external order reference (AddExternalOrderReferences, order API 202406).</summary>
public sealed record SimExternalOrder(string Platform, string Id, IReadOnlyList<SimExternalLine> LineItems);

public sealed record SimExternalLine(string Id, string OriginId);
