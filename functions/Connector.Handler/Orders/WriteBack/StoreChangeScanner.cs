using Azure;
using Connector.Diagnostics;
using Connector.Messaging;
using Connector.State;
using Connector.Stores;
using Microsoft.Extensions.Options;

namespace Connector.Orders.WriteBack;

/// <summary>
/// Store → TikTok, step one: finds the orders Connector created that changed in the store since the last scan and queues
/// one <see cref="StoreChangeWork"/> per change not yet carried to TikTok. Paged and cursor-guarded like the TikTok fetch.
/// </summary>
public sealed class StoreChangeScanner(
    ShopStore shops,
    CursorStore cursors,
    OrderStore orders,
    StoreClients stores,
    IQueueSender sender,
    IOptions<FetchOptions> options,
    TimeProvider time,
    ILogger<StoreChangeScanner> logger)
{
    public async Task<string> RunPageAsync(StoreScanJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var shop = await shops.GetRecentAsync(job.ShopId, cancellationToken);
        if (shop is null || shop.ConnectionStatus == "disconnected")
        {
            return $"Shop {job.ShopId} is not connected; store scan skipped.";
        }

        var settings = options.Value;
        if (job.ScanStartedAt is null)
        {
            var cursor = await cursors.GetAsync(shop.ShopId, CursorEntity.StoreRow, cancellationToken);
            var now = time.GetUtcNow();
            job = job with
            {
                // The overlap covers store clocks and search indexes that lag behind (a change must never fall between two scans).
                Since = cursor is null ? now - settings.InitialLookback : DateTimeOffset.FromUnixTimeSeconds(cursor.UpdateTime) - settings.Overlap,
                ScanStartedAt = now,
                CursorETag = cursor?.ETag.ToString() ?? "",
            };
        }

        if (stores.ChangeFeed(shop.Platform) is not { } feed)
        {
            return $"Shop {job.ShopId}: {stores.DisplayName(shop.Platform)} has no store changes to scan; skipped.";
        }

        var page = await feed.ListChangedOrdersAsync(StoreAccess.From(shop), job.Since!.Value, job.PageToken, cancellationToken);
        var known = await orders.GetManyAsync(shop.ShopId, page.Orders.Select(o => o.TikTokOrderId).Distinct(StringComparer.Ordinal), cancellationToken);
        var messages = new List<QueueMessage>();
        foreach (var change in page.Orders)
        {
            var changedAt = change.UpdatedAt.ToUnixTimeMilliseconds();
            if (known.TryGetValue(change.TikTokOrderId, out var row) && row.StoreOrderId == change.StoreOrderId && row.StoreChangeSeen < changedAt)
            {
                messages.Add(new StoreChangeWork { ShopId = shop.ShopId, OrderId = row.OrderId, StoreOrderId = change.StoreOrderId, ChangedAt = changedAt, RunId = job.RunId, Seen = row.StoreChangeSeen });
            }
        }

        var queued = job.OrdersQueued + messages.Count;
        var last = page.NextPageToken is null;
        if (!last)
        {
            messages.Add(job with { PageToken = page.NextPageToken, Page = job.Page + 1, OrdersQueued = queued });
        }

        await sender.SendAsync(messages, cancellationToken);
        if (!last)
        {
            return $"Store scan {job.RunId} page {job.Page}: {messages.Count - 1} changed order(s) queued; next page queued.";
        }

        var moved = await cursors.TryMoveAsync(
            new CursorEntity
            {
                PartitionKey = shop.ShopId,
                RowKey = CursorEntity.StoreRow,
                UpdateTime = job.ScanStartedAt!.Value.ToUnixTimeSeconds(),
                LastRunId = job.RunId,
                LastRunAt = time.GetUtcNow(),
                LastRunOrders = queued,
            },
            string.IsNullOrEmpty(job.CursorETag) ? null : new ETag(job.CursorETag),
            cancellationToken);
        Log.StoreScanCompleted(logger, shop.ShopId, job.RunId, queued, moved);
        return $"Store scan {job.RunId} finished: {queued} changed order(s) queued; cursor {(moved ? "moved" : "kept")}.";
    }
}
