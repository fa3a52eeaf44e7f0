using Connector.Messaging;
using Connector.State;
using Connector.Stores;

namespace Connector.Products;

/// <summary>
/// A store stock webhook's work: read the variant's current stock, store it on its row if it is newer than what the row
/// holds (webhooks arrive late and out of order), and push it to TikTok at once when the SKU is linked.
/// </summary>
public sealed class StockChanges(ShopStore shops, ProductStore products, StoreClients stores, IQueueSender queue, TimeProvider time)
{
    /// <summary>
    /// Changes to one product's SKUs stored within one window go to TikTok in one UpdateInventory: the push is scheduled
    /// for the window's end, and its id (product + window) makes every later change of the window the same message.
    /// </summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(500);

    public async Task<WorkOutcome> ApplyAsync(StoreStockChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var shop = await shops.GetAsync(change.ShopId, cancellationToken);
        if (shop is null || stores.Stock(shop.Platform) is not { } stock)
        {
            return new WorkOutcome.Done("No store catalogue to read for this shop.");
        }

        var item = await stock.GetStockOfItemAsync(StoreAccess.From(shop), change.ItemId, cancellationToken);
        if (item is null)
        {
            return new WorkOutcome.Done($"The store has no variant for {change.ItemId}.");
        }

        var version = change.ChangedAt > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(change.ChangedAt) : item.UpdatedAt;
        for (var attempt = 1; attempt <= ConditionalUpdate.MaxAttempts; attempt++)
        {
            var row = await FindRowAsync(change.ShopId, item, cancellationToken);
            if (row is null)
            {
                return new WorkOutcome.Done($"SKU {item.Sku ?? item.VariantId} is not in the catalogue link yet; the next sync adds it.");
            }

            if (row.StoreUpdatedAt is { } seen && seen >= version)
            {
                return new WorkOutcome.Done($"An equal or newer stock level of {row.SellerSku ?? row.StoreSku} is already known.");
            }

            row.StoreAvailable = item.Available;
            row.StoreUpdatedAt = version;
            if (!await products.TryReplaceAsync(row, cancellationToken))
            {
                continue;
            }

            if (row.Link != LinkStates.Linked || row.TikTokProductId is null || row.SellerSku is null)
            {
                return new WorkOutcome.Done($"Stock of {row.StoreSku} stored; it is not linked to a TikTok SKU ({row.LinkReason}).");
            }

            // The window is taken after the row is written, so the push (at the window's end) reads this level.
            var window = time.GetUtcNow().ToUnixTimeMilliseconds() / (long)BatchWindow.TotalMilliseconds;
            var skus = row.ProductSkuList();
            await queue.SendAsync(new StockPush
            {
                ShopId = change.ShopId,
                ProductId = row.TikTokProductId,
                SellerSkus = skus.Count is > 0 and <= 100 ? skus : [row.SellerSku],
                Stamp = window,
                FromWebhook = true,
                ReceivedAt = change.ReceivedAt,
                NotBefore = DateTimeOffset.FromUnixTimeMilliseconds((window + 1) * (long)BatchWindow.TotalMilliseconds),
            }, cancellationToken);
            return new WorkOutcome.Done($"Stock of {row.SellerSku} ({item.Available}) stored; TikTok gets it with the product's other changes of this moment.");
        }

        throw new StateContendedException($"The stock row of {item.Sku ?? item.VariantId}", ConditionalUpdate.MaxAttempts);
    }

    /// <summary>The row of the variant: its own SKU's row when that is the one linked to it, else the row naming the variant (mapped SKUs, Not Uploaded).</summary>
    private async Task<ProductLinkEntity?> FindRowAsync(string shopId, StoreStockItem item, CancellationToken cancellationToken)
    {
        if (item.Sku is not null && await products.GetAsync(shopId, ProductStore.SkuKey(item.Sku), cancellationToken) is { } own && own.StoreVariantId == item.VariantId)
        {
            return own;
        }

        return await products.FindByVariantAsync(shopId, item.VariantId, cancellationToken);
    }
}

/// <summary>A store stock webhook; retried with growing pauses when the store or TikTok does not answer.</summary>
public sealed class StoreStockChangeHandler(StockChanges changes) : IQueueWorkHandler<StoreStockChange>
{
    public bool Reschedules => true;

    public Task<WorkOutcome> HandleAsync(StoreStockChange message, Delivery delivery, CancellationToken cancellationToken) =>
        changes.ApplyAsync(message, cancellationToken);
}
