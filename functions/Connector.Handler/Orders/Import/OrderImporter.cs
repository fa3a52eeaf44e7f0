using Connector.Diagnostics;
using Connector.Messaging;
using Connector.State;
using Connector.Stores;
using Connector.TikTok;
using Connector.Orders.StatusSync;

namespace Connector.Orders.Import;

/// <summary>
/// Handles one <see cref="OrderWork"/>: brings the order's row up to date with TikTok and, when the order is ready,
/// creates exactly one store order for it.
/// <para>
/// Exactly once: before touching the store, the delivery claims the order's row with an ETag-conditional write
/// (ClaimMessageId, ClaimDelivery, ClaimUntil). A concurrent delivery loses that write and waits for the winner.
/// A redelivery of the same message (higher delivery count: the previous attempt failed or died) may take the claim
/// over at once; anyone may after it expires. Whoever holds the claim asks the store for an order with this TikTok id
/// before creating one, so a create whose state write failed is adopted, not repeated.
/// </para>
/// </summary>
public sealed class OrderImporter(
    ShopStore shops,
    OrderStore orders,
    TikTokClient tiktok,
    StoreClients stores,
    SkuMatcher matcher,
    ActivityStore activity,
    StoreStatusSync storeSync,
    Actions.ExternalReferences references,
    IQueueSender sender,
    Microsoft.Extensions.Options.IOptions<FetchOptions> fetchOptions,
    TimeProvider time,
    ILogger<OrderImporter> logger)
{
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WaitForOtherImport = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public async Task<WorkOutcome> ProcessAsync(OrderWork work, Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(delivery);
        // Settings and credentials as read moments ago (bounded staleness, RecentReads): one read per shop, not per order.
        var shop = await shops.GetRecentAsync(work.ShopId, cancellationToken);
        if (shop is null)
        {
            Log.ShopUnknown(logger, work.ShopId, work.OrderId);
            return new WorkOutcome.Done($"Shop {work.ShopId} is not connected; order {work.OrderId} ignored.");
        }

        // A fetch that found no row for this order says so; the first delivery then starts from a new row (its add fails,
        // and the row is read, if another delivery made it meanwhile).
        var rowRead = work.NotStored && work.Retry == 0 && delivery.DeliveryCount <= 1
            ? Task.FromResult<OrderEntity?>(null)
            : orders.GetAsync(shop.ShopId, work.OrderId, cancellationToken);
        var order = work.Order;
        if (order is null || work.Reason != "fetch")
        {
            // Webhooks and retries are hints: the API is the truth (design §3). The row is read meanwhile (both are reads);
            // when either fails, both have ended and TikTok's failure is the one reported.
            var orderRead = tiktok.GetOrdersAsync(shop, [work.OrderId], cancellationToken);
            await Task.WhenAll(orderRead, rowRead);
            order = (await orderRead).FirstOrDefault(o => o.Id == work.OrderId);
        }

        var row = await rowRead;
        if (order is null)
        {
            return new WorkOutcome.Failed("ORDER_NOT_FOUND", await FailAsync(shop, row ?? NewRow(shop, work.OrderId), null, "ORDER_NOT_FOUND",
                $"TikTok does not return order {work.OrderId} for this shop.", cancellationToken));
        }

        var deadline = time.GetUtcNow() + WaitForOtherImport;
        for (var attempt = 0; ; attempt++)
        {
            row ??= NewRow(shop, order.Id);
            var outcome = await StepAsync(shop, row, order, work, delivery, cancellationToken);
            if (outcome is not null)
            {
                return new WorkOutcome.Done(outcome);
            }

            // Lost a race for the row: read it again; wait a little while another delivery holds the claim.
            if (time.GetUtcNow() > deadline)
            {
                return new WorkOutcome.Busy($"Order {order.Id} is being imported by another delivery; try again shortly.");
            }

            if (attempt > 0)
            {
                await Task.Delay(PollInterval, time, cancellationToken);
            }

            row = await orders.GetAsync(shop.ShopId, order.Id, cancellationToken);
        }
    }

    /// <summary>One attempt against the row as read; null means "the row changed under us, read it again".</summary>
    private async Task<string?> StepAsync(ShopEntity shop, OrderEntity row, TikTokOrder order, OrderWork work, Delivery delivery, CancellationToken cancellationToken)
    {
        var settings = ShopSettings.Parse(shop.SettingsJson);
        var now = time.GetUtcNow();
        bool recentAttempt;
        switch (ImportDecision.Decide(row, order, work, delivery, settings, now))
        {
            case ImportStep.ApplyStatus apply:
                return await ApplyStatusAsync(shop, row, order, apply.IsNewer, cancellationToken);
            case ImportStep.NothingNewer:
                await references.EnsureAsync(shop, row, cancellationToken);
                return $"Order {order.Id}: nothing new since update_time {row.TikTokUpdateTime} ({row.ImportState}).";
            case ImportStep.KeepTerminal:
                await references.EnsureAsync(shop, row, cancellationToken);
                return $"Order {order.Id} is {row.TikTokStatus}; kept.";
            case ImportStep.NotImported notImported:
                return await RecordNotImportedAsync(shop, row, order, notImported.Status, cancellationToken);
            case ImportStep.Hold hold:
                return await HoldAsync(shop, row, order, hold.Until, hold.ResumedEarly, cancellationToken);
            case ImportStep.Claim claim:
                recentAttempt = claim.RecentAttempt;
                break;
            default:
                return null; // claimed by another delivery: read the row again
        }

        if (order.UpdateTime >= row.TikTokUpdateTime)
        {
            OrderSnapshot.Apply(row, order);
        }

        row.ImportState = ImportStates.Importing;
        row.ClaimMessageId = delivery.MessageId;
        row.ClaimDelivery = delivery.DeliveryCount;
        row.ClaimUntil = now + ClaimLifetime;
        row.Attempts++;
        row.UpdatedAt = now;

        // The claim's write and the reads that come before a create (SKU match, store look-up) run at the same time: the
        // row is not touched until the claim has answered, and nothing is created or recorded unless the claim was won.
        // Looking before the write has landed sees the same store as looking after it: a create only ever follows a won
        // claim, and the claims this one may take over belong to deliveries that died or whose claim expired (ImportDecision).
        return await ImportClaimedAsync(shop, row, orders.TrySaveAsync(row, cancellationToken), order, settings, work, recentAttempt, cancellationToken);
    }

    /// <summary>Null when the claim was lost (the row changed under us: read it again).</summary>
    private async Task<string?> ImportClaimedAsync(
        ShopEntity shop, OrderEntity row, Task<bool> claim, TikTokOrder order, ShopSettings settings, OrderWork work, bool recentAttempt, CancellationToken cancellationToken)
    {
        IStoreCatalog catalog;
        IStoreOrderWriter store;
        try
        {
            catalog = stores.Catalog(shop.Platform);
            store = stores.Orders(shop.Platform);
        }
        catch (StoreRejectedException e)
        {
            return await claim ? await FailAsync(shop, row, order, "STORE_UNSUPPORTED", e.Message, cancellationToken) : null;
        }

        var access = StoreAccess.From(shop);
        var lines = OrderLines.Group(order);
        SkuMatchResult match;
        try
        {
            match = await matcher.MatchAsync(access, catalog, lines, bypassCache: work.Reason == "retry", cancellationToken);
        }
        catch
        {
            await Observe(claim);
            throw;
        }

        if (!match.IsComplete)
        {
            if (!await claim)
            {
                return null;
            }

            var (code, reason) = match.Failure(stores.DisplayName(shop.Platform));
            row.FailingSkusJson = System.Text.Json.JsonSerializer.Serialize(match.FailingSkus);
            return await FailAsync(shop, row, order, code, reason, cancellationToken);
        }

        if (order.RecipientAddress is null && !OrderSnapshot.ShippedByTikTok(order))
        {
            return await claim
                ? await FailAsync(shop, row, order, "ADDRESS_MISSING", "TikTok has not released the shipping address for this order yet.", cancellationToken)
                : null;
        }

        var started = time.GetTimestamp();

        // The look-up may itself refuse: a store order that exists but is unusable (PrestaShop "Payment error").
        var lookup = FindSettledAsync(store, access, order.Id, recentAttempt, cancellationToken);
        bool claimed;
        try
        {
            claimed = await claim;
        }
        catch
        {
            await Observe(lookup);
            throw;
        }

        if (!claimed)
        {
            await Observe(lookup);
            return null;
        }

        StoreOrderRef? existing;
        StoreOrderRef created;
        try
        {
            existing = await lookup;
            if (existing is not null)
            {
                created = existing;
                Log.StoreOrderAdopted(logger, shop.ShopId, order.Id, existing.Id);
            }
            else
            {
                created = await store.CreateOrderAsync(access, StoreOrderDrafts.Build(order, lines, match, settings), cancellationToken);
            }
        }
        catch (StoreRejectedException e)
        {
            return await FailAsync(shop, row, order, "STORE_REJECTED", e.Message, cancellationToken);
        }

        // TikTok shows the store order number (issue 13); sent before the save so that the save records it too (one write).
        var reference = row.ExternalRefSent == created.Id ? null : await references.SendAsync(shop, order.Id, created.Id, created.Name, cancellationToken);

        // The save that records the store order also counts it for the plan (State.UsageStore) and notes the activity.
        row = await SaveImportedAsync(shop, row, order, created,
            $"Order {order.Id} created in {stores.DisplayName(shop.Platform)} as {created.Name ?? created.Id}.", reference, cancellationToken);
        Telemetry.OrdersImported.Add(1);
        Telemetry.StoreCallDuration.Record(time.GetElapsedTime(started).TotalMilliseconds);
        Log.OrderImported(logger, shop.ShopId, order.Id, created.Id);
        if (work.ReceivedAt is { } received)
        {
            Telemetry.WebhookToStore.Record((time.GetUtcNow() - received).TotalMilliseconds);
        }

        if (reference is not null && row.ExternalRefSent == reference.Marker)
        {
            Log.ExternalReferenceSent(logger, shop.ShopId, order.Id, created.Id, reference.Refusal);
        }

        var synced = await storeSync.SyncAsync(shop, row, cancellationToken);
        await references.EnsureAsync(shop, synced, cancellationToken); // only when the save above could not record it
        return $"Order {order.Id} imported as {created.Id}; status {synced.TikTokStatus}.";
    }

    /// <summary>Waits for a task whose result no longer matters, so that its failure is not left unobserved.</summary>
    private static async Task Observe(Task task)
    {
        try
        {
            await task;
        }
#pragma warning disable CA1031 // The outcome is of no use any more; the caller is already failing or abandoning the attempt.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// The store look-up before a create. After a recent failed attempt it is repeated for a few seconds (Shopify's search
    /// is eventually consistent, store-apis.md §2.3), because creating again is the one mistake that cannot be undone.
    /// </summary>
    private async Task<StoreOrderRef?> FindSettledAsync(IStoreOrderWriter store, StoreAccess access, string orderId, bool recentAttempt, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + (recentAttempt ? fetchOptions.Value.StoreLookupSettle : TimeSpan.Zero);
        while (true)
        {
            var existing = await store.FindImportedOrderAsync(access, orderId, cancellationToken);
            if (existing is not null || time.GetUtcNow() >= deadline)
            {
                return existing;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
        }
    }

    /// <summary>Writes the store order id; retries on ETag conflicts (a status update may have landed meanwhile).</summary>
    private async Task<OrderEntity> SaveImportedAsync(
        ShopEntity shop, OrderEntity row, TikTokOrder order, StoreOrderRef created, string activityMessage, Actions.ExternalReferences.Sent? reference,
        CancellationToken cancellationToken)
    {
        var update = await ConditionalUpdate.RunAsync(
            row,
            async ct => await orders.GetAsync(shop.ShopId, order.Id, ct) ?? Detached(row),
            current =>
            {
                // A row read again that already has a store order was recorded by another delivery: keep that.
                if (!ReferenceEquals(current, row) && current.StoreOrderId is not null)
                {
                    return RowChange.None;
                }

                current.StoreOrderId = created.Id;
                current.HoldUntil = null;
                current.StoreOrderName = created.Name;
                current.StoreOrderUrl = created.AdminUrl;
                current.ImportState = ImportStates.Imported;
                current.ImportedAt = time.GetUtcNow();
                current.FailureCode = null;
                current.FailureReason = null;
                current.FailingSkusJson = null;
                current.LastError = null;
                current.ClaimMessageId = null;
                current.ClaimUntil = null;
                current.UpdatedAt = time.GetUtcNow();
                current.AddActivity(ActivityKinds.Imported, activityMessage, time.GetUtcNow());
                if (reference is not null)
                {
                    Actions.ExternalReferences.Mark(current, reference, time.GetUtcNow());
                }

                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);

        // The read never answers "not found" (a row gone meanwhile is added again), so only contention ends without a row.
        return update.ThrowIfContended($"Order {order.Id} (store order {created.Id})").Row
            ?? throw new InvalidOperationException($"Could not record the store order of {order.Id}.");
    }

    /// <summary>The row as read, to be added again: it was removed meanwhile.</summary>
    private static OrderEntity Detached(OrderEntity row)
    {
        row.ETag = default;
        return row;
    }

    private async Task<string?> ApplyStatusAsync(ShopEntity shop, OrderEntity row, TikTokOrder order, bool isNewer, CancellationToken cancellationToken)
    {
        if (!isNewer || TikTokStatus.IsTerminal(row.TikTokStatus))
        {
            if (StoreStatusSync.HasPending(row, ShopSettings.Parse(shop.SettingsJson).PartialShipping))
            {
                // A status saved earlier whose store effect did not happen (crash, store down): finish it now.
                row = await storeSync.SyncAsync(shop, row, cancellationToken);
            }

            await references.EnsureAsync(shop, row, cancellationToken);
            return $"Order {order.Id}: already imported, status {row.TikTokStatus} is current.";
        }

        var previous = row.TikTokStatus;
        var previousAddress = row.AddressJson;
        OrderSnapshot.Apply(row, order);
        if (previousAddress is not null && row.AddressJson != previousAddress && !TikTokStatus.IsTerminal(row.TikTokStatus))
        {
            row.StoreAddressPending = true;
        }
        row.UpdatedAt = time.GetUtcNow();
        if (previous != row.TikTokStatus)
        {
            row.AddActivity(ActivityKinds.Status, $"Order {order.Id}: {TikTokStatus.Label(previous)} → {TikTokStatus.Label(row.TikTokStatus)}.", row.UpdatedAt);
        }

        if (!await orders.TrySaveAsync(row, cancellationToken))
        {
            return null;
        }

        row = await storeSync.SyncAsync(shop, row, cancellationToken);
        await references.EnsureAsync(shop, row, cancellationToken);
        return $"Order {order.Id}: status {row.TikTokStatus}.";
    }

    /// <summary>
    /// The merchant's hold period (CedCommerce's "remorse period"): the order waits, visible with its release time, and a
    /// message scheduled for that time brings it back (re-read from TikTok then, in case the buyer cancelled).
    /// </summary>
    private async Task<string?> HoldAsync(ShopEntity shop, OrderEntity row, TikTokOrder order, DateTimeOffset until, bool resumedEarly, CancellationToken cancellationToken)
    {
        var alreadyHeld = row.HoldUntil == until && row.ImportState == ImportStates.Waiting;
        var schedule = !alreadyHeld || resumedEarly;
        if (schedule)
        {
            // Scheduled before the row says "held": a send that fails then leaves the row as it was, so the redelivery
            // schedules again; the other way round a held row without its message would wait for ever. A message sent
            // for a save that then loses its race only brings the order back once more, which changes nothing.
            await sender.SendAsync(new OrderWork
            {
                ShopId = shop.ShopId,
                OrderId = order.Id,
                UpdateTime = order.UpdateTime,
                Reason = "hold",
                Attempt = $"h{until.ToUnixTimeSeconds()}-{time.GetUtcNow().ToUnixTimeMilliseconds()}",
                NotBefore = until,
            }, cancellationToken);
        }

        OrderSnapshot.Apply(row, order);
        row.ImportState = ImportStates.Waiting;
        row.HoldUntil = until;
        row.UpdatedAt = time.GetUtcNow();
        if (!await orders.TrySaveAsync(row, cancellationToken))
        {
            return null;
        }

        if (schedule)
        {
            await activity.AddAsync(shop.ShopId, "status", order.Id, $"Order {order.Id} held until {until:u} (order hold period).", cancellationToken);
        }

        return $"Order {order.Id} held until {until:u}.";
    }

    private async Task<string?> RecordNotImportedAsync(ShopEntity shop, OrderEntity row, TikTokOrder order, string status, CancellationToken cancellationToken)
    {
        var wasFailed = row.ImportState == ImportStates.Failed;
        OrderSnapshot.Apply(row, order);
        (row.ImportState, row.FailureReason) = status switch
        {
            _ when TikTokStatus.IsHeld(status) => (ImportStates.Waiting, (string?)null),
            TikTokStatus.Cancelled => (ImportStates.Skipped, "Cancelled on TikTok before it reached the store; nothing to import."),
            _ => (ImportStates.Skipped, $"Orders in status {TikTokStatus.Label(status)} are not imported (settings)."),
        };
        row.FailureCode = null;
        row.UpdatedAt = time.GetUtcNow();
        if (wasFailed || status == TikTokStatus.Cancelled)
        {
            row.AddActivity(ActivityKinds.Status, $"Order {order.Id} is {TikTokStatus.Label(status)} on TikTok; not imported.", row.UpdatedAt);
        }

        if (!await orders.TrySaveAsync(row, cancellationToken))
        {
            return null;
        }

        return $"Order {order.Id} is {status}: {row.ImportState}.";
    }

    private async Task<string> FailAsync(ShopEntity shop, OrderEntity row, TikTokOrder? order, string code, string reason, CancellationToken cancellationToken)
    {
        var update = await ConditionalUpdate.RunAsync(
            row,
            async ct => await orders.GetAsync(shop.ShopId, row.OrderId, ct) ?? NewRow(shop, row.OrderId),
            current =>
            {
                if (!ReferenceEquals(current, row) && current.StoreOrderId is not null)
                {
                    return RowChange.None;
                }

                if (order is not null)
                {
                    OrderSnapshot.Apply(current, order);
                }

                current.ImportState = ImportStates.Failed;
                current.FailureCode = code;
                current.FailureReason = reason;
                current.ClaimMessageId = null;
                current.ClaimUntil = null;
                current.UpdatedAt = time.GetUtcNow();
                current.AddActivity(ActivityKinds.Failed, $"Order {row.OrderId} failed: {reason}", current.UpdatedAt);
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);

        // Lost every race: nothing was written, so nothing may be reported as failed; the work comes back later.
        if (!update.ThrowIfContended($"Order {row.OrderId} (failure {code})").IsWritten)
        {
            return $"Order {row.OrderId} was imported by another delivery.";
        }

        Telemetry.OrdersFailed.Add(1);
        Log.OrderFailed(logger, shop.ShopId, row.OrderId, code, reason);
        return $"Order {row.OrderId} failed: {reason}";
    }

    /// <summary>
    /// The work keeps failing on something that does not answer (see Functions.TransientRetries), or TikTok refuses it
    /// (authorisation gone): an order not in the store yet shows as Failed with the reason (a later attempt or the
    /// merchant's retry imports it); an imported one gets an activity line saying TikTok's latest status is not applied.
    /// </summary>
    public async Task RecordProblemAsync(OrderWork work, string code, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var shop = await shops.GetRecentAsync(work.ShopId, cancellationToken);
        if (shop is null)
        {
            return;
        }

        var row = await orders.GetAsync(shop.ShopId, work.OrderId, cancellationToken);
        if (row?.StoreOrderId is not null)
        {
            await activity.AddAsync(shop.ShopId, "failed", work.OrderId, $"Order {work.OrderId}: TikTok's latest status is not applied. {reason}", cancellationToken);
            return;
        }

        await FailAsync(shop, row ?? NewRow(shop, work.OrderId), work.Order, code, reason, cancellationToken);
    }

    private static OrderEntity NewRow(ShopEntity shop, string orderId) => new()
    {
        PartitionKey = shop.ShopId,
        RowKey = OrderPartition.OrderKey(orderId),
    };
}
