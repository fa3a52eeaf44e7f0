using System.Text.Json;
using Connector.Diagnostics;
using Connector.Messaging;
using Connector.Orders.WriteBack;
using Connector.State;
using Connector.TikTok;

namespace Connector.Orders.Actions;

/// <summary>
/// Ships a package the merchant entered on the order page (issue 13 item 4): MarkPackageAsShipped (reference §6.1) for
/// exactly the units chosen. It takes the order's write-back claim, the one store shipments take (StoreWriteBack), and
/// re-reads TikTok, which judges what is still unshipped: a repeated press, a redelivered message or a store shipment of the
/// same units racing it sends the units once. The package goes on the order's shipments sent to TikTok and its timeline in
/// one write; TikTok's new status (Partially Shipping, Awaiting Collection, then In Transit) comes with the re-read queued here.
/// </summary>
public sealed class ShipFromPage(
    ShopStore shops,
    OrderStore orders,
    TikTokClient tiktok,
    ShippingProviderDirectory providers,
    IQueueSender sender,
    TimeProvider time,
    ILogger<ShipFromPage> logger)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async Task<WorkOutcome> RunAsync(ShipWork work, Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(delivery);
        var shop = await shops.GetAsync(work.ShopId, cancellationToken);
        if (shop is null)
        {
            return new WorkOutcome.Done($"Shop {work.ShopId} is not connected; shipment of {work.OrderId} ignored.");
        }

        var (row, claim) = await ClaimAsync(shop.ShopId, work, delivery, cancellationToken);
        if (claim == WriteBackClaim.Busy)
        {
            return new WorkOutcome.Busy($"Order {work.OrderId}: another delivery is sending a shipment to TikTok; try again shortly.");
        }

        if (row is null)
        {
            return new WorkOutcome.Done($"Order {work.OrderId}: package {work.TrackingNumber} is on TikTok already (or the order is gone).");
        }

        var result = new Result();
        try
        {
            await ShipAsync(shop, work, result, cancellationToken);
        }
        catch (TikTokApiException e) when (!e.IsTransient && e.Code != TikTokErrorCodes.ExpiredAccessToken)
        {
            result.Issue = $"TikTok refused tracking {work.TrackingNumber}: {e.TikTokMessage} (code {e.Code}).";
        }
        catch
        {
            await ReleaseAsync(row, work, delivery, null, cancellationToken); // the retry may claim it again at once
            throw;
        }

        await ReleaseAsync(row, work, delivery, result, cancellationToken);
        if (result.Sent is not null)
        {
            // TikTok's new status reaches the order (and the store) now, without waiting for its webhook.
            await sender.SendAsync(new OrderWork
            {
                ShopId = shop.ShopId,
                OrderId = work.OrderId,
                UpdateTime = row.TikTokUpdateTime,
                Reason = "action",
                Attempt = $"ship{work.Key}",
            }, cancellationToken);
        }

        var message = result.Done ?? $"Shipment of order {work.OrderId} not done: {result.Issue}";
        Log.PageShipmentRun(logger, shop.ShopId, work.OrderId, work.TrackingNumber, message);
        return new WorkOutcome.Done(message);
    }

    private async Task ShipAsync(ShopEntity shop, ShipWork work, Result result, CancellationToken cancellationToken)
    {
        var order = (await tiktok.GetOrdersAsync(shop, [work.OrderId], cancellationToken)).FirstOrDefault(o => o.Id == work.OrderId);
        if (order is null)
        {
            result.Issue = $"TikTok does not return order {work.OrderId} for this shop.";
            return;
        }

        var units = order.LineItems.Count(l => l.CancelUser is null);
        var onTikTok = order.LineItems.Where(l => l.TrackingNumber == work.TrackingNumber && !string.IsNullOrEmpty(l.PackageId)).ToList();
        if (onTikTok.Count > 0)
        {
            // Sent before and its record lost (a crash, a redelivery): TikTok has the package, so it is only recorded.
            result.Sent = new SentShipment(PageShipments.RecordPrefix + work.Key, onTikTok[0].PackageId, work.TrackingNumber, onTikTok.Count);
            result.Done = $"Package {work.TrackingNumber} is on TikTok already ({onTikTok.Count} of {units} unit(s)); nothing more to send.";
            return;
        }

        if (PageShipments.Refusal(order.Status, OrderSnapshot.ShippedByTikTok(order)) is { } refusal)
        {
            result.Issue = refusal;
            return;
        }

        var available = ShipmentPlanner.Unshipped(order).ToList();
        if (PageShipments.Exceeding(work.Units, PageShipments.Remaining(order)) is { } exceeding)
        {
            result.Issue = $"{exceeding.Message} (TikTok shows the order as it is now; a store shipment may have shipped them.)";
            return;
        }

        var provider = (await providers.GetAsync(shop, cancellationToken)).FirstOrDefault(p => p.Id == work.ShippingProviderId);
        if (provider is null)
        {
            result.Issue = "the carrier is no longer one of TikTok's shipping providers for this shop; choose another.";
            return;
        }

        var lineIds = work.Units
            .SelectMany(u => available.Where(l => (l.SellerSku?.Trim() ?? "") == u.SellerSku).Take(u.Quantity))
            .Select(l => l.Id)
            .ToList();
        var package = await tiktok.MarkPackageAsShippedAsync(shop, order.Id, lineIds, provider.Id, work.TrackingNumber, cancellationToken);
        result.Sent = new SentShipment(PageShipments.RecordPrefix + work.Key, package.PackageId, work.TrackingNumber, lineIds.Count);
        var contents = string.Join(", ", work.Units.Select(u => $"{u.Quantity} × {u.SellerSku}"));
        result.Done = $"Shipped from the order page: tracking {work.TrackingNumber} ({provider.Name}) sent to TikTok for {lineIds.Count} of {units} unit(s): {contents}.";
    }

    /// <summary>Takes the order's write-back claim for this delivery, unless the package is recorded already (null row) or the claim is held.</summary>
    private async Task<(OrderEntity? Row, WriteBackClaim Claim)> ClaimAsync(string shopId, ShipWork work, Delivery delivery, CancellationToken cancellationToken)
    {
        var decision = WriteBackClaim.AlreadyHandled;
        var update = await ConditionalUpdate.RunAsync(
            ct => orders.GetAsync(shopId, work.OrderId, ct),
            row =>
            {
                var now = time.GetUtcNow();
                decision = PageShipments.IsRecorded(StoreWriteBack.Sent(row), work.Key) ? WriteBackClaim.AlreadyHandled
                    : WriteBackDecision.HeldByOther(row, delivery.MessageId, now) ? WriteBackClaim.Busy
                    : WriteBackClaim.Claim;
                if (decision != WriteBackClaim.Claim)
                {
                    return RowChange.None;
                }

                row.WriteBackClaimId = delivery.MessageId;
                row.WriteBackClaimUntil = now + StoreWriteBack.ClaimLifetime;
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        return update.ThrowIfContended($"Order {work.OrderId} (page shipment claim)").IsWritten
            ? (update.Row, WriteBackClaim.Claim)
            : (null, update.Status == RowUpdateStatus.NotFound ? WriteBackClaim.AlreadyHandled : decision);
    }

    /// <summary>
    /// Releases the claim; with a result, records the package among the order's shipments sent to TikTok, the outcome (or why
    /// not) for the merchant and its step on the timeline, in one write.
    /// </summary>
    private async Task ReleaseAsync(OrderEntity row, ShipWork work, Delivery delivery, Result? result, CancellationToken cancellationToken)
    {
        var update = await ConditionalUpdate.RunAsync(
            row,
            ct => orders.GetAsync(row.PartitionKey, work.OrderId, ct),
            current =>
            {
                var held = current.WriteBackClaimId == delivery.MessageId;
                if (held)
                {
                    current.WriteBackClaimId = null;
                    current.WriteBackClaimUntil = null;
                }

                if (result is null)
                {
                    return held ? RowChange.Write : RowChange.None;
                }

                var now = time.GetUtcNow();
                if (result.Sent is { } sent)
                {
                    var known = StoreWriteBack.Sent(current);
                    if (!PageShipments.IsRecorded(known, work.Key))
                    {
                        current.TikTokShipmentsJson = JsonSerializer.Serialize(known.Append(sent).ToList(), JsonOptions);
                    }

                    current.ShippedFromPage = true;
                }

                current.ActionIssue = result.Issue is null ? null : $"Shipment not done: {result.Issue}";
                current.UpdatedAt = now;
                current.AddActivity(result.Issue is null ? ActivityKinds.Action : ActivityKinds.Failed,
                    result.Done ?? $"Shipment {work.TrackingNumber} of order {work.OrderId} not done: {result.Issue}", now);
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        update.ThrowIfContended($"Order {work.OrderId} (page shipment record)");
    }

    private sealed class Result
    {
        public SentShipment? Sent { get; set; }
        public string? Done { get; set; }
        public string? Issue { get; set; }
    }
}
