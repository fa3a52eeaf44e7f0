using Connector.Messaging;
using Connector.State;
using Connector.Stores;
using Connector.TikTok;

namespace Connector.Products;

/// <summary>
/// "Sync Shop Status" and the periodic scan: reads every TikTok product of the shop (SearchProducts, GetProduct for the
/// audit reasons of Failed ones) and the store's catalogue with stock, links SKUs by seller SKU through the merchant's SKU
/// mappings (State/SkuMapStore overrides, as orders do), writes what changed, and queues a stock push for every product
/// whose TikTok quantity is not what the store's stock and the shop's rules say.
/// </summary>
public sealed class ProductSync(
    ShopStore shops, ProductStore products, SkuMapStore skuMap, TikTokClient tiktok, StoreClients stores,
    PendingUnits pending, IQueueSender queue, ActivityStore activity, TimeProvider time)
{
    public const int TikTokPageSize = 100;
    private const int MaxStatusActivities = 20;

    public async Task<string> RunAsync(ProductSyncJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var shop = await shops.GetAsync(job.ShopId, cancellationToken);
        if (shop is null)
        {
            return $"Shop {job.ShopId} is not connected.";
        }

        var run = await products.GetRunAsync(job.ShopId, cancellationToken) ?? new ProductSyncRunEntity { PartitionKey = job.ShopId };
        if (run.RunId != job.RunId)
        {
            run = new ProductSyncRunEntity { PartitionKey = job.ShopId, RunId = job.RunId, Trigger = job.Trigger, StartedAt = time.GetUtcNow() };
        }

        run.Phase = "tiktok";
        await products.SaveRunAsync(run, cancellationToken);

        var tiktokProducts = await ReadTikTokAsync(shop, run, cancellationToken);
        var stock = stores.Stock(shop.Platform);
        run.Phase = "store";
        await products.SaveRunAsync(run, cancellationToken);
        var storeItems = stock is null ? [] : await ReadStoreAsync(StoreAccess.From(shop), stock, cancellationToken);
        run.StoreVariants = storeItems.Count;

        var overrides = (await skuMap.ListOverridesAsync(job.ShopId, cancellationToken))
            .ToDictionary(o => o.SellerSku, o => o.OverrideStoreSku!, StringComparer.Ordinal);
        var existing = (await products.ListAsync(job.ShopId, cancellationToken)).ToDictionary(r => r.RowKey, StringComparer.Ordinal);
        var platformName = stores.DisplayName(shop.Platform);
        var now = time.GetUtcNow();
        var rows = Link(tiktokProducts, storeItems, overrides, platformName, stock is not null, existing, now);
        run.Linked = rows.Count(r => r.Link == LinkStates.Linked);

        var changed = rows.Where(r => !existing.TryGetValue(r.RowKey, out var old) || Signature(old) != Signature(r)).ToList();
        var keep = rows.Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
        var gone = existing.Keys.Where(k => !keep.Contains(k)).ToList();
        await products.WriteAsync(job.ShopId, changed, gone, cancellationToken);

        var settings = await products.GetSettingsAsync(job.ShopId, cancellationToken);
        var pushes = settings.StockSync || settings.PriceSync ? await PushesAsync(job.ShopId, job.RunId, rows, settings, cancellationToken) : [];
        if (pushes.Count > 0)
        {
            await queue.SendAsync(pushes, cancellationToken);
        }

        run.StockUpdatesQueued = pushes.Count;
        run.Phase = "finished";
        run.FinishedAt = time.GetUtcNow();
        await products.SaveRunAsync(run, cancellationToken);

        var statusChanges = rows
            .Where(r => r.TikTokProductId is not null && existing.TryGetValue(r.RowKey, out var old) && old.Status != r.Status)
            .DistinctBy(r => r.TikTokProductId)
            .Take(MaxStatusActivities);
        foreach (var row in statusChanges)
        {
            await activity.AddAsync(job.ShopId, ProductActivity.StatusChange, ProductActivity.Key(row.TikTokProductId!),
                $"{row.TikTokTitle}: TikTok status {ProductStatuses.Label(row.Status)} ({row.TikTokStatus}).", cancellationToken);
        }

        var summary = $"Products synced from TikTok: {tiktokProducts.Count} product(s), {storeItems.Count} {platformName} variant(s), "
            + $"{run.Linked} SKU(s) linked, {rows.Count(r => r.Link is LinkStates.NotInStore or LinkStates.Ambiguous or LinkStates.NoSku)} not linked, "
            + $"{pushes.Count} stock update(s) queued.";
        await activity.AddAsync(job.ShopId, ProductActivity.Sync, null, summary, cancellationToken);
        return summary;
    }

    private async Task<List<TikTokProduct>> ReadTikTokAsync(ShopEntity shop, ProductSyncRunEntity run, CancellationToken cancellationToken)
    {
        var result = new List<TikTokProduct>();
        string? token = null;
        do
        {
            var page = await tiktok.SearchProductsAsync(shop, token, TikTokPageSize, cancellationToken);
            foreach (var product in page.Products ?? [])
            {
                // The search carries no audit result: a Failed product is read whole for TikTok's reasons.
                result.Add(product.Status == "FAILED" ? await tiktok.GetProductAsync(shop, product.Id, cancellationToken) : product);
            }

            run.TikTokProducts = result.Count;
            token = string.IsNullOrEmpty(page.NextPageToken) ? null : page.NextPageToken;
        }
        while (token is not null);
        return result;
    }

    private static async Task<List<StoreStockItem>> ReadStoreAsync(StoreAccess access, IStoreStock stock, CancellationToken cancellationToken)
    {
        var result = new List<StoreStockItem>();
        string? token = null;
        do
        {
            var page = await stock.ListStockAsync(access, token, cancellationToken);
            result.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);
        return result;
    }

    /// <summary>
    /// The link, by seller SKU: a TikTok SKU takes the one store variant whose SKU is its own (or the one a SKU mapping names);
    /// none or several is a reason the merchant sees. Store variants no TikTok SKU takes are Not Uploaded.
    /// </summary>
    internal static List<ProductLinkEntity> Link(
        IReadOnlyList<TikTokProduct> tiktokProducts, IReadOnlyList<StoreStockItem> storeItems, IReadOnlyDictionary<string, string> overrides,
        string platformName, bool storeReadable, IReadOnlyDictionary<string, ProductLinkEntity> existing, DateTimeOffset now)
    {
        var bySku = storeItems.Where(i => i.Sku is not null).ToLookup(i => i.Sku!, StringComparer.Ordinal);
        var tiktokSkus = tiktokProducts.SelectMany(p => (p.Skus ?? []).Select(s => (Product: p, Sku: s))).ToList();
        var sellerSkuCounts = tiktokSkus.Where(t => !string.IsNullOrEmpty(t.Sku.SellerSku)).GroupBy(t => t.Sku.SellerSku!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var rows = new Dictionary<string, ProductLinkEntity>(StringComparer.Ordinal);
        foreach (var (product, sku) in tiktokSkus)
        {
            var key = string.IsNullOrEmpty(sku.SellerSku) ? "n|" + KeyEncoding.Encode(sku.Id) : ProductStore.SkuKey(sku.SellerSku);
            if (rows.ContainsKey(key))
            {
                continue;
            }

            var old = existing.GetValueOrDefault(key);
            var row = new ProductLinkEntity
            {
                RowKey = key,
                SellerSku = sku.SellerSku,
                TikTokProductId = product.Id,
                TikTokSkuId = sku.Id,
                TikTokTitle = product.Title,
                TikTokStatus = product.Status,
                TikTokUpdateTime = product.UpdateTime,
                Status = ProductStatuses.FromTikTok(product.Status),
                AuditReasons = AuditText(product),
                Warehouses = string.Join(',', (sku.Inventory ?? []).Select(i => i.WarehouseId).Where(w => !string.IsNullOrEmpty(w))),
                TikTokQuantity = (sku.Inventory ?? []).Sum(i => i.Quantity),
                TikTokCurrency = sku.Price?.Currency,
                TikTokPrice = StockRules.ParsePrice(sku.Price?.TaxExclusivePrice ?? sku.Price?.SalePrice),
                PushedStoreUpdatedAt = old?.PushedStoreUpdatedAt,
                PushedAt = old?.PushedAt,
                PushError = old?.PushError,
                HiddenForStock = old?.HiddenForStock == true && product.Status == StockPlan.SellerDeactivated,
                SyncedAt = now,
            };
            rows[key] = row;
            if (string.IsNullOrEmpty(sku.SellerSku))
            {
                row.Link = LinkStates.NoSku;
                row.LinkReason = "The TikTok SKU has no seller SKU: set one on TikTok to link it.";
                continue;
            }

            var storeSku = overrides.GetValueOrDefault(sku.SellerSku) is { Length: > 0 } mapped ? mapped : sku.SellerSku;
            taken.Add(storeSku);
            var matches = bySku[storeSku].ToList();
            if (sellerSkuCounts[sku.SellerSku] > 1)
            {
                row.Link = LinkStates.Ambiguous;
                row.LinkReason = $"{sellerSkuCounts[sku.SellerSku]} TikTok SKUs share seller SKU {sku.SellerSku}.";
            }
            else if (!storeReadable)
            {
                row.Link = LinkStates.NotInStore;
                row.LinkReason = $"Connector cannot read the {platformName} catalogue yet.";
            }
            else if (matches.Count == 0)
            {
                row.Link = LinkStates.NotInStore;
                row.LinkReason = storeSku == sku.SellerSku
                    ? $"No product in your {platformName} store has SKU {storeSku}."
                    : $"No product in your {platformName} store has SKU {storeSku} (mapped from {sku.SellerSku}).";
            }
            else if (matches.Count > 1)
            {
                row.Link = LinkStates.Ambiguous;
                row.LinkReason = $"{matches.Count} products in your {platformName} store share SKU {storeSku}.";
            }
            else
            {
                row.Link = LinkStates.Linked;
                SetStore(row, matches[0], old);
            }
        }

        foreach (var product in rows.Values.Where(r => r.TikTokProductId is not null && r.SellerSku is not null).GroupBy(r => r.TikTokProductId))
        {
            // Seller SKUs never hold ',' in practice; one that does is pushed alone.
            var siblings = string.Join(',', product.Select(r => r.SellerSku).Where(s => !s!.Contains(',', StringComparison.Ordinal)));
            foreach (var row in product)
            {
                row.ProductSkus = TableLimits.Fit(siblings);
            }
        }

        foreach (var item in storeItems.Where(i => i.Sku is null || !taken.Contains(i.Sku)))
        {
            var key = ProductStore.StoreOnlyKey(item.VariantId);
            var row = new ProductLinkEntity
            {
                RowKey = key,
                Link = LinkStates.StoreOnly,
                Status = ProductStatuses.NotUploaded,
                LinkReason = item.Sku is null ? $"The {platformName} variant has no SKU." : $"No TikTok product has seller SKU {item.Sku}.",
                SyncedAt = now,
            };
            SetStore(row, item, existing.GetValueOrDefault(key));
            rows[key] = row;
        }

        return [.. rows.Values];
    }

    /// <summary>The store side, never going back to an older level than a webhook already wrote.</summary>
    private static void SetStore(ProductLinkEntity row, StoreStockItem item, ProductLinkEntity? old)
    {
        row.StoreProductId = item.ProductId;
        row.StoreVariantId = item.VariantId;
        row.StoreSku = item.Sku;
        row.StoreTitle = item.Title;
        row.StorePrice = item.Price is { } price ? (double)price : null;
        if (old?.StoreVariantId == item.VariantId && old.StoreUpdatedAt is { } seen && seen > item.UpdatedAt)
        {
            row.StoreAvailable = old.StoreAvailable;
            row.StoreUpdatedAt = seen;
        }
        else
        {
            row.StoreAvailable = item.Available;
            row.StoreUpdatedAt = item.UpdatedAt;
        }
    }

    private static string? AuditText(TikTokProduct product)
    {
        var reasons = (product.AuditFailedReasons ?? [])
            .SelectMany(f => (f.Reasons ?? []).Select(r => f.Position is { Length: > 0 } p ? $"{p}: {r}" : r))
            .ToList();
        return reasons.Count == 0 ? null : TableLimits.Fit(string.Join(" | ", reasons));
    }

    private async Task<List<QueueMessage>> PushesAsync(string shopId, string runId, IReadOnlyList<ProductLinkEntity> rows, ProductSettings settings, CancellationToken cancellationToken)
    {
        if (!rows.Any(StockPlan.IsPushable))
        {
            return [];
        }

        var pendingUnits = await pending.CountAsync(shopId, null, cancellationToken);
        var messages = new List<QueueMessage>();
        foreach (var product in rows.Where(r => r.TikTokProductId is not null).GroupBy(r => r.TikTokProductId!))
        {
            var plan = settings.StockSync
                ? StockPlan.For([.. product], r => StockRules.Quantity(r.StoreAvailable!.Value, pendingUnits.GetValueOrDefault(r.SellerSku!), settings))
                : StockPlan.Nothing;
            if (plan.IsEmpty && !(settings.PriceSync && product.Any(r => StockRules.PriceDue(r, settings))))
            {
                continue;
            }

            // The pusher reads the product's siblings itself: the message names the SKUs to look at first.
            var skus = product.Where(r => r.SellerSku is not null).ToList();
            foreach (var chunk in skus.Chunk(100))
            {
                messages.Add(new StockPush
                {
                    ShopId = shopId,
                    ProductId = product.Key,
                    SellerSkus = [.. chunk.Select(r => r.SellerSku!)],
                    Stamp = chunk.Max(r => r.StoreUpdatedAt ?? DateTimeOffset.MinValue).ToUnixTimeMilliseconds(),
                    RunId = runId,
                });
            }
        }

        return messages;
    }

    /// <summary>What the page shows of a row: a row whose signature did not change is not written again.</summary>
    private static string Signature(ProductLinkEntity r) => string.Join('\u001f',
        r.SellerSku, r.Link, r.LinkReason, r.Status, r.TikTokProductId, r.TikTokSkuId, r.ProductSkus, r.TikTokTitle, r.TikTokStatus, r.AuditReasons, r.Warehouses,
        r.TikTokQuantity, r.StoreProductId, r.StoreVariantId, r.StoreSku, r.StoreTitle, r.StoreAvailable, r.StorePrice, r.StoreUpdatedAt, r.PushError, r.HiddenForStock, r.TikTokPrice);
}

public static class ProductActivity
{
    public const string Sync = "products";
    public const string StatusChange = "product-status";
    public const string Stock = "stock";
    public const string StockRefused = "stock-refused";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Sync] = "Products",
        [StatusChange] = "Product status",
        [Stock] = "Stock to TikTok",
        [StockRefused] = "Stock refused",
    };

    /// <summary>The activity key of one product's history.</summary>
    public static string Key(string tiktokProductId) => "product:" + tiktokProductId;
}

