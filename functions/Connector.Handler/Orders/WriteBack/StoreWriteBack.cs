using System.Text.Json;
using Connector.Diagnostics;
using Connector.Messaging;
using Connector.State;
using Connector.Stores;
using Connector.TikTok;
using Connector.Orders.Import;

namespace Connector.Orders.WriteBack;

/// <summary>
/// Store → TikTok, step two (design §1 "shipments and cancellations made by the merchant reach TikTok"): for one changed
/// store order, sends each new shipment with its tracking to TikTok (MarkPackageAsShipped, §6.1) and a cancellation
/// (CancelOrder, §6.2). TikTok is re-read first and is the judge of what is still to do, so Connector's own store updates
/// (made from TikTok's status) and repeated deliveries send nothing. One delivery works on an order at a time (a claim
/// on the row, ETag-guarded); what could not be sent is kept on the order in words for the merchant.
/// </summary>
public sealed class StoreWriteBack(
    ShopStore shops,
    OrderStore orders,
    TikTokClient tiktok,
    StoreClients stores,
    ShippingProviderDirectory providers,
    ActivityStore activity,
    TimeProvider time,
    ILogger<StoreWriteBack> logger)
{
    internal static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(60);
    private const long SettleMilliseconds = 5_000;
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async Task<WorkOutcome> ProcessAsync(StoreChangeWork work, Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(delivery);
        var shop = await shops.GetRecentAsync(work.ShopId, cancellationToken);
        if (shop is null)
        {
            return new WorkOutcome.Done($"Shop {work.ShopId} is not connected; store change of {work.OrderId} ignored.");
        }

        var (row, claim) = await ClaimAsync(shop, work, delivery, cancellationToken);
        if (claim == WriteBackClaim.Busy)
        {
            return new WorkOutcome.Busy($"Order {work.OrderId}: another delivery is carrying a store change to TikTok; try again shortly.");
        }

        if (row is null)
        {
            return new WorkOutcome.Done($"Order {work.OrderId}: store change {work.ChangedAt} already carried to TikTok.");
        }

        // A platform without a change feed (Etsy) has no store order to read: as if the store had none.
        var feed = stores.ChangeFeed(shop.Platform);
        var storeName = stores.DisplayName(shop.Platform);
        var result = new Outcome();
        StoreOrderState? state = null;
        try
        {
            state = feed is null ? null : await feed.GetOrderStateAsync(StoreAccess.From(shop), work.StoreOrderId, cancellationToken);
        }
        catch (StoreRejectedException e)
        {
            result.Issue = $"{storeName} did not show the order: {e.Message}";
        }

        if (state?.CancelledAt is { } cancelledAt && row.StoreCancelledAt is null)
        {
            // Before TikTok hears of it: TikTok's CANCELLED (its webhook may come back at once) must not cancel the store order again.
            row = await MarkStoreCancelledAsync(shop, row, cancelledAt, cancellationToken);
        }

        // Connector's own store updates (the order it created, a status it carried over) need no TikTok read.
        if (result.Issue is null && (state is null || WriteBackDecision.MayNeedTikTok(row, state, Sent(row))))
        {
            try
            {
                var order = (await tiktok.GetOrdersAsync(shop, [work.OrderId], cancellationToken)).FirstOrDefault(o => o.Id == work.OrderId);
                await ApplyAsync(shop, row, work, order, state, storeName, result, cancellationToken);
            }
            catch (TikTokApiException e) when (!e.IsTransient && e.Code != TikTokErrorCodes.ExpiredAccessToken)
            {
                result.Issue = $"TikTok refused: {e.TikTokMessage} (code {e.Code}).";
            }
        }

        await RecordAsync(shop, row, work, delivery, result, cancellationToken);
        foreach (var message in result.Done)
        {
            Log.WrittenBack(logger, shop.ShopId, work.OrderId, message);
            await activity.AddAsync(shop.ShopId, "writeback", work.OrderId, message, cancellationToken);
        }

        if (result.Issue is not null)
        {
            Log.WriteBackIssue(logger, shop.ShopId, work.OrderId, result.Issue);
            await activity.AddAsync(shop.ShopId, "failed", work.OrderId, $"Order {work.OrderId}: {result.Issue}", cancellationToken);
        }

        return new WorkOutcome.Done(result.Issue is null
            ? $"Order {work.OrderId}: {(result.Done.Count == 0 ? "nothing to send to TikTok" : string.Join(" ", result.Done))}"
            : $"Order {work.OrderId}: {result.Issue}");
    }

    private async Task<OrderEntity> MarkStoreCancelledAsync(ShopEntity shop, OrderEntity row, DateTimeOffset cancelledAt, CancellationToken cancellationToken)
    {
        var update = await ConditionalUpdate.RunAsync(
            row,
            ct => orders.GetAsync(shop.ShopId, row.OrderId, ct),
            current =>
            {
                if (current.StoreCancelledAt is not null)
                {
                    return RowChange.None;
                }

                current.StoreCancelledAt = cancelledAt;
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        return update.ThrowIfContended($"Order {row.OrderId} (store cancellation)").Row
            ?? throw new InvalidOperationException($"Order {row.OrderId} disappeared while its store cancellation was recorded.");
    }

    /// <summary>The change keeps failing on something that does not answer (see Functions.TransientRetries): the order says so.</summary>
    public async Task RecordWaitingAsync(StoreChangeWork work, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var update = await ConditionalUpdate.RunAsync(
            ct => orders.GetAsync(work.ShopId, work.OrderId, ct),
            row =>
            {
                if (row.StoreChangeSeen >= work.ChangedAt)
                {
                    return RowChange.None;
                }

                row.WriteBackIssue = $"Not sent yet: {reason}";
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        if (update.ThrowIfContended($"Order {work.OrderId} (waiting note)").IsWritten)
        {
            await activity.AddAsync(work.ShopId, "failed", work.OrderId, $"Order {work.OrderId}: store change not sent to TikTok yet. {reason}", cancellationToken);
        }
    }

    /// <summary>Whether the store shows something TikTok may not know yet; saves the TikTok read for Connector's own updates.</summary>
    private async Task ApplyAsync(
        ShopEntity shop, OrderEntity row, StoreChangeWork work, TikTokOrder? order, StoreOrderState? state, string storeName, Outcome result,
        CancellationToken cancellationToken)
    {
        if (state is null || order is null)
        {
            result.Issue = state is null
                ? $"The {storeName} order {row.StoreOrderName ?? work.StoreOrderId} no longer exists, so nothing can be sent to TikTok."
                : $"TikTok does not return order {work.OrderId} for this shop.";
        }
        else if (state.CancelledAt is not null)
        {
            await CancelOnTikTokAsync(shop, row, order, state, storeName, result, cancellationToken);
        }
        else
        {
            foreach (var shipment in state.Shipments)
            {
                await ShipOnTikTokAsync(shop, row, order, shipment, storeName, result, cancellationToken);
            }
        }
    }

    private async Task CancelOnTikTokAsync(
        ShopEntity shop, OrderEntity row, TikTokOrder order, StoreOrderState state, string storeName, Outcome result, CancellationToken cancellationToken)
    {
        var status = TikTokStatus.Normalize(order.Status);
        if (status == TikTokStatus.Cancelled || row.TikTokCancelSentAt is not null)
        {
            return; // TikTok cancelled it (Connector then cancelled the store order), or the merchant's cancellation went already.
        }

        var settings = ShopSettings.Parse(shop.SettingsJson);
        if (!settings.CancellationsToTikTok)
        {
            result.Issue = $"Cancelled in {storeName}; sending cancellations to TikTok is off in the settings, so cancel it in TikTok Seller Center.";
            return;
        }

        var key = TikTokCancelReasons.KeyFor(status, state.CancelReason, settings.CancelReason, order.RecipientAddress?.RegionCode);
        if (key is null)
        {
            result.Issue = $"Cancelled in {storeName}, but the TikTok order is {TikTokStatus.Label(status)}: TikTok only lets a seller cancel "
                + "before shipping. Handle it as a return in TikTok Seller Center.";
            return;
        }

        try
        {
            var cancellation = await tiktok.CancelOrderAsync(shop, order.Id, key, cancellationToken);
            result.CancelSent = true;
            result.Done.Add($"Cancelled in {storeName}: cancellation sent to TikTok ({key}, {cancellation.CancelStatus ?? "requested"}).");
        }
        catch (TikTokApiException e) when (!e.IsTransient && e.Code != TikTokErrorCodes.ExpiredAccessToken)
        {
            result.Issue = $"Cancelled in {storeName}, but TikTok refused the cancellation: {e.TikTokMessage} (code {e.Code}). Cancel it in TikTok Seller Center.";
        }
    }

    private async Task ShipOnTikTokAsync(
        ShopEntity shop, OrderEntity row, TikTokOrder order, StoreShipment shipment, string storeName, Outcome result, CancellationToken cancellationToken)
    {
        if (Sent(row).FirstOrDefault(s => s.StoreShipmentId == shipment.Id) is { } sent)
        {
            if (WriteBackDecision.IsCorrection(sent, shipment))
            {
                await CorrectTrackingOnTikTokAsync(shop, sent, shipment, storeName, result, cancellationToken);
            }

            return;
        }

        if (result.Sent.Any(s => s.StoreShipmentId == shipment.Id))
        {
            return;
        }

        if (row.ShippedByTikTok || OrderSnapshot.ShippedByTikTok(order))
        {
            return; // TikTok ships these itself; a store fulfilment of them is Connector's own copy of TikTok's tracking.
        }

        var tracking = shipment.TrackingNumber?.Trim();
        if (!string.IsNullOrEmpty(tracking) && order.LineItems.Any(l => l.TrackingNumber == tracking))
        {
            // Sent before (the record of it was lost) or shipped with the same tracking on TikTok: nothing more to do.
            result.Sent.Add(new SentShipment(shipment.Id, order.LineItems.First(l => l.TrackingNumber == tracking).PackageId, tracking, 0));
            return;
        }

        var status = TikTokStatus.Normalize(order.Status);
        if (status is not (TikTokStatus.AwaitingShipment or TikTokStatus.PartiallyShipping))
        {
            if (status == TikTokStatus.Cancelled)
            {
                result.Issue = $"Shipped in {storeName}, but TikTok shows the order cancelled: don't send the parcel, or settle it with the buyer.";
            }

            // Otherwise it was shipped on TikTok already (Seller Center, or another tool): nothing left to send.
            result.Sent.Add(new SentShipment(shipment.Id, null, tracking, 0));
            return;
        }

        var lineIds = ShipmentPlanner.LineItemsFor(shipment, OrderSnapshot.Lines(row), order);
        if (lineIds.Count == 0)
        {
            result.Sent.Add(new SentShipment(shipment.Id, null, tracking, 0));
            return;
        }

        if (!ShopSettings.Parse(shop.SettingsJson).ShipmentsToTikTok)
        {
            result.Issue = $"Shipped in {storeName}; sending shipments to TikTok is off in the settings, so add the tracking in TikTok Seller Center.";
            return;
        }

        if (string.IsNullOrEmpty(tracking))
        {
            result.Issue = $"Shipped in {storeName} without a tracking number; TikTok needs one. Add the tracking number to the shipment in {storeName}.";
            return;
        }

        var known = await providers.GetAsync(shop, cancellationToken);
        var provider = ShipmentPlanner.ProviderFor(shipment.Carrier, known);
        if (provider is null)
        {
            result.Issue = $"Shipment {tracking} in {storeName} has carrier '{shipment.Carrier ?? "none"}', which is not one of TikTok's shipping "
                + $"providers for this shop ({string.Join(", ", known.Select(p => p.Name))}). Pick one of those as the carrier in {storeName}.";
            return;
        }

        try
        {
            var package = await tiktok.MarkPackageAsShippedAsync(shop, order.Id, lineIds, provider.Id, tracking, cancellationToken);
            result.Sent.Add(new SentShipment(shipment.Id, package.PackageId, tracking, lineIds.Count));
            var units = order.LineItems.Count(l => l.CancelUser is null);
            result.Done.Add($"Shipped in {storeName}: tracking {tracking} ({provider.Name}) sent to TikTok for {lineIds.Count} of {units} unit(s).");
        }
        catch (TikTokApiException e) when (!e.IsTransient && e.Code != TikTokErrorCodes.ExpiredAccessToken)
        {
            result.Issue = $"Shipped in {storeName}, but TikTok refused tracking {tracking}: {e.TikTokMessage} (code {e.Code}).";
        }
    }

    /// <summary>A shipment sent before whose tracking number the merchant changed since (a typo fixed in the store).</summary>
    /// <summary>UpdatePackageShippingInfo for a corrected tracking number (TikTok takes it within 72 hours of shipping).</summary>
    private async Task CorrectTrackingOnTikTokAsync(
        ShopEntity shop, SentShipment sent, StoreShipment shipment, string storeName, Outcome result, CancellationToken cancellationToken)
    {
        var tracking = shipment.TrackingNumber!.Trim();
        var provider = ShipmentPlanner.ProviderFor(shipment.Carrier, await providers.GetAsync(shop, cancellationToken));
        if (provider is null)
        {
            result.Issue = $"Tracking of shipment {sent.TrackingNumber} changed to {tracking} in {storeName}, but carrier '{shipment.Carrier ?? "none"}' "
                + "is not one of TikTok's shipping providers for this shop. Pick one of them as the carrier.";
            return;
        }

        try
        {
            await tiktok.UpdatePackageShippingInfoAsync(shop, sent.PackageId!, provider.Id, tracking, cancellationToken);
            result.Corrected.Add(sent with { TrackingNumber = tracking });
            result.Done.Add($"Tracking corrected in {storeName}: {sent.TrackingNumber} → {tracking} ({provider.Name}) sent to TikTok.");
        }
        catch (TikTokApiException e) when (!e.IsTransient && e.Code != TikTokErrorCodes.ExpiredAccessToken)
        {
            result.Issue = $"Tracking of shipment {sent.TrackingNumber} changed to {tracking} in {storeName}, but TikTok refused it: {e.TikTokMessage} "
                + $"(code {e.Code}). TikTok takes corrections for 72 hours after shipping; after that, in Seller Center only.";
        }
    }

    /// <summary>Takes the order for this delivery: the claimed row, or null with why (handled already, or busy with another delivery).</summary>
    private async Task<(OrderEntity? Row, WriteBackClaim Claim)> ClaimAsync(ShopEntity shop, StoreChangeWork work, Delivery delivery, CancellationToken cancellationToken)
    {
        var decision = WriteBackClaim.AlreadyHandled;
        var update = await ConditionalUpdate.RunAsync(
            ct => orders.GetAsync(shop.ShopId, work.OrderId, ct),
            row =>
            {
                var now = time.GetUtcNow();
                decision = WriteBackDecision.Claim(row, work, delivery, now);
                if (decision != WriteBackClaim.Claim)
                {
                    return RowChange.None;
                }

                row.WriteBackClaimId = delivery.MessageId;
                row.WriteBackClaimUntil = now + ClaimLifetime;
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);

        // Not found or unchanged: the change was handled already (or its order is gone), or another delivery holds it.
        return update.ThrowIfContended($"Order {work.OrderId} (write-back claim)").IsWritten
            ? (update.Row, WriteBackClaim.Claim)
            : (null, update.Status == RowUpdateStatus.NotFound ? WriteBackClaim.AlreadyHandled : decision);
    }

    /// <summary>Saves what was sent and what could not be, and releases the claim; re-read and re-applied when the row moved meanwhile.</summary>
    private async Task RecordAsync(ShopEntity shop, OrderEntity row, StoreChangeWork work, Delivery delivery, Outcome result, CancellationToken cancellationToken)
    {
        var update = await ConditionalUpdate.RunAsync(
            row,
            ct => orders.GetAsync(shop.ShopId, work.OrderId, ct),
            current =>
            {
                var known = Sent(current);
                var sent = known
                    .Select(k => result.Corrected.FirstOrDefault(c => c.StoreShipmentId == k.StoreShipmentId) ?? k)
                    .Concat(result.Sent.Where(s => known.All(k => k.StoreShipmentId != s.StoreShipmentId))).ToList();
                current.TikTokShipmentsJson = JsonSerializer.Serialize(sent, JsonOptions);
                if (result.CancelSent)
                {
                    current.TikTokCancelSentAt ??= time.GetUtcNow();
                }

                current.WriteBackIssue = result.Issue;
                // Store update times have whole seconds: a change read within its own second may be followed by another with the
                // same time, so it counts as seen only once that second (plus clock skew) is well past.
                var settled = time.GetUtcNow().ToUnixTimeMilliseconds() - work.ChangedAt > SettleMilliseconds;
                current.StoreChangeSeen = Math.Max(current.StoreChangeSeen, settled ? work.ChangedAt : work.ChangedAt - 1);
                if (current.WriteBackClaimId == delivery.MessageId)
                {
                    current.WriteBackClaimId = null;
                    current.WriteBackClaimUntil = null;
                }

                current.UpdatedAt = time.GetUtcNow();
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        if (update.ThrowIfContended($"Order {work.OrderId} (store change record)").Status == RowUpdateStatus.NotFound)
        {
            throw new InvalidOperationException($"Order {work.OrderId} disappeared while its store change was recorded.");
        }
    }

    /// <summary>The shipments of the order already on TikTok: store shipments and packages shipped from the order page.</summary>
    internal static List<SentShipment> Sent(OrderEntity row) =>
        string.IsNullOrEmpty(row.TikTokShipmentsJson) ? [] : JsonSerializer.Deserialize<List<SentShipment>>(row.TikTokShipmentsJson, JsonOptions) ?? [];

    private sealed class Outcome
    {
        public List<string> Done { get; } = [];
        public List<SentShipment> Sent { get; } = [];
        public List<SentShipment> Corrected { get; } = [];
        public bool CancelSent { get; set; }
        public string? Issue { get; set; }
    }
}
