using System.Text.Json.Nodes;
using static Connector.Stores.PrestaShop.PrestaShopOrders;
using static Connector.Stores.PrestaShop.PrestaShopWebservice;

namespace Connector.Stores.PrestaShop;

/// <summary>
/// The PrestaShop catalogue with stock (store-apis.md §1: products and combinations by <c>reference</c>, quantities in
/// <c>stock_availables</c>): a simple product is one item (stock row id_product_attribute 0), a product with
/// combinations one item per combination. Read whole, 1,000 rows a call per resource. PrestaShop sends no stock
/// webhook: the periodic scan carries its changes, with the scan's time as the level's time.
/// </summary>
public sealed class PrestaShopStock(PrestaShopWebservice ws, TimeProvider time) : IStoreStock
{
    private const int PageSize = 1000;

    public async Task<StoreStockPage> ListStockAsync(StoreAccess shop, string? pageToken, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var products = await ReadAllAsync(shop, "products", "[id,reference,name,price,id_default_combination]", cancellationToken);
        var combinations = await ReadAllAsync(shop, "combinations", "[id,id_product,reference,price]", cancellationToken);
        var stock = (await ReadAllAsync(shop, "stock_availables", "[id_product,id_product_attribute,quantity]", cancellationToken))
            .GroupBy(s => (PrestaShopXml.Long(s["id_product"]), PrestaShopXml.Long(s["id_product_attribute"])))
            .ToDictionary(g => g.Key, g => (int)g.Sum(s => PrestaShopXml.Long(s["quantity"])));
        var byProduct = combinations.ToLookup(c => PrestaShopXml.Long(c["id_product"]));
        var items = new List<StoreStockItem>();
        foreach (var p in products)
        {
            var id = PrestaShopXml.Long(p["id"]);
            var name = NameOf(p["name"]) ?? $"Product {id}";
            var price = PrestaShopXml.Dec(p["price"]);
            var own = byProduct[id].ToList();
            if (own.Count == 0)
            {
                items.Add(new StoreStockItem(PrestaShopXml.Format(id), ProductKey(id, 0), Sku(p["reference"]), name, stock.GetValueOrDefault((id, 0L)), now, price));
                continue;
            }

            foreach (var c in own)
            {
                var combination = PrestaShopXml.Long(c["id"]);
                var sku = Sku(c["reference"]);
                items.Add(new StoreStockItem(PrestaShopXml.Format(id), ProductKey(id, combination), sku, $"{name} - {sku ?? PrestaShopXml.Format(combination)}",
                    stock.GetValueOrDefault((id, combination)), now, price + PrestaShopXml.Dec(c["price"])));
            }
        }

        return new StoreStockPage(items, null);
    }

    /// <summary>PrestaShop has no stock webhook.</summary>
    public Task<StoreStockItem?> GetStockOfItemAsync(StoreAccess shop, string itemId, CancellationToken cancellationToken) =>
        Task.FromResult<StoreStockItem?>(null);

    private async Task<List<JsonObject>> ReadAllAsync(StoreAccess shop, string resource, string display, CancellationToken cancellationToken)
    {
        var rows = new List<JsonObject>();
        for (var offset = 0; ; offset += PageSize)
        {
            var page = PrestaShopXml.List(await ws.GetAsync(shop, $"{resource}?{Q(("display", display), ("sort", "[id_ASC]"), ("limit", $"{offset},{PageSize}"))}", cancellationToken), resource);
            rows.AddRange(page);
            if (page.Count < PageSize)
            {
                return rows;
            }
        }
    }

    private static string? Sku(JsonNode? reference) => PrestaShopXml.Str(reference) is { Length: > 0 } sku ? sku : null;

    private static string? NameOf(JsonNode? name) => name switch
    {
        JsonArray langs => langs.OfType<JsonObject>().Select(l => PrestaShopXml.Str(l["value"])).FirstOrDefault(v => v.Length > 0),
        JsonValue => PrestaShopXml.Str(name),
        _ => null,
    };
}
