namespace Connector.Sandbox.Shopify;

public sealed record SimShopifyProduct(string Id, string Title, string Handle, IReadOnlyList<string> VariantIds, DateTimeOffset CreatedAt);

/// <summary>A product variant with its stock at the shop's single location.</summary>
public sealed record SimShopifyVariant(
    string Id,
    string ProductId,
    string? Sku,
    string Title,
    decimal Price,
    int Inventory,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>ProductVariantInventoryPolicy: DENY (default) or CONTINUE (sell when out of stock).</summary>
    public string InventoryPolicy { get; init; } = "DENY";

    /// <summary><c>gid://shopify/InventoryItem/&lt;n&gt;</c>.</summary>
    public required string InventoryItemId { get; init; }
}
