using System.Text.Json.Nodes;
using static Connector.Stores.PrestaShop.PrestaShopOrders;
using static Connector.Stores.PrestaShop.PrestaShopWebservice;

namespace Connector.Stores.PrestaShop;

/// <summary>PrestaShop products by SKU: the reference of a product (through its default combination) or of a combination.</summary>
public sealed class PrestaShopCatalog(PrestaShopWebservice ws) : IStoreCatalog
{
    public async Task<IReadOnlyList<StoreProduct>> FindProductsBySkuAsync(StoreAccess shop, string sku, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sku);
        if (!PrestaShopText.IsFilterSafe(sku))
        {
            throw new StoreRejectedException($"SKU '{sku}' contains a character PrestaShop's Webservice filter cannot search for ([ ] | , %).");
        }

        var found = new List<StoreProduct>();
        var products = await ws.GetAsync(shop, $"products?{Q(("filter[reference]", $"[{sku}]"), ("display", "[id,reference,name,id_default_combination]"))}", cancellationToken);
        foreach (var p in PrestaShopXml.List(products, "products").Where(p => PrestaShopXml.Str(p["reference"]) == sku))
        {
            // A parent product with combinations is ordered through its default combination.
            found.Add(new StoreProduct(ProductKey(PrestaShopXml.Long(p["id"]), PrestaShopXml.Long(p["id_default_combination"])), sku, NameOf(p["name"])));
        }

        var combinations = await ws.GetAsync(shop, $"combinations?{Q(("filter[reference]", $"[{sku}]"), ("display", "[id,id_product,reference]"))}", cancellationToken);
        foreach (var c in PrestaShopXml.List(combinations, "combinations").Where(c => PrestaShopXml.Str(c["reference"]) == sku))
        {
            found.Add(new StoreProduct(ProductKey(PrestaShopXml.Long(c["id_product"]), PrestaShopXml.Long(c["id"])), sku, sku));
        }

        return found;
    }

    private static string? NameOf(JsonNode? name) => name switch
    {
        JsonArray langs => langs.OfType<JsonObject>().Select(l => PrestaShopXml.Str(l["value"])).FirstOrDefault(v => v.Length > 0),
        JsonValue => PrestaShopXml.Str(name),
        _ => null,
    };
}
