namespace Connector.Sandbox.Shopify;

/// <summary>An order as the simulated shop holds it (an immutable snapshot; the shop replaces it on every change).</summary>
public sealed record SimShopifyOrder
{
    /// <summary><c>gid://shopify/Order/&lt;n&gt;</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Shop-local order number (1001, 1002, ...).</summary>
    public required int Number { get; init; }

    /// <summary>"#1001", or the custom <c>name</c> given to orderCreate.</summary>
    public required string Name { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required DateTimeOffset ProcessedAt { get; init; }

    public required string CurrencyCode { get; init; }

    public string? PresentmentCurrencyCode { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }

    public string? Note { get; init; }

    public string? PoNumber { get; init; }

    public string? SourceName { get; init; }

    public string? SourceIdentifier { get; init; }

    public string? SourceUrl { get; init; }

    public bool Test { get; init; }

    public bool TaxesIncluded { get; init; }

    /// <summary>The orderCreate <c>options.inventoryBehaviour</c> used (BYPASS when not given).</summary>
    public required string InventoryBehaviour { get; init; }

    /// <summary>OrderDisplayFinancialStatus: PENDING, AUTHORIZED, PAID, PARTIALLY_PAID, ...</summary>
    public required string FinancialStatus { get; init; }

    public IReadOnlyList<SimShopifyLineItem> LineItems { get; init; } = [];

    public IReadOnlyList<SimShopifyShippingLine> ShippingLines { get; init; } = [];

    public SimShopifyAddress? ShippingAddress { get; init; }

    public SimShopifyAddress? BillingAddress { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<SimShopifyKeyValue> CustomAttributes { get; init; } = [];

    public IReadOnlyList<SimShopifyMetafield> Metafields { get; init; } = [];

    public IReadOnlyList<SimShopifyTransaction> Transactions { get; init; } = [];

    public IReadOnlyList<SimShopifyTaxLine> TaxLines { get; init; } = [];

    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>OrderCancelReason: CUSTOMER, DECLINED, FRAUD, INVENTORY, STAFF, OTHER.</summary>
    public string? CancelReason { get; init; }

    public string? CancelStaffNote { get; init; }

    public bool CancelRestocked { get; init; }

    public bool Closed { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public IReadOnlyList<SimShopifyFulfillment> Fulfillments { get; init; } = [];

    public IReadOnlyList<SimShopifyFulfillmentOrder> FulfillmentOrders { get; init; } = [];

    /// <summary>Refunds made with refundCreate, oldest first.</summary>
    public IReadOnlyList<SimShopifyRefund> Refunds { get; init; } = [];

    /// <summary>Units of the line not refunded yet (LineItem.refundableQuantity).</summary>
    public int RefundableQuantity(string lineItemId) =>
        (CancelledAt is null ? LineItems.FirstOrDefault(l => l.Id == lineItemId)?.Quantity ?? 0 : 0)
        - Refunds.SelectMany(r => r.Lines).Where(l => l.LineItemId == lineItemId).Sum(l => l.Quantity);

    /// <summary>What was paid (successful SALE/CAPTURE transactions) less what was refunded.</summary>
    public decimal RefundableAmount =>
        Transactions.Where(t => t.Status == "SUCCESS" && t.Kind is "SALE" or "CAPTURE").Sum(t => t.Amount)
        - Transactions.Where(t => t.Status == "SUCCESS" && t.Kind == "REFUND").Sum(t => t.Amount);

    public decimal SubtotalPrice => LineItems.Sum(l => l.Price * l.Quantity);

    public decimal TotalShippingPrice => ShippingLines.Sum(s => s.Price);

    public decimal TotalTax => TaxLines.Sum(t => t.Price) + LineItems.SelectMany(l => l.TaxLines).Sum(t => t.Price);

    public decimal TotalPrice => SubtotalPrice + TotalShippingPrice + (TaxesIncluded ? 0 : TotalTax);

    /// <summary>OrderDisplayFulfillmentStatus: UNFULFILLED, PARTIALLY_FULFILLED or FULFILLED.</summary>
    public string FulfillmentStatus
    {
        get
        {
            var total = LineItems.Sum(l => l.Quantity);
            var fulfilled = Fulfillments.Sum(f => f.LineItems.Sum(l => l.Quantity));
            return fulfilled == 0 ? "UNFULFILLED" : fulfilled >= total ? "FULFILLED" : "PARTIALLY_FULFILLED";
        }
    }
}

public sealed record SimShopifyLineItem(
    string Id,
    string? VariantId,
    string? ProductId,
    string? Sku,
    string Title,
    string? VariantTitle,
    int Quantity,
    decimal Price,
    string CurrencyCode)
{
    public bool RequiresShipping { get; init; }

    public bool Taxable { get; init; } = true;

    public string? Vendor { get; init; }

    public IReadOnlyList<SimShopifyKeyValue> Properties { get; init; } = [];

    public IReadOnlyList<SimShopifyTaxLine> TaxLines { get; init; } = [];

    /// <summary>Units taken from the variant's stock when the order was created (0 with BYPASS).</summary>
    public int ClaimedInventory { get; init; }
}

public sealed record SimShopifyShippingLine(string Title, string? Code, string? Source, decimal Price, string CurrencyCode);

public sealed record SimShopifyTaxLine(string Title, decimal Rate, decimal Price);

public sealed record SimShopifyAddress
{
    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? Company { get; init; }

    public string? Address1 { get; init; }

    public string? Address2 { get; init; }

    public string? City { get; init; }

    public string? ProvinceCode { get; init; }

    public string? CountryCode { get; init; }

    public string? Zip { get; init; }

    public string? Phone { get; init; }
}

public sealed record SimShopifyKeyValue(string Key, string? Value);

public sealed record SimShopifyMetafield(string Id, string Namespace, string Key, string Type, string Value);

public sealed record SimShopifyTransaction(string Kind, string Status, string? Gateway, decimal Amount, string CurrencyCode);

public sealed record SimShopifyFulfillment(
    string Id,
    string Name,
    string Status,
    DateTimeOffset CreatedAt,
    IReadOnlyList<SimShopifyTrackingInfo> TrackingInfo,
    IReadOnlyList<SimShopifyFulfillmentLine> LineItems,
    bool NotifyCustomer);

public sealed record SimShopifyTrackingInfo(string? Company, string? Number, string? Url);

/// <summary>
/// Quantity of one order line item in a fulfillment: a FulfillmentLineItem (<c>gid://shopify/FulfillmentLineItem/&lt;n&gt;</c>)
/// of the order's line item <paramref name="LineItemId"/>.
/// </summary>
public sealed record SimShopifyFulfillmentLine(string Id, string LineItemId, string FulfillmentOrderLineItemId, int Quantity);

public sealed record SimShopifyFulfillmentOrder(
    string Id,
    string OrderId,
    string Status,
    IReadOnlyList<SimShopifyFulfillmentOrderLineItem> LineItems,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record SimShopifyFulfillmentOrderLineItem(string Id, string LineItemId, int TotalQuantity, int RemainingQuantity);

/// <summary>A refund (refundCreate): its lines with their restock type, its REFUND transactions' total, and the idempotency key it was made with.</summary>
public sealed record SimShopifyRefund(
    string Id,
    DateTimeOffset CreatedAt,
    string? Note,
    IReadOnlyList<SimShopifyRefundLine> Lines,
    decimal Amount,
    string CurrencyCode,
    string? IdempotencyKey);

public sealed record SimShopifyRefundLine(string Id, string LineItemId, int Quantity, string RestockType)
{
    public bool Restocked => RestockType is "RETURN" or "CANCEL";
}
