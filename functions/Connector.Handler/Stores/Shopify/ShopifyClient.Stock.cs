using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Stores.Shopify;

/// <summary>The catalogue with stock (store-apis.md §2.3): variants in id order, 250 a page, with their available quantity.</summary>
public sealed partial class ShopifyClient : IStoreStock
{
    public const int StockPageSize = 250;

    public async Task<StoreStockPage> ListStockAsync(StoreAccess shop, string? pageToken, CancellationToken cancellationToken)
    {
        var variables = new JsonObject { ["first"] = StockPageSize, ["after"] = pageToken };
        var data = await QueryAsync(shop, ShopifyQueries.CatalogStock, variables, cancellationToken);
        var connection = data?["productVariants"];
        var items = new List<StoreStockItem>();
        foreach (var node in connection?["nodes"]?.AsArray() ?? [])
        {
            if (node is not null)
            {
                items.Add(ToStockItem(node));
            }
        }

        var next = connection?["pageInfo"]?["hasNextPage"]?.GetValue<bool>() == true ? (string?)connection["pageInfo"]!["endCursor"] : null;
        return new StoreStockPage(items, next);
    }

    /// <summary>The stock of the variant behind an inventory item (<c>gid://shopify/InventoryItem/n</c>), or null when there is none.</summary>
    public async Task<StoreStockItem?> GetStockOfItemAsync(StoreAccess shop, string itemId, CancellationToken cancellationToken)
    {
        var data = await QueryAsync(shop, ShopifyQueries.StockOfInventoryItem, new { id = itemId }, cancellationToken);
        return data?["inventoryItem"]?["variant"] is { } variant ? ToStockItem(variant) : null;
    }

    /// <summary>Subscribes inventory_levels/update to <paramref name="uri"/> (once; an existing subscription is kept).</summary>
    public async Task EnsureInventoryWebhookAsync(StoreAccess shop, Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var existing = await QueryAsync(shop, ShopifyQueries.InventoryWebhookSubscriptions, new { uri = uri.ToString() }, cancellationToken);
        if ((existing?["webhookSubscriptions"]?["nodes"]?.AsArray() ?? []).Any(n => string.Equals((string?)n?["uri"], uri.ToString(), StringComparison.Ordinal)))
        {
            return;
        }

        var data = await QueryAsync(shop, ShopifyQueries.InventoryWebhookSubscriptionCreate, new { uri = uri.ToString() }, cancellationToken);
        var errors = data?["webhookSubscriptionCreate"]?["userErrors"]?.AsArray() ?? [];
        if (errors.Count > 0)
        {
            throw new StoreRejectedException($"Shopify refused the inventory_levels/update webhook: {string.Join("; ", errors.Select(e => (string?)e?["message"]))}");
        }
    }

    private static StoreStockItem ToStockItem(JsonNode node)
    {
        var product = node["product"];
        return new StoreStockItem(
                (string?)product?["id"] ?? "",
                (string)node["id"]!,
                (string?)node["sku"] is { Length: > 0 } sku ? sku : null,
                $"{(string?)product?["title"]}{((string?)node["title"] is { } title && title != "Default Title" ? $" - {title}" : "")}",
                (int?)node["inventoryQuantity"] ?? 0,
                DateTimeOffset.TryParse((string?)node["updatedAt"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue,
                decimal.TryParse((string?)node["price"], NumberStyles.Number, CultureInfo.InvariantCulture, out var price) ? price : null);
    }
}
