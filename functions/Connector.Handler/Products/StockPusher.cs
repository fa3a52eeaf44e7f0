using System.Globalization;
using Connector.Messaging;
using Connector.State;
using Connector.TikTok;

namespace Connector.Products;

/// <summary>
/// Store → TikTok stock for the SKUs of one product: reads the SKUs' current rows (so the newest store level is what goes,
/// whatever order the messages come in), applies the shop's rules, and sends one UpdateInventory for the product. The
/// SKU's first TikTok warehouse takes the quantity, any other warehouse 0 (TikTok needs every warehouse of the SKU listed).
/// A row written meanwhile (a newer store level) is read again and pushed again, so a push never leaves an older level.
/// </summary>
public sealed class StockPusher(
    ShopStore shops, ProductStore products, TikTokClient tiktok, PendingUnits pending, ActivityStore activity, TimeProvider time,
    ILogger<StockPusher> logger)
{
    private const int MaxRounds = 3;

    public async Task<WorkOutcome> PushAsync(StockPush message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var shop = await shops.GetAsync(message.ShopId, cancellationToken);
        if (shop is null)
        {
            return new WorkOutcome.Done($"Shop {message.ShopId} is not connected.");
        }

        var settings = await products.GetSettingsAsync(message.ShopId, cancellationToken);
        if (!settings.StockSync && !settings.PriceSync)
        {
            return new WorkOutcome.Done("Stock and price sync are off for this shop.");
        }

        var sent = new Dictionary<string, int>(StringComparer.Ordinal);
        string? moved = null;
        for (var round = 1; settings.StockSync && round <= MaxRounds; round++)
        {
            var rows = await ReadProductAsync(message, cancellationToken);
            var skus = rows.Where(StockPlan.IsPushable).Select(r => r.SellerSku!).ToHashSet(StringComparer.Ordinal);
            var pendingUnits = await pending.CountAsync(message.ShopId, skus, cancellationToken);
            var plan = StockPlan.For(rows, r => StockRules.Quantity(r.StoreAvailable!.Value, pendingUnits.GetValueOrDefault(r.SellerSku!), settings));
            if (plan.IsEmpty)
            {
                break;
            }

            try
            {
                if (plan.Inventory.Count > 0)
                {
                    var update = plan.Inventory.Select(d => new InventoryUpdateSku(d.Row.TikTokSkuId!, StockPlan.Lines(d.Row, d.Quantity))).ToList();
                    await tiktok.UpdateInventoryAsync(shop, message.ProductId, update, cancellationToken);
                }

                if (plan.Deactivate)
                {
                    await tiktok.DeactivateProductAsync(shop, message.ProductId, cancellationToken);
                }
                else if (plan.Activate)
                {
                    await tiktok.ActivateProductAsync(shop, message.ProductId, cancellationToken);
                }
            }
            catch (TikTokApiException e) when (!e.IsTransient)
            {
                return await RefusedAsync(message, plan.Deactivate ? rows : [.. plan.Inventory.Select(d => d.Row)], e, cancellationToken);
            }

            var now = time.GetUtcNow();
            var raced = false;
            foreach (var (row, quantity) in plan.Inventory)
            {
                sent[row.SellerSku!] = quantity;
                row.TikTokQuantity = quantity;
                row.PushedStoreUpdatedAt = row.StoreUpdatedAt;
                row.PushedAt = now;
                row.PushError = null;
            }

            if (plan.Deactivate || plan.Activate)
            {
                moved = plan.Deactivate ? StockPlan.SellerDeactivated : "PENDING";
                foreach (var row in rows)
                {
                    row.HiddenForStock = plan.Deactivate;
                    row.TikTokStatus = moved;
                    row.Status = ProductStatuses.FromTikTok(moved);
                    row.PushError = null;
                }
            }

            // A newer store level landed while this one was sent: read it again and send that one.
            foreach (var row in plan.Deactivate || plan.Activate ? rows : plan.Inventory.Select(d => d.Row))
            {
                raced |= !await products.TryReplaceAsync(row, cancellationToken);
            }

            if (!raced)
            {
                break;
            }
        }

        if (settings.PriceSync)
        {
            await PushPricesAsync(shop, message, settings, cancellationToken);
        }

        if (moved is not null)
        {
            await activity.AddAsync(message.ShopId, ProductActivity.Stock, ProductActivity.Key(message.ProductId), moved == StockPlan.SellerDeactivated
                ? $"Every SKU of product {message.ProductId} is sold out in the store: the product is hidden on TikTok (deactivated; TikTok takes no quantity below 1). Connector activates it again when stock returns."
                : $"Stock is back for product {message.ProductId}: Connector activated it again on TikTok (TikTok reviews it before it is live).", cancellationToken);
        }

        if (sent.Count == 0)
        {
            return new WorkOutcome.Done(moved switch
            {
                StockPlan.SellerDeactivated => $"Product {message.ProductId} is sold out: hidden on TikTok.",
                null => $"TikTok already lists the store's stock of product {message.ProductId}.",
                _ => $"Product {message.ProductId} activated again on TikTok.",
            });
        }

        var text = string.Join(", ", sent.Select(p => $"{p.Key} → {p.Value.ToString(CultureInfo.InvariantCulture)}"));
        if (message.ReceivedAt is { } received)
        {
            ProductsLog.StockPushed(logger, message.ShopId, message.ProductId, sent.Count, (time.GetUtcNow() - received).TotalMilliseconds);
        }

        await activity.AddAsync(message.ShopId, ProductActivity.Stock, ProductActivity.Key(message.ProductId),
            $"Stock sent to TikTok for product {message.ProductId}: {text}.", cancellationToken);
        return new WorkOutcome.Done($"Stock of {sent.Count} SKU(s) of product {message.ProductId} sent to TikTok.");
    }

    /// <summary>Every SKU row of the product (the message's SKUs and their siblings, linked or not): the sold-out decision needs them all.</summary>
    private async Task<List<ProductLinkEntity>> ReadProductAsync(StockPush message, CancellationToken cancellationToken)
    {
        var rows = new List<ProductLinkEntity>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(message.SellerSkus);
        while (queue.TryDequeue(out var sku))
        {
            if (!seen.Add(sku) || await products.GetAsync(message.ShopId, ProductStore.SkuKey(sku), cancellationToken) is not { } row
                || row.TikTokProductId != message.ProductId)
            {
                continue;
            }

            rows.Add(row);
            foreach (var sibling in row.ProductSkuList())
            {
                queue.Enqueue(sibling);
            }
        }

        return rows;
    }

    private async Task<List<ProductLinkEntity>> ReadAsync(StockPush message, CancellationToken cancellationToken)
    {
        var rows = new List<ProductLinkEntity>();
        foreach (var sku in message.SellerSkus.Distinct(StringComparer.Ordinal))
        {
            if (await products.GetAsync(message.ShopId, ProductStore.SkuKey(sku), cancellationToken) is
                { Link: LinkStates.Linked, StoreAvailable: not null, TikTokSkuId: not null } row
                && row.TikTokProductId == message.ProductId && row.WarehouseIds().Any())
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    private async Task<WorkOutcome> RefusedAsync(StockPush message, List<ProductLinkEntity> rows, TikTokApiException e, CancellationToken cancellationToken)
    {
        var reason = $"TikTok refused the stock update ({e.Code}): {e.TikTokMessage}";
        foreach (var row in rows)
        {
            row.PushError = TableLimits.Fit(reason);
            await products.TryReplaceAsync(row, cancellationToken);
        }

        ProductsLog.StockRefused(logger, message.ShopId, message.ProductId, e.Code, e.TikTokMessage);
        await activity.AddAsync(message.ShopId, ProductActivity.StockRefused, ProductActivity.Key(message.ProductId),
            $"{reason} (product {message.ProductId}, SKU {string.Join(", ", rows.Select(r => r.SellerSku))}).", cancellationToken);
        return new WorkOutcome.Failed("STOCK_REFUSED", reason);
    }

    /// <summary>Price sync: the store price under the markup for each linked SKU of a live product whose TikTok price differs.</summary>
    private async Task PushPricesAsync(ShopEntity shop, StockPush message, ProductSettings settings, CancellationToken cancellationToken)
    {
        var rows = (await ReadAsync(message, cancellationToken)).Where(r => StockRules.PriceDue(r, settings)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var prices = rows.ToDictionary(r => r, r => StockRules.Price((decimal)r.StorePrice!.Value, settings));
        var skus = rows.Select(r => new PriceUpdateSku(r.TikTokSkuId!, new PriceAmount(prices[r].ToString("0.00", CultureInfo.InvariantCulture), r.TikTokCurrency!))).ToList();
        try
        {
            await tiktok.UpdatePriceAsync(shop, message.ProductId, skus, cancellationToken);
        }
        catch (TikTokApiException e) when (!e.IsTransient)
        {
            await activity.AddAsync(message.ShopId, ProductActivity.StockRefused, ProductActivity.Key(message.ProductId),
                $"TikTok refused the price update ({e.Code}): {e.TikTokMessage}", cancellationToken);
            return;
        }

        foreach (var row in rows)
        {
            row.TikTokPrice = (double)prices[row];
            await products.TryReplaceAsync(row, cancellationToken);
        }

        await activity.AddAsync(message.ShopId, ProductActivity.Stock, ProductActivity.Key(message.ProductId),
            $"Prices sent to TikTok for product {message.ProductId}: {string.Join(", ", rows.Select(r => $"{r.SellerSku} → {prices[r].ToString("0.00", CultureInfo.InvariantCulture)} {r.TikTokCurrency}"))}.",
            cancellationToken);
    }
}

internal static partial class ProductsLog
{
    [LoggerMessage(150, LogLevel.Information, "Stock of {Count} SKU(s) of product {ProductId} of shop {ShopId} sent to TikTok {LatencyMs} ms after the store change")]
    public static partial void StockPushed(ILogger logger, string shopId, string productId, int count, double latencyMs);

    [LoggerMessage(151, LogLevel.Warning, "TikTok refused the stock of product {ProductId} of shop {ShopId}: {Code} {Message}")]
    public static partial void StockRefused(ILogger logger, string shopId, string productId, int code, string message);
}
