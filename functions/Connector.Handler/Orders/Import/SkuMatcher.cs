using Connector.State;
using Connector.Stores;

namespace Connector.Orders.Import;

/// <summary>
/// Matches each TikTok seller SKU to exactly one store product (exact match; none or several is a failure the merchant
/// sees), through the shop's SKU map: a merchant override first, then a cached lookup, then the store.
/// </summary>
public sealed class SkuMatcher(SkuMapStore skuMap, TimeProvider time)
{
    public async Task<SkuMatchResult> MatchAsync(
        StoreAccess shop, IStoreCatalog store, IReadOnlyList<OrderLineView> lines, bool bypassCache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(lines);
        var result = new SkuMatchResult();
        foreach (var line in lines)
        {
            if (line.SellerSku.Length == 0)
            {
                result.MissingSku.Add(line.ProductName ?? line.SkuId ?? "unnamed product");
                continue;
            }

            if (result.Matched.ContainsKey(line.SellerSku))
            {
                continue;
            }

            // A retry reads the map as stored (the merchant may just have mapped this SKU, maybe on another instance).
            var entry = bypassCache
                ? await skuMap.GetAsync(shop.ShopId, line.SellerSku, cancellationToken)
                : await skuMap.GetRecentAsync(shop.ShopId, line.SellerSku, cancellationToken);
            var now = time.GetUtcNow();
            if (!bypassCache && entry is { StoreProductId: { } cachedId } && now - entry.CachedAt < SkuMapStore.CacheLifetime)
            {
                result.Matched[line.SellerSku] = new StoreProduct(cachedId, entry.StoreSku ?? line.SellerSku, entry.Title);
                continue;
            }

            var storeSku = entry?.OverrideStoreSku is { Length: > 0 } overrideSku ? overrideSku : line.SellerSku;
            var products = await store.FindProductsBySkuAsync(shop, storeSku, cancellationToken);
            switch (products.Count)
            {
                case 0:
                    result.FailingSkus.Add(line.SellerSku);
                    result.NotFound.Add(storeSku == line.SellerSku ? line.SellerSku : $"{line.SellerSku} (mapped to {storeSku})");
                    break;
                case 1:
                    result.Matched[line.SellerSku] = products[0];
                    await skuMap.UpsertAsync(shop.ShopId, new SkuMapEntity
                    {
                        SellerSku = line.SellerSku,
                        StoreProductId = products[0].Id,
                        StoreSku = storeSku,
                        Title = products[0].Title,
                        OverrideStoreSku = entry?.OverrideStoreSku,
                        CachedAt = now,
                    }, cancellationToken);
                    break;
                default:
                    result.FailingSkus.Add(line.SellerSku);
                    result.Ambiguous.Add($"{storeSku} ({products.Count} products)");
                    break;
            }
        }

        return result;
    }
}

public sealed class SkuMatchResult
{
    public Dictionary<string, StoreProduct> Matched { get; } = new(StringComparer.Ordinal);
    public List<string> NotFound { get; } = [];
    public List<string> Ambiguous { get; } = [];
    public List<string> MissingSku { get; } = [];

    /// <summary>The TikTok seller SKUs that did not match (what a SKU mapping would fix).</summary>
    public List<string> FailingSkus { get; } = [];

    public bool IsComplete => NotFound.Count == 0 && Ambiguous.Count == 0 && MissingSku.Count == 0;

    /// <summary>The failure in the merchant's words, e.g. "SKU ABC-1 not found in your Shopify store".</summary>
    public (string Code, string Reason) Failure(string platformName)
    {
        var parts = new List<string>();
        if (NotFound.Count > 0)
        {
            parts.Add($"SKU not found: {string.Join(", ", NotFound)} — no product in your {platformName} store has {(NotFound.Count == 1 ? "this SKU" : "these SKUs")}");
        }

        if (Ambiguous.Count > 0)
        {
            parts.Add($"SKU ambiguous: {string.Join(", ", Ambiguous)} — several products in your {platformName} store share {(Ambiguous.Count == 1 ? "this SKU" : "these SKUs")}");
        }

        if (MissingSku.Count > 0)
        {
            parts.Add($"SKU missing on TikTok for: {string.Join(", ", MissingSku)} — set a seller SKU on the TikTok product");
        }

        var code = NotFound.Count > 0 ? "SKU_NOT_FOUND" : Ambiguous.Count > 0 ? "SKU_AMBIGUOUS" : "SKU_MISSING";
        return (code, string.Join(". ", parts) + ".");
    }
}
