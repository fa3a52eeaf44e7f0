using Connector.Diagnostics;
using Connector.Messaging;
using Connector.Orders.Refunds;
using Connector.State;
using Connector.TikTok;

namespace Connector.Orders.Actions;

/// <summary>
/// Buyer cancellation requests (reference/tiktok-shop-api.md §6.2): TikTok's SearchCancellations is the truth; a webhook (type 11
/// CANCELLATION_STATUS_CHANGE or 2 REVERSE_STATUS_UPDATE) or a fetch run only says when to read it. The order row keeps the
/// latest request (id, status, reason, deadline); a pending one puts the order in the "Cancellation requested" tab.
/// </summary>
public sealed class BuyerCancellations(
    ShopStore shops, OrderStore orders, TikTokClient tiktok, IQueueSender sender, TimeProvider time, ILogger<BuyerCancellations> logger)
{
    /// <summary>Pages of a shop-wide scan at most (50 requests a page): pending requests are few; the next run goes on.</summary>
    private const int MaxScanPages = 20;

    /// <summary>
    /// The shop-wide scan also reads the returns refunded this recently (a lost webhook's refund still reaches the store);
    /// an order's own read (its webhook) sees every status.
    /// </summary>
    public static readonly TimeSpan RefundLookback = TimeSpan.FromDays(2);

    public async Task<WorkOutcome> RefreshAsync(ReverseWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var shop = await shops.GetAsync(work.ShopId, cancellationToken);
        if (shop is null)
        {
            return new WorkOutcome.Done($"Shop {work.ShopId} is not connected; cancellation requests not read.");
        }

        var found = new List<TikTokCancellation>();
        string? token = null;
        for (var page = 0; page < MaxScanPages; page++)
        {
            var data = await tiktok.SearchCancellationsAsync(
                shop, work.OrderId is null ? null : [work.OrderId], work.OrderId is null ? [TikTokCancelStatus.Pending] : null, token, cancellationToken);
            found.AddRange(data.Cancellations ?? []);
            token = data.NextPageToken;
            if (string.IsNullOrEmpty(token))
            {
                break;
            }
        }

        // The buyer's requests only: the seller's own CancelOrder is listed too (role SELLER) and is no request to answer.
        var latest = found
            .Where(c => TikTokIds.IsOrderId(c.OrderId) && TikTokIds.IsOrderId(c.CancelId) && c.Role is null or "BUYER")
            .GroupBy(c => c.OrderId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(c => c.CreateTime).ThenByDescending(c => c.UpdateTime).First())
            .ToList();
        var changed = 0;
        foreach (var request in latest)
        {
            if (await ApplyAsync(shop.ShopId, request, cancellationToken))
            {
                changed++;
            }
        }

        var returns = await RefreshReturnsAsync(shop, work, cancellationToken);
        return new WorkOutcome.Done($"Shop {shop.ShopId}: {latest.Count} buyer cancellation request(s) read, {changed} changed; {returns}.");
    }

    /// <summary>The order's (or the shop's open) returns and refunds: the latest of each order goes on its row and timeline.</summary>
    private async Task<string> RefreshReturnsAsync(ShopEntity shop, ReverseWork work, CancellationToken cancellationToken)
    {
        var found = new List<TikTokReturn>();
        if (work.OrderId is not null)
        {
            await ReadReturnsAsync(shop, [work.OrderId], null, null, found, cancellationToken);
        }
        else
        {
            await ReadReturnsAsync(shop, null, TikTokReturnStatus.Open, null, found, cancellationToken);
            var since = time.GetUtcNow().Add(-RefundLookback).ToUnixTimeSeconds();
            await ReadReturnsAsync(shop, null, TikTokReturnStatus.Refunded, since, found, cancellationToken);
        }

        var latest = found
            .Where(r => TikTokIds.IsOrderId(r.OrderId) && TikTokIds.IsOrderId(r.ReturnId))
            .GroupBy(r => r.OrderId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.CreateTime).ThenByDescending(r => r.UpdateTime).First())
            .ToList();
        var changed = 0;
        foreach (var request in latest)
        {
            if (await ApplyReturnAsync(shop.ShopId, request, cancellationToken))
            {
                changed++;
            }
        }

        return $"{latest.Count} return(s) read, {changed} changed";
    }

    private async Task ReadReturnsAsync(
        ShopEntity shop, IReadOnlyCollection<string>? orderIds, IReadOnlyCollection<string>? statuses, long? since, List<TikTokReturn> found, CancellationToken cancellationToken)
    {
        string? token = null;
        for (var page = 0; page < MaxScanPages; page++)
        {
            var data = await tiktok.SearchReturnsAsync(shop, orderIds, statuses, token, cancellationToken, since);
            found.AddRange(data.Returns ?? []);
            token = data.NextPageToken;
            if (string.IsNullOrEmpty(token))
            {
                break;
            }
        }
    }

    /// <summary>
    /// Records the return on its order (newer only), with its timeline step. A refunded return the store does not show yet is
    /// marked pending on the row in the same write, and its store refund is queued — again whenever the return is seen while
    /// still pending (one message per return: duplicate detection drops the repeats).
    /// </summary>
    private async Task<bool> ApplyReturnAsync(string shopId, TikTokReturn request, CancellationToken cancellationToken)
    {
        var summary = ReturnSummary.From(request);
        var json = summary.ToJson();
        var update = await ConditionalUpdate.RunAsync(
            ct => orders.GetAsync(shopId, request.OrderId, ct),
            row =>
            {
                var known = ReturnSummary.Parse(row.ReturnJson);
                var stamp = Math.Max(request.UpdateTime, request.CreateTime);
                if (row.ReturnJson == json || stamp < row.ReturnUpdateTime
                    || (known is not null && known.ReturnId == summary.ReturnId && known.Status == summary.Status && stamp == row.ReturnUpdateTime))
                {
                    return RowChange.None;
                }

                if (known?.ReturnId != summary.ReturnId || known.Status != summary.Status)
                {
                    row.AddActivity(ActivityKinds.Action, summary.Describe(request.OrderId), time.GetUtcNow());
                }

                row.ReturnJson = json;
                row.ReturnUpdateTime = stamp;
                row.ReturnTab = ReturnTabs.Of(summary.Status);
                if (TikTokReturnStatus.IsRefunded(summary.Status) && row.StoreOrderId is not null && !StoreRefunds.IsRefunded(row, summary.ReturnId))
                {
                    row.RefundPendingReturnId = summary.ReturnId;
                }

                row.UpdatedAt = time.GetUtcNow();
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        update.ThrowIfContended($"Order {request.OrderId} (return)");
        if (update.Row is { } saved && saved.RefundPendingReturnId == summary.ReturnId && !StoreRefunds.IsRefunded(saved, summary.ReturnId))
        {
            await sender.SendAsync(new RefundWork { ShopId = shopId, OrderId = request.OrderId, ReturnId = summary.ReturnId }, cancellationToken);
            RefundLog.RefundQueued(logger, shopId, request.OrderId, summary.ReturnId);
        }

        if (!update.IsWritten)
        {
            return false;
        }

        Log.ReturnSeen(logger, shopId, request.OrderId, request.ReturnStatus ?? "");
        return true;
    }

    /// <summary>Records the request on its order (newer only); false when the order is unknown or the row already says it.</summary>
    public async Task<bool> ApplyAsync(string shopId, TikTokCancellation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? previous = null;
        var update = await ConditionalUpdate.RunAsync(
            ct => orders.GetAsync(shopId, request.OrderId, ct),
            row =>
            {
                previous = row.CancelRequestId == request.CancelId ? row.CancelRequestStatus : null;
                var newer = row.CancelRequestId != request.CancelId
                    ? request.CreateTime >= row.CancelRequestUpdateTime
                    : request.UpdateTime >= row.CancelRequestUpdateTime;
                if (!newer || (row.CancelRequestId == request.CancelId && row.CancelRequestStatus == request.CancelStatus
                    && row.CancelRequestDeadline == request.Deadline))
                {
                    return RowChange.None;
                }

                if (previous != request.CancelStatus)
                {
                    // The timeline's step goes with the row, in the same transaction.
                    row.AddActivity(ActivityKinds.Action, Describe(request), time.GetUtcNow());
                }

                row.CancelRequestId = request.CancelId;
                row.CancelRequestStatus = request.CancelStatus;
                row.CancelRequestReason = Reason(request);
                row.CancelRequestDeadline = request.Deadline;
                row.CancelRequestUpdateTime = Math.Max(request.UpdateTime, request.CreateTime);
                row.UpdatedAt = time.GetUtcNow();
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        if (!update.ThrowIfContended($"Order {request.OrderId} (cancellation request)").IsWritten || previous == request.CancelStatus)
        {
            return false;
        }

        Log.CancellationRequestSeen(logger, shopId, request.OrderId, request.CancelStatus ?? "");
        return true;
    }

    public static string Reason(TikTokCancellation request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = string.IsNullOrWhiteSpace(request.CancelReasonText) ? request.CancelReason : request.CancelReasonText;
        return text is { Length: > 200 } ? text[..200] : text ?? "no reason given";
    }

    private static string Describe(TikTokCancellation request) => request.CancelStatus switch
    {
        TikTokCancelStatus.Pending => $"Buyer asked to cancel order {request.OrderId}: {Reason(request)}."
            + (request.Deadline is { } deadline ? $" Answer by {DateTimeOffset.FromUnixTimeSeconds(deadline):yyyy-MM-dd HH:mm} UTC, or TikTok approves it." : ""),
        TikTokCancelStatus.Success or TikTokCancelStatus.Complete => $"Buyer's cancellation request for order {request.OrderId} approved on TikTok.",
        TikTokCancelStatus.Rejected => $"Buyer's cancellation request for order {request.OrderId} rejected; the order goes on.",
        var status => $"Buyer's cancellation request for order {request.OrderId}: {status ?? "status unknown"}.",
    };
}
