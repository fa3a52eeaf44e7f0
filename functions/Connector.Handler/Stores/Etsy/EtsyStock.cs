using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Stores.Etsy;

/// <summary>
/// The Etsy catalogue with stock (store-apis.md §3.2): every product of the shop's active and sold-out listings, read
/// from <c>getListingsByShop?includes=Inventory</c> (the owner sees SKUs), one item per listing product with its SKU and
/// its enabled offering's quantity. Sold-out listings are read too: their SKUs must reach TikTok as sold out, not as
/// missing. Etsy sends no stock webhook and re-creates product ids on every inventory write, so an item is named by
/// listing and SKU, and the scan's time is the level's time (as for PrestaShop).
/// </summary>
public sealed class EtsyStock(EtsyApi api, TimeProvider time) : IStoreStock
{
    private const int PageSize = 100;
    private static readonly string[] States = ["active", "sold_out"];

    /// <summary>Page token: <c>{state index}:{offset}</c>.</summary>
    public async Task<StoreStockPage> ListStockAsync(StoreAccess shop, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var (state, offset) = ParseToken(pageToken);
        var page = await api.GetAsync(shop,
            $"/v3/application/shops/{shop.AccountId}/listings?state={States[state]}&includes=Inventory&limit={PageSize}&offset={offset}&sort_on=created&sort_order=asc",
            cancellationToken);
        var listings = (page?["results"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var now = time.GetUtcNow();
        var items = listings.SelectMany(l => Items(l, (long?)l["listing_id"] ?? 0, now)).ToList();
        string? next = listings.Count == PageSize ? $"{state}:{offset + PageSize}" : state + 1 < States.Length ? $"{state + 1}:0" : null;
        return new StoreStockPage(items, next);
    }

    /// <summary><paramref name="itemId"/> is <c>{listing id}:{sku}</c>; reads the listing's inventory.</summary>
    public async Task<StoreStockItem?> GetStockOfItemAsync(StoreAccess shop, string itemId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        var colon = itemId.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(itemId.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var listingId))
        {
            return null;
        }

        var inventory = await api.GetAsync(shop, $"/v3/application/listings/{listingId}/inventory", cancellationToken);
        var listing = new JsonObject { ["listing_id"] = listingId, ["inventory"] = inventory?.DeepClone() };
        return Items(listing, listingId, time.GetUtcNow()).FirstOrDefault(i => i.VariantId == itemId);
    }

    public static string VariantId(long listingId, string sku) => listingId.ToString(CultureInfo.InvariantCulture) + ":" + sku;

    private static IEnumerable<StoreStockItem> Items(JsonObject listing, long listingId, DateTimeOffset now)
    {
        var title = (string?)listing["title"] ?? $"Etsy listing {listingId}";
        var index = 0;
        foreach (var product in (listing["inventory"]?["products"] as JsonArray ?? []).OfType<JsonObject>())
        {
            index++;
            if ((bool?)product["is_deleted"] == true)
            {
                continue;
            }

            var offering = (product["offerings"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(o => (bool?)o["is_deleted"] != true);
            var enabled = offering is not null && ((bool?)offering["is_enabled"] ?? true);
            var quantity = enabled ? (int?)offering!["quantity"] ?? 0 : 0;
            var sku = (string?)product["sku"] is { Length: > 0 } s ? s : null;
            var values = (product["property_values"] as JsonArray ?? []).OfType<JsonObject>()
                .SelectMany(v => (v["values"] as JsonArray ?? []).Select(x => (string?)x)).OfType<string>().ToList();
            yield return new StoreStockItem(
                listingId.ToString(CultureInfo.InvariantCulture),
                sku is null ? $"{listingId.ToString(CultureInfo.InvariantCulture)}#{index.ToString(CultureInfo.InvariantCulture)}" : VariantId(listingId, sku),
                sku,
                values.Count == 0 ? title : $"{title} ({string.Join(", ", values)})",
                quantity,
                now,
                Price(offering?["price"]));
        }
    }

    /// <summary>Etsy's Money {amount, divisor}.</summary>
    private static decimal? Price(JsonNode? money) =>
        money is JsonObject m && (decimal?)m["amount"] is { } amount && ((decimal?)m["divisor"] ?? 100m) is var divisor and > 0
            ? Math.Round(amount / divisor, 2)
            : null;

    private static (int State, int Offset) ParseToken(string? token)
    {
        if (token is null)
        {
            return (0, 0);
        }

        var parts = token.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var state) && state < States.Length
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? (state, offset)
            : (0, 0);
    }
}
