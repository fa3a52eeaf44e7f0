using System.Text.Json.Serialization;

namespace Connector.TikTok;

// Shapes of the 202309 product objects (tiktok-oas/product.json SearchProducts, GetProduct, UpdateInventory, UpdatePrice).
// Only the fields Connector uses are modelled.

public sealed record ProductSearchData(
    [property: JsonPropertyName("products")] List<TikTokProduct>? Products,
    [property: JsonPropertyName("next_page_token")] string? NextPageToken,
    [property: JsonPropertyName("total_count")] int TotalCount);

public sealed record TikTokProduct(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("skus")] List<TikTokProductSku>? Skus,
    [property: JsonPropertyName("update_time")] long UpdateTime,
    [property: JsonPropertyName("audit_failed_reasons")] List<TikTokAuditFailure>? AuditFailedReasons = null);

public sealed record TikTokProductSku(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("seller_sku")] string? SellerSku,
    [property: JsonPropertyName("inventory")] List<TikTokSkuInventory>? Inventory,
    [property: JsonPropertyName("price")] TikTokSkuPrice? Price);

public sealed record TikTokSkuInventory(
    [property: JsonPropertyName("warehouse_id")] string? WarehouseId,
    [property: JsonPropertyName("quantity")] int Quantity);

public sealed record TikTokSkuPrice(
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("tax_exclusive_price")] string? TaxExclusivePrice,
    [property: JsonPropertyName("sale_price")] string? SalePrice);

public sealed record TikTokAuditFailure(
    [property: JsonPropertyName("position")] string? Position,
    [property: JsonPropertyName("reasons")] List<string>? Reasons,
    [property: JsonPropertyName("suggestions")] List<string>? Suggestions);

/// <summary>One SKU's new stock: every warehouse the SKU is assigned to, each with its quantity (UpdateInventory).</summary>
public sealed record InventoryUpdateSku(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("inventory")] IReadOnlyList<TikTokSkuInventory> Inventory);

internal sealed record InventoryUpdateBody([property: JsonPropertyName("skus")] IReadOnlyList<InventoryUpdateSku> Skus);

public sealed record PriceUpdateSku(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("price")] PriceAmount Price);

public sealed record PriceAmount(
    [property: JsonPropertyName("amount")] string Amount,
    [property: JsonPropertyName("currency")] string Currency);

internal sealed record PriceUpdateBody([property: JsonPropertyName("skus")] IReadOnlyList<PriceUpdateSku> Skus);

internal sealed record ProductIdsBody([property: JsonPropertyName("product_ids")] IReadOnlyList<string> ProductIds);

/// <summary>DeactivateProducts / ActivateProduct data: the products TikTok did not move.</summary>
public sealed record ProductErrorsData([property: JsonPropertyName("errors")] List<ProductError>? Errors);

public sealed record ProductError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string? Message);
