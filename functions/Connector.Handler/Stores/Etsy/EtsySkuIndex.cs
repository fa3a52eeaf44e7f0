using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Connector.State;
using Microsoft.Extensions.Options;

namespace Connector.Stores.Etsy;

/// <summary>
/// Etsy has no search by SKU (store-apis.md §3.2), so each shop gets an index in Table Storage (<c>EtsySkus</c>, partition
/// = shop id) built from its active listings' inventories (<c>getListingsByShop?includes=Inventory</c>, the owner sees
/// SKUs). Refreshed incrementally: listings newest-updated first, stopping at the last watermark; a full scan at least
/// daily also forgets listings that went away. A SKU found on several listings (or variations) is reported as such.
/// </summary>
public sealed class EtsySkuIndex(StateTables tables, EtsyApi api, IOptions<EtsyOptions> options, TimeProvider time, ILogger<EtsySkuIndex> logger)
{
    public const string Table = "EtsySkus";
    private const string MetaKey = "meta";

    public sealed record Hit(long ListingId, int Variations, string? Title);

    public async Task<IReadOnlyList<Hit>> FindAsync(StoreAccess shop, string sku, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var refreshed = await RefreshAsync(shop, force: false, cancellationToken);
        var hits = await LookupAsync(shop, sku, cancellationToken);
        if (hits.Count == 0 && !refreshed)
        {
            // A SKU added on Etsy a moment ago: one more incremental pass before calling it missing.
            await RefreshAsync(shop, force: true, cancellationToken);
            hits = await LookupAsync(shop, sku, cancellationToken);
        }

        return hits;
    }

    private async Task<List<Hit>> LookupAsync(StoreAccess shop, string sku, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var prefix = SkuPrefix(sku);
        var hits = new List<Hit>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == shop.ShopId && e.RowKey.CompareTo(prefix) >= 0 && e.RowKey.CompareTo(prefix + "~") < 0, cancellationToken: cancellationToken))
        {
            hits.Add(new Hit(row.GetInt64("ListingId") ?? 0, row.GetInt32("Variations") ?? 1, row.GetString("Title")));
        }

        return hits;
    }

    /// <summary>Brings the index up to date; false when it was fresh enough and nothing was read.</summary>
    public async Task<bool> RefreshAsync(StoreAccess shop, bool force, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var table = await tables.GetAsync(Table, cancellationToken);
        var metaResponse = await table.GetEntityIfExistsAsync<TableEntity>(shop.ShopId, MetaKey, cancellationToken: cancellationToken);
        var meta = metaResponse.HasValue ? metaResponse.Value! : new TableEntity(shop.ShopId, MetaKey);
        var now = time.GetUtcNow();
        var refreshedAt = meta.GetDateTimeOffset("RefreshedAt");
        if (!force && refreshedAt is { } last && now - last < settings.SkuIndexRefreshInterval && meta.GetString("AccountId") == shop.AccountId)
        {
            return false;
        }

        var full = meta.GetDateTimeOffset("FullScanAt") is not { } fullAt || now - fullAt >= settings.SkuIndexFullScanInterval
            || meta.GetString("AccountId") != shop.AccountId;
        var watermark = full ? 0 : meta.GetInt64("Watermark") ?? 0;
        var newWatermark = watermark;
        var seen = new HashSet<long>();
        var (read, changed) = (0, 0);
        for (var offset = 0; ; offset += 100)
        {
            var page = await api.GetAsync(shop,
                $"/v3/application/shops/{shop.AccountId}/listings?state=active&includes=Inventory&limit=100&offset={offset}&sort_on=updated&sort_order=desc",
                cancellationToken);
            var results = (page?["results"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var stop = results.Count < 100;
            foreach (var listing in results)
            {
                var updated = (long?)listing["last_modified_timestamp"] ?? (long?)listing["updated_timestamp"] ?? 0;
                if (!full && updated < watermark)
                {
                    stop = true;
                    break;
                }

                read++;
                var id = (long?)listing["listing_id"] ?? 0;
                seen.Add(id);
                newWatermark = Math.Max(newWatermark, updated);
                if (await IndexListingAsync(table, shop.ShopId, id, (string?)listing["title"], EtsyInventory.SkuCounts(listing["inventory"]), cancellationToken))
                {
                    changed++;
                }
            }

            if (stop)
            {
                break;
            }
        }

        if (full)
        {
            await foreach (var row in table.QueryAsync<TableEntity>(
                e => e.PartitionKey == shop.ShopId && e.RowKey.CompareTo("l|") >= 0 && e.RowKey.CompareTo("l}") < 0, cancellationToken: cancellationToken))
            {
                var id = row.GetInt64("ListingId") ?? 0;
                if (!seen.Contains(id) && await IndexListingAsync(table, shop.ShopId, id, null, [], cancellationToken))
                {
                    changed++;
                }
            }

            meta["FullScanAt"] = now;
        }

        meta["Watermark"] = newWatermark;
        meta["RefreshedAt"] = now;
        meta["AccountId"] = shop.AccountId;
        await table.UpsertEntityAsync(meta, TableUpdateMode.Replace, cancellationToken);
        EtsyLog.IndexRefreshed(logger, shop.ShopId, full ? "full" : "incremental", read, changed);
        return true;
    }

    /// <summary>Replaces one listing's SKU rows; true when they changed. An empty <paramref name="skus"/> removes the listing.</summary>
    private static async Task<bool> IndexListingAsync(TableClient table, string shopId, long listingId, string? title, Dictionary<string, int> skus, CancellationToken cancellationToken)
    {
        var listingKey = "l|" + listingId.ToString(CultureInfo.InvariantCulture);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(shopId, listingKey, cancellationToken: cancellationToken);
        var before = existing.HasValue && existing.Value!.GetString("Skus") is { } json
            ? JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? []
            : [];
        if (before.Count == skus.Count && before.All(b => skus.TryGetValue(b.Key, out var n) && n == b.Value))
        {
            return false;
        }

        foreach (var sku in before.Keys.Where(k => !skus.ContainsKey(k)))
        {
            await table.DeleteEntityAsync(shopId, SkuPrefix(sku) + listingId.ToString(CultureInfo.InvariantCulture), ETag.All, cancellationToken);
        }

        foreach (var (sku, count) in skus)
        {
            await table.UpsertEntityAsync(new TableEntity(shopId, SkuPrefix(sku) + listingId.ToString(CultureInfo.InvariantCulture))
            {
                ["ListingId"] = listingId,
                ["Variations"] = count,
                ["Title"] = title,
            }, TableUpdateMode.Replace, cancellationToken);
        }

        if (skus.Count == 0)
        {
            await table.DeleteEntityAsync(shopId, listingKey, ETag.All, cancellationToken);
        }
        else
        {
            await table.UpsertEntityAsync(new TableEntity(shopId, listingKey)
            {
                ["ListingId"] = listingId,
                ["Skus"] = JsonSerializer.Serialize(skus),
            }, TableUpdateMode.Replace, cancellationToken);
        }

        return true;
    }

    /// <summary><c>s|{sku}|</c> with the key-forbidden characters and '|' escaped, so one SKU's rows share an exact prefix.</summary>
    internal static string SkuPrefix(string sku) => "s|" + KeyEncoding.Encode(sku).Replace("|", "%7C", StringComparison.Ordinal) + "|";
}