/// <summary>Starts a sync run (Sync Shop Status, the timer), or joins the one in progress: repeated presses start nothing new.</summary>
public sealed class ProductSyncStarter(ProductStore products, IQueueSender queue, TimeProvider time)
{
    /// <summary>A run silent this long is over (the next press starts a new one).</summary>
    public static readonly TimeSpan JoinWindow = TimeSpan.FromMinutes(2);

    public async Task<(ProductSyncRunEntity Run, bool Joined)> StartAsync(string shopId, string trigger, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = await products.GetRunAsync(shopId, cancellationToken);
        if (current is { FinishedAt: null } && now - (current.Timestamp ?? current.StartedAt) < JoinWindow)
        {
            return (current, true);
        }

        var runId = (trigger == ProductSyncJob.MerchantTrigger ? "m" : "t") + now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var run = new ProductSyncRunEntity { PartitionKey = shopId, RunId = runId, Trigger = trigger, StartedAt = now };
        await products.SaveRunAsync(run, cancellationToken);
        await queue.SendAsync(new ProductSyncJob { ShopId = shopId, RunId = runId, Trigger = trigger }, cancellationToken);
        return (run, false);
    }
}

/// <summary>The periodic scan, every platform's safety net for lost or absent stock webhooks: one sync job per connected shop.</summary>
public sealed class ProductScanFanOut(Orders.Shops.ShopFanOut fanOut)
{
    public Task<int> FanOutAsync(DateTimeOffset slot, CancellationToken cancellationToken)
    {
        var runId = Orders.Shops.ShopFanOut.RunId(slot);
        return fanOut.SendAsync(shop => new ProductSyncJob { ShopId = shop.ShopId, RunId = runId, Trigger = "timer" }, cancellationToken);
    }
}
