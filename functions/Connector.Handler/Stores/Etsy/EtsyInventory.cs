using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Stores.Etsy;

/// <summary>
/// The read-modify-write of <c>updateListingInventory</c> (store-apis.md §3.2): the PUT replaces the whole inventory, so
/// every product is sent back (other variations untouched), without the read-only fields GET returns (product_id,
/// is_deleted, offering_id, scale_name) and with prices as plain numbers instead of Money objects.
/// </summary>
public static class EtsyInventory
{
    public const int MaxQuantity = 999;

    /// <summary>Products (not deleted) and their SKUs, with the number of products carrying each SKU.</summary>
    public static Dictionary<string, int> SkuCounts(JsonNode? inventory)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var product in Products(inventory))
        {
            if ((string?)product["sku"] is { Length: > 0 } sku)
            {
                counts[sku] = counts.GetValueOrDefault(sku) + 1;
            }
        }

        return counts;
    }

    /// <summary>
    /// Product and offering ids plus quantities: any inventory write changes it (Etsy re-creates the ids, and the
    /// quantity written changes anyway), so an interrupted write is told apart from one that never happened.
    /// </summary>
    public static string Signature(JsonNode? inventory) =>
        string.Join(';', Products(inventory).Select(p =>
            $"{(long?)p["product_id"]}:{string.Join(',', Offerings(p).Select(o => $"{(long?)o["offering_id"]}={(int?)o["quantity"]}"))}"));

    /// <summary>
    /// The PUT body with each SKU's quantity moved by its delta (clamped to 0–999); <paramref name="applied"/> says by how
    /// much each one really moved. A SKU missing from the listing, or on several of its products, is refused.
    /// </summary>
    public static JsonObject WithDeltas(JsonNode inventory, IReadOnlyDictionary<string, int> deltas, long listingId, out Dictionary<string, int> applied)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(deltas);
        var counts = SkuCounts(inventory);
        foreach (var sku in deltas.Keys)
        {
            var count = counts.GetValueOrDefault(sku);
            if (count != 1)
            {
                throw new StoreRejectedException(count == 0
                    ? $"SKU {sku} is no longer on Etsy listing {listingId}; retry the order to match it again."
                    : $"SKU ambiguous: {sku} is on {count} variations of Etsy listing {listingId}.");
            }
        }

        applied = new Dictionary<string, int>(StringComparer.Ordinal);
        var products = new JsonArray();
        var anyInStock = false;
        foreach (var product in Products(inventory))
        {
            var sku = (string?)product["sku"] ?? string.Empty;
            var offering = Offerings(product).FirstOrDefault() ?? throw new StoreRejectedException($"Etsy listing {listingId} has a variation without an offering.");
            var quantity = (int?)offering["quantity"] ?? 0;
            if (deltas.TryGetValue(sku, out var delta))
            {
                var updated = Math.Clamp(quantity + delta, 0, MaxQuantity);
                applied[sku] = updated - quantity;
                quantity = updated;
            }

            var enabled = (bool?)offering["is_enabled"] ?? true;
            anyInStock |= enabled && quantity > 0;
            products.Add(new JsonObject
            {
                ["sku"] = sku,
                ["property_values"] = new JsonArray([.. (product["property_values"] as JsonArray ?? []).OfType<JsonObject>().Select(PropertyValue)]),
                ["offerings"] = new JsonArray(new JsonObject
                {
                    ["quantity"] = quantity,
                    ["is_enabled"] = enabled,
                    ["price"] = Price(offering["price"]),
                }),
            });
        }

        if (!anyInStock)
        {
            // etsy/open-api#501: an inventory with nothing in stock is refused; only deactivating the listing does that.
            throw new StoreRejectedException(
                $"This order takes the last units of Etsy listing {listingId}, and Etsy's API refuses an inventory with nothing left in stock: mark the listing sold out in Etsy by hand.");
        }

        // Variations whose quantities now differ must say which properties the quantity varies on (Etsy refuses otherwise).
        var quantityOnProperty = Ids(inventory["quantity_on_property"]);
        var quantities = products.Select(p => (int?)p?["offerings"]?[0]?["quantity"]).Distinct().Count();
        if (quantityOnProperty.Count == 0 && quantities > 1)
        {
            quantityOnProperty = new JsonArray([.. products
                .SelectMany(p => (p?["property_values"] as JsonArray ?? []).Select(v => (long?)v?["property_id"]))
                .OfType<long>().Distinct().Select(id => (JsonNode?)JsonValue.Create(id))]);
        }

        return new JsonObject
        {
            ["products"] = products,
            ["price_on_property"] = Ids(inventory["price_on_property"]),
            ["quantity_on_property"] = quantityOnProperty,
            ["sku_on_property"] = Ids(inventory["sku_on_property"]),
        };
    }

    private static IEnumerable<JsonObject> Products(JsonNode? inventory) =>
        (inventory?["products"] as JsonArray ?? []).OfType<JsonObject>().Where(p => (bool?)p["is_deleted"] != true);

    private static IEnumerable<JsonObject> Offerings(JsonObject product) =>
        (product["offerings"] as JsonArray ?? []).OfType<JsonObject>().Where(o => (bool?)o["is_deleted"] != true);

    private static JsonObject PropertyValue(JsonObject value)
    {
        var copy = new JsonObject
        {
            ["property_id"] = value["property_id"]?.DeepClone(),
            ["value_ids"] = value["value_ids"]?.DeepClone() ?? new JsonArray(),
            ["values"] = value["values"]?.DeepClone() ?? new JsonArray(),
        };
        if (value["property_name"] is JsonValue name)
        {
            copy["property_name"] = name.DeepClone();
        }

        if (value["scale_id"] is JsonValue scale)
        {
            copy["scale_id"] = scale.DeepClone();
        }

        return copy;
    }

    /// <summary>GET's Money object {amount, divisor} → the number PUT expects.</summary>
    private static JsonValue Price(JsonNode? money)
    {
        if (money is JsonObject m)
        {
            var amount = (decimal?)m["amount"] ?? 0m;
            var divisor = (decimal?)m["divisor"] ?? 100m;
            return JsonValue.Create(Math.Round(amount / (divisor == 0 ? 1 : divisor), 2));
        }

        return JsonValue.Create(decimal.TryParse(money?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : 0m);
    }

    private static JsonArray Ids(JsonNode? ids) => new([.. (ids as JsonArray ?? []).Select(i => i?.DeepClone())]);
}
