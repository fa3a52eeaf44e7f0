namespace Connector.Stores;

public sealed record StoreProduct(string Id, string Sku, string? Title);

public sealed record StoreOrderRef(string Id, string? Name, string? AdminUrl);

/// <summary>A store order built from a TikTok order: lines grouped by SKU and price (one TikTok line item is one unit).</summary>
public sealed record StoreOrderDraft
{
    public required string TikTokOrderId { get; init; }
    public required string Currency { get; init; }
    public required IReadOnlyList<StoreOrderLine> Lines { get; init; }
    public required string Email { get; init; }
    public StoreAddress? ShippingAddress { get; init; }
    public required string ShippingTitle { get; init; }
    public decimal ShippingPrice { get; init; }
    public decimal TotalPaid { get; init; }
    public DateTimeOffset ProcessedAt { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Note { get; init; }
    public required string InventoryBehaviour { get; init; }
}

public sealed record StoreOrderLine(string ProductId, string Sku, string Title, int Quantity, decimal UnitPrice);

public sealed record StoreAddress(
    string? FirstName, string? LastName, string? Address1, string? Address2, string? City, string? Province,
    string? ProvinceCode, string? Zip, string? CountryCode, string? Phone);
