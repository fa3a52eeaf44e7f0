using System.Globalization;
using Connector.Diagnostics;
using Connector.Messaging;
using Connector.Orders.Actions;
using Connector.State;
using Connector.Stores;
using Connector.TikTok;

namespace Connector.Orders.Refunds;

/// <summary>
/// Carries a refund TikTok completed to the store order, once per return. The order row says what is left to do: the return
/// waiting for its store refund (<see cref="OrderEntity.RefundPendingReturnId"/>), the returns already refunded in the store
/// (<see cref="OrderEntity.StoreRefundedReturnIds"/>), and whether an attempt already started (so a step the store cannot
/// recognise as a repeat, PrestaShop's stock change, is not done twice). The store's own key does the rest: Shopify's
/// <c>@idempotent</c> key and refund note, PrestaShop's Refunded state, Etsy's ledger. A store refusal shows on the order
/// (timeline and issue) and the work comes back with growing pauses, like any order work the store does not take.
/// </summary>
public sealed class StoreRefunds(ShopStore shops, OrderStore orders, StoreClients stores, TimeProvider time, ILogger<StoreRefunds> logger)
{
    public async Task<WorkOutcome> RunAsync(RefundWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var shop = await shops.GetAsync(work.ShopId, cancellationToken);
        var row = shop is null ? null : await orders.GetAsync(shop.ShopId, work.OrderId, cancellationToken);
        if (shop is null || row is null)
        {
            return new WorkOutcome.Done($"Order {work.OrderId} of shop {work.ShopId} is not known; refund of return {work.ReturnId} ignored.");
        }

        if (IsRefunded(row, work.ReturnId))
        {
            return new WorkOutcome.Done($"Return {work.ReturnId} of order {work.OrderId} is already refunded in the store.");
        }

        var summary = ReturnSummary.Parse(row.ReturnJson);
        if (summary is null || summary.ReturnId != work.ReturnId || !TikTokReturnStatus.IsRefunded(summary.Status))
        {
            return new WorkOutcome.Done($"Order {work.OrderId} shows no refunded return {work.ReturnId}; nothing to carry to the store.");
        }

        if (row.StoreOrderId is null || !stores.Supports(shop.Platform))
        {
            var why = $"Return {work.ReturnId} refunded on TikTok; order {work.OrderId} has no store order, so there is nothing to refund in the store.";
            await FinishAsync(shop.ShopId, work, ActivityKinds.Action, why, cancellationToken);
            RefundLog.StoreRefundSkipped(logger, shop.ShopId, work.OrderId, work.ReturnId, why);
            return new WorkOutcome.Done(why);
        }

        var resumed = await StartAsync(shop.ShopId, row, work.ReturnId, cancellationToken);
        var settings = ShopSettings.Parse(shop.SettingsJson);
        var refund = new StoreRefund(
            work.ReturnId,
            work.OrderId,
            Units(summary),
            Restocks(summary, settings),
            decimal.TryParse(summary.RefundTotal, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null,
            summary.Currency,
            $"Refunded on TikTok Shop, order {work.OrderId}",
            resumed);
        var platform = stores.DisplayName(shop.Platform);
        string outcome;
        try
        {
            outcome = await stores.Orders(shop.Platform).RefundAsync(StoreAccess.From(shop), row.StoreOrderId, refund, cancellationToken);
        }
        catch (StoreRejectedException e)
        {
            var issue = $"Refund of TikTok return {work.ReturnId} not recorded in {platform}: {e.Message}";
            await RecordIssueAsync(shop.ShopId, work, issue, cancellationToken);
            RefundLog.StoreRefundRefused(logger, shop.ShopId, work.OrderId, work.ReturnId, e.Message);

            // Tried again with growing pauses (TransientRetries), like any order work the store does not take yet.
            throw new StoreUnavailableException(issue, e);
        }

        var message = $"{platform} refunded for TikTok return {work.ReturnId}: {outcome}";
        await FinishAsync(shop.ShopId, work, ActivityKinds.Action, message, cancellationToken);
        RefundLog.StoreRefunded(logger, shop.ShopId, work.OrderId, work.ReturnId, outcome);
        return new WorkOutcome.Done(message);
    }

    public static bool IsRefunded(OrderEntity row, string returnId)
    {
        ArgumentNullException.ThrowIfNull(row);
        return (row.StoreRefundedReturnIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Contains(returnId, StringComparer.Ordinal);
    }

    /// <summary>The store refund of the order's latest return: "refunded", "failed", "pending", or null when none is due.</summary>
    public static string? StateOf(OrderEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var summary = ReturnSummary.Parse(row.ReturnJson);
        if (summary is null || !TikTokReturnStatus.IsRefunded(summary.Status) || row.StoreOrderId is null)
        {
            return null;
        }

        return IsRefunded(row, summary.ReturnId) ? "refunded" : row.RefundIssue is not null ? "failed" : "pending";
    }

    /// <summary>Units per seller SKU: each TikTok return line is one unit.</summary>
    public static IReadOnlyDictionary<string, int> Units(ReturnSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.Skus.GroupBy(s => s, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>Returned items go back in stock when the merchant says so; a refund-only request brings nothing back.</summary>
    public static bool Restocks(ReturnSummary summary, ShopSettings settings)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.RestockOnRefund && summary.Type != "REFUND";
    }

    /// <summary>Marks the attempt started; true when an earlier attempt (or a concurrent one) had already started it.</summary>
    private async Task<bool> StartAsync(string shopId, OrderEntity row, string returnId, CancellationToken cancellationToken)
    {
        var resumed = false;
        var update = await ConditionalUpdate.RunAsync(
            row,
            ct => orders.GetAsync(shopId, row.OrderId, ct),
            current =>
            {
                resumed = current.RefundStartedReturnId == returnId;
                if (resumed)
                {
                    return RowChange.None;
                }

                current.RefundStartedReturnId = returnId;
                current.UpdatedAt = time.GetUtcNow();
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        update.ThrowIfContended($"Order {row.OrderId} (refund start)");
        return resumed;
    }

    private async Task FinishAsync(string shopId, RefundWork work, string kind, string message, CancellationToken cancellationToken)
    {
        var update = await ConditionalUpdate.RunAsync(
            ct => orders.GetAsync(shopId, work.OrderId, ct),
            current =>
            {
                if (IsRefunded(current, work.ReturnId))
                {
                    return RowChange.None;
                }

                current.StoreRefundedReturnIds = string.IsNullOrEmpty(current.StoreRefundedReturnIds) ? work.ReturnId : $"{current.StoreRefundedReturnIds},{work.ReturnId}";
                if (current.RefundPendingReturnId == work.ReturnId)
                {
                    current.RefundPendingReturnId = null;
                }

                current.RefundIssue = null;
                current.UpdatedAt = time.GetUtcNow();
                current.AddActivity(kind, message, current.UpdatedAt);
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        update.ThrowIfContended($"Order {work.OrderId} (store refund)");
    }

    /// <summary>The refusal on the order and its timeline; a retry that meets the same refusal adds nothing new.</summary>
    private async Task RecordIssueAsync(string shopId, RefundWork work, string issue, CancellationToken cancellationToken)
    {
        var update = await ConditionalUpdate.RunAsync(
            ct => orders.GetAsync(shopId, work.OrderId, ct),
            current =>
            {
                if (current.RefundIssue == issue)
                {
                    return RowChange.None;
                }

                current.RefundIssue = issue;
                current.UpdatedAt = time.GetUtcNow();
                current.AddActivity(ActivityKinds.Failed, issue, current.UpdatedAt);
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        update.ThrowIfContended($"Order {work.OrderId} (refund issue)");
    }
}
