using Azure;
using Connector.Diagnostics;
using Connector.Messaging;
using Connector.State;
using Microsoft.Extensions.Options;
using Connector.Orders.StatusSync;

namespace Connector.Orders.Fetch;

/// <summary>
/// The one fetcher behind the timer and the "Fetch Order" button: every unit of work is a queue message
/// (a shop's fetch page, an order), so thousands of shops and orders spread over instances (design §3).
/// </summary>
public sealed class OrderFetcher(
    ShopStore shops,
    CursorStore cursors,
    FetchRunStore runs,
    OrderStore orders,
    TikTok.TikTokClient tiktok,
    IQueueSender sender,
    ActivityStore activity,
    IOptions<FetchOptions> options,
    Stores.StoreClients stores,
    Shops.ShopFanOut fanOut,
    TimeProvider time,
    ILogger<OrderFetcher> logger)
{
    /// <summary>
    /// "Fetch Order": queue the first page of a run and return at once. A press while the shop's run is in progress joins
    /// that run (50 presses make one run, design §3), as long as the run covers the window asked for. Null when runs kept
    /// starting and ending under it (the press can simply be repeated).
    /// </summary>
    public async Task<FetchStart?> StartAsync(ShopEntity shop, long? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var joinWindow = options.Value.RunJoinWindow;
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var current = await runs.GetAsync(shop.ShopId, cancellationToken);
            if (current is not null && current.IsInProgress(now, joinWindow) && Covers(current, since))
            {
                return new FetchStart(current.RunId, current.Since, Joined: true);
            }

            var run = new FetchRunEntity
            {
                PartitionKey = shop.ShopId,
                RunId = $"m{now.ToUnixTimeMilliseconds()}",
                Trigger = "merchant",
                Since = since,
                StartedAt = now,
                ProgressAt = now,
            };
            if (await runs.TryStartAsync(run, current, cancellationToken) is null)
            {
                // Another press (or the timer) started a run between our read and write: join it on the next turn.
                if (attempt < 3)
                {
                    continue;
                }

                return null;
            }

            var job = new FetchJob { ShopId = shop.ShopId, RunId = run.RunId, Trigger = run.Trigger, Since = since };
            try
            {
                await sender.SendAsync(job, cancellationToken);
            }
            catch
            {
                // Nothing was queued: the next press must start afresh rather than join a run that will never move.
                await StopAsync(job, "The fetch could not be queued.", CancellationToken.None);
                throw;
            }

            await activity.AddAsync(shop.ShopId, "fetch", null,
                since is { } s ? $"Fetch Order pressed: orders updated since {DateTimeOffset.FromUnixTimeSeconds(s):u} queued." : "Fetch Order pressed: fetch queued.",
                cancellationToken);
            return new FetchStart(run.RunId, since, Joined: false);
        }
    }

    /// <summary>A run without "since" starts at the cursor; one with "since" covers presses asking for that time or later.</summary>
    private static bool Covers(FetchRunEntity run, long? since) => since is null || run.Since is { } runSince && since >= runSince;

    /// <summary>The timer: one fetch job per connected shop, so no invocation walks every shop's orders.</summary>
    public async Task<int> FanOutAsync(DateTimeOffset slot, CancellationToken cancellationToken)
    {
        var runId = Shops.ShopFanOut.RunId(slot);
        var total = await fanOut.SendAsync(shop => new FetchJob { ShopId = shop.ShopId, RunId = runId, Trigger = "timer" }, cancellationToken);
        Log.FanOut(logger, total, runId);
        return total;
    }

    /// <summary>One page of a shop's search: queue the orders that need work and the next page, then (last page) move the cursor.</summary>
    public async Task<string> RunPageAsync(FetchJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var shop = await shops.GetRecentAsync(job.ShopId, cancellationToken);
        if (shop is null || shop.ConnectionStatus == "disconnected")
        {
            return $"Shop {job.ShopId} is not connected; fetch skipped.";
        }

        var settings = options.Value;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (job.WindowEnd is null && job.Trigger != "merchant" && !await TryClaimTimerRunAsync(job, cancellationToken))
        {
            return $"Fetch {job.RunId} for shop {job.ShopId} skipped: another run is in progress.";
        }

        if (job.WindowEnd is null)
        {
            var cursor = await cursors.GetAsync(shop.ShopId, cancellationToken);
            var start = job.Since
                ?? (cursor is not null ? cursor.UpdateTime - (long)settings.Overlap.TotalSeconds : now - (long)settings.InitialLookback.TotalSeconds);

            // A merchant's "since" later than the cursor leaves a gap before it: such a run must not move the cursor.
            var movesCursor = cursor is null || start <= cursor.UpdateTime;
            job = job with
            {
                WindowStart = start,

                // update_time_lt is exclusive: +1 includes orders changed in this very second (the overlap catches later ones).
                WindowEnd = now + 1,
                CursorETag = movesCursor ? cursor?.ETag.ToString() ?? "" : null,
            };
        }

        var messages = new List<QueueMessage>();
        if (job.Page == 0 && job.PageToken is null && stores.ChangeFeed(shop.Platform) is not null)
        {
            // Every run also looks for what the merchant did in the store since the last one (store → TikTok), where the platform has a change feed.
            messages.Add(new StoreScanJob { ShopId = shop.ShopId, RunId = job.RunId });
        }

        var page = await tiktok.SearchOrdersAsync(shop, job.WindowStart!.Value, job.WindowEnd!.Value, job.PageToken, settings.PageSize, cancellationToken);
        var found = page.Orders ?? [];
        var known = await orders.GetManyAsync(shop.ShopId, found.Select(o => o.Id), cancellationToken);
        var partialShipping = ShopSettings.Parse(shop.SettingsJson).PartialShipping;
        foreach (var order in found)
        {
            if (known.TryGetValue(order.Id, out var row) && row.TikTokUpdateTime >= order.UpdateTime
                && row.ImportState != ImportStates.Importing && !StoreStatusSync.HasPending(row, partialShipping))
            {
                continue;
            }

            messages.Add(new OrderWork
            {
                ShopId = shop.ShopId, OrderId = order.Id, UpdateTime = order.UpdateTime, Reason = OrderWork.FetchReason, Order = order, NotStored = row is null,
            });
        }

        var seen = job.OrdersSeen + found.Count;
        var queued = job.OrdersQueued + messages.Count(m => m is OrderWork);
        var last = string.IsNullOrEmpty(page.NextPageToken);
        if (!last)
        {
            messages.Add(job with { PageToken = page.NextPageToken, Page = job.Page + 1, OrdersSeen = seen, OrdersQueued = queued });
        }

        // Orders and the next page go out together; a failed send fails the page, whose redelivery re-sends (duplicates dropped by MessageId).
        await sender.SendAsync(messages, cancellationToken);
        await runs.TryRecordAsync(shop.ShopId, job.RunId, job.Page + 1, seen, queued, time.GetUtcNow(), last ? time.GetUtcNow() : null, null, cancellationToken);
        if (!last)
        {
            return $"Fetch {job.RunId} page {job.Page}: {found.Count} orders, {messages.Count(m => m is OrderWork)} queued; next page queued.";
        }

        var moved = job.CursorETag is not null && await cursors.TryMoveAsync(
            new CursorEntity { PartitionKey = shop.ShopId, UpdateTime = job.WindowEnd!.Value, LastRunId = job.RunId, LastRunAt = time.GetUtcNow(), LastRunOrders = seen },
            job.CursorETag.Length == 0 ? null : new ETag(job.CursorETag),
            cancellationToken);
        Log.FetchCompleted(logger, shop.ShopId, job.RunId, seen, queued, moved);
        await shops.TouchAsync(shop.ShopId, nameof(ShopEntity.LastFetchAt), time.GetUtcNow(), cancellationToken);
        await activity.AddAsync(shop.ShopId, "fetch", null,
            $"Fetch run {job.RunId} ({job.Trigger}) finished: {seen} orders checked, {queued} queued for import or update.", cancellationToken);
        return $"Fetch {job.RunId} finished: {seen} orders, {queued} queued; cursor {(moved ? "moved" : "kept")}.";
    }

    /// <summary>
    /// The first page of a timer run makes it the shop's current run, unless a run (a merchant's, or an earlier timer's) is
    /// still in progress: that run covers the window, so this one stops. A redelivered first page finds itself current.
    /// </summary>
    private async Task<bool> TryClaimTimerRunAsync(FetchJob job, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = await runs.GetAsync(job.ShopId, cancellationToken);
        if (current is not null && current.RunId == job.RunId)
        {
            return true;
        }

        if (current is not null && current.IsInProgress(now, options.Value.RunJoinWindow))
        {
            return false;
        }

        var run = new FetchRunEntity { PartitionKey = job.ShopId, RunId = job.RunId, Trigger = job.Trigger, StartedAt = now, ProgressAt = now };
        return await runs.TryStartAsync(run, current, cancellationToken) is not null;
    }

    /// <summary>Records that a run stopped early (TikTok refused, the work could not be queued), so the next press starts afresh.</summary>
    public Task StopAsync(FetchJob job, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = time.GetUtcNow();
        return runs.TryRecordAsync(job.ShopId, job.RunId, job.Page, job.OrdersSeen, job.OrdersQueued, now, now, reason, cancellationToken);
    }
}

/// <summary>What a Fetch Order press did: started a run, or joined the one in progress.</summary>
public sealed record FetchStart(string RunId, long? Since, bool Joined);
