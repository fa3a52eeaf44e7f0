using Connector.Messaging;
using Connector.State;
using Connector.TikTok;

namespace Connector.Products;

/// <summary>
/// PRODUCT_STATUS_CHANGE (5), PRODUCT_AUDIT_STATUS_CHANGE (37) and PRODUCT_INFORMATION_CHANGE (15) keep the Products page
/// current between syncs: the product is read again (webhooks are hints) and its rows take its status, audit reasons and
/// title — unless they already hold a newer update. A product Connector has not linked yet starts a sync.
/// </summary>
public sealed class ProductChanges(ShopStore shops, ProductStore products, TikTokClient tiktok, ProductSyncStarter starter, ActivityStore activity)
{
    /// <summary>"The current product status does not support this operation" (FREEZE, DELETED).</summary>
    public const int StatusDoesNotAllow = 21011001;

    public async Task<WorkOutcome> ApplyAsync(ProductChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var shop = await shops.GetAsync(change.ShopId, cancellationToken);
        if (shop is null)
        {
            return new WorkOutcome.Done($"Shop {change.ShopId} is not connected.");
        }

        var rows = await products.FindByProductAsync(change.ShopId, change.ProductId, cancellationToken);
        if (rows.Count == 0)
        {
            var (run, joined) = await starter.StartAsync(change.ShopId, "webhook", cancellationToken);
            return new WorkOutcome.Done($"Product {change.ProductId} is new to Connector: sync {run.RunId} {(joined ? "joined" : "started")}.");
        }

        TikTokProduct? product;
        try
        {
            product = await tiktok.GetProductAsync(shop, change.ProductId, cancellationToken);
        }
        catch (TikTokApiException e) when (e.Code == StatusDoesNotAllow)
        {
            // GetProduct reads every product "except those in the FREEZE or DELETED status" (product.json): either is Inactive.
            product = new TikTokProduct(change.ProductId, rows[0].TikTokTitle, "FREEZE", null, change.UpdateTime,
                change.Reason is { Length: > 0 } reason ? [new TikTokAuditFailure(null, [reason], null)] : null);
        }
        catch (TikTokApiException e) when (!e.IsTransient)
        {
            return new WorkOutcome.Done($"TikTok did not give product {change.ProductId} ({e.Code} {e.TikTokMessage}); the next sync reads it again.");
        }

        var status = ProductStatuses.FromTikTok(product.Status);
        var audit = string.Join(" | ", (product.AuditFailedReasons ?? []).SelectMany(f => (f.Reasons ?? []).Select(r => f.Position is { Length: > 0 } p ? $"{p}: {r}" : r)));
        var changed = 0;
        foreach (var row in rows)
        {
            if (row.TikTokUpdateTime > Math.Max(product.UpdateTime, change.UpdateTime))
            {
                continue;
            }

            var before = row.Status;
            row.TikTokStatus = product.Status;
            row.Status = row.Link == LinkStates.StoreOnly ? row.Status : status;
            row.TikTokTitle = product.Title ?? row.TikTokTitle;
            row.AuditReasons = audit.Length == 0 ? null : TableLimits.Fit(audit);
            row.TikTokUpdateTime = Math.Max(product.UpdateTime, change.UpdateTime);
            if (await products.TryReplaceAsync(row, cancellationToken) && before != row.Status)
            {
                changed++;
            }
        }

        if (changed > 0)
        {
            await activity.AddAsync(change.ShopId, ProductActivity.StatusChange, ProductActivity.Key(change.ProductId),
                $"{product.Title}: TikTok status {ProductStatuses.Label(status)} ({product.Status}){(audit.Length > 0 ? $" — {audit}" : "")}.", cancellationToken);
        }

        return new WorkOutcome.Done($"Product {change.ProductId}: {ProductStatuses.Label(status)}.");
    }
}

/// <summary>A TikTok product webhook's work.</summary>
public sealed class ProductChangeHandler(ProductChanges changes) : IQueueWorkHandler<ProductChange>
{
    public bool Reschedules => true;

    public Task<WorkOutcome> HandleAsync(ProductChange message, Delivery delivery, CancellationToken cancellationToken) =>
        changes.ApplyAsync(message, cancellationToken);
}
