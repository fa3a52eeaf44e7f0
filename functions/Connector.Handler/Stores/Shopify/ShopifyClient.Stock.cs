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
            if (node is null)
            {
                continue;
            }

            var product = node["product"];
            items.Add(new StoreStockItem(
                (string?)product?["id"] ?? "",
                (string)node["id"]!,
                (string?)node["sku"] is { Length: > 0 } sku ? sku : null,
                $"{(string?)product?["title"]}{((string?)node["title"] is { } title && title != "Default Title" ? $" - {title}" : "")}",
                (int?)node["inventoryQuantity"] ?? 0,
                DateTimeOffset.TryParse((string?)node["updatedAt"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue,
                decimal.TryParse((string?)node["price"], NumberStyles.Number, CultureInfo.InvariantCulture, out var price) ? price : null));
        }

        var next = connection?["pageInfo"]?["hasNextPage"]?.GetValue<bool>() == true ? (string?)connection["pageInfo"]!["endCursor"] : null;
        return new StoreStockPage(items, next);
    }
}
