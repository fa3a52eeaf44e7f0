using Connector.Messaging;
using Connector.State;
using Connector.Stores;
using Connector.TikTok;

namespace Connector.Orders.WriteBack;

/// <summary>What a store change asks of a delivery, before anything is sent to TikTok (the write-back's decision table).</summary>
public enum WriteBackClaim
{
    /// <summary>The change is handled already (or the row is another store order's): nothing to do.</summary>
    AlreadyHandled,

    /// <summary>Another delivery is carrying a change of this order to TikTok right now: try again shortly.</summary>
    Busy,

    /// <summary>This delivery takes the order's write-back claim.</summary>
    Claim,
}

public static class WriteBackDecision
{
    public static WriteBackClaim Claim(OrderEntity row, StoreChangeWork work, Delivery delivery, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(delivery);
        if (row.StoreOrderId != work.StoreOrderId || row.StoreChangeSeen >= work.ChangedAt)
        {
            return WriteBackClaim.AlreadyHandled;
        }

        return HeldByOther(row, delivery.MessageId, now) ? WriteBackClaim.Busy : WriteBackClaim.Claim;
    }

    /// <summary>
    /// Another delivery is sending something of this order to TikTok right now (a store change, or a package shipped from the
    /// order page): one claim for both, so the same units are never shipped twice.
    /// </summary>
    public static bool HeldByOther(OrderEntity row, string claimId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.WriteBackClaimUntil > now && row.WriteBackClaimId != claimId;
    }

    /// <summary>
    /// Whether the store order's state may hold something TikTok lacks: a cancellation not sent yet, or a shipment of a
    /// seller-shipped order that is new or corrected. Connector's own store updates need no TikTok read.
    /// </summary>
    public static bool MayNeedTikTok(OrderEntity row, StoreOrderState state, IReadOnlyList<SentShipment> sent)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(sent);
        return state.CancelledAt is not null
            ? row.TikTokCancelSentAt is null && row.TikTokStatus != TikTokStatus.Cancelled
            : !row.ShippedByTikTok && state.Shipments.Any(s => sent.FirstOrDefault(k => k.StoreShipmentId == s.Id) is not { } known || IsCorrection(known, s));
    }

    /// <summary>A shipment TikTok has, whose tracking number the merchant changed in the store since.</summary>
    public static bool IsCorrection(SentShipment sent, StoreShipment shipment)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(shipment);
        return sent.PackageId is not null && !string.IsNullOrWhiteSpace(shipment.TrackingNumber)
            && !string.Equals(sent.TrackingNumber, shipment.TrackingNumber.Trim(), StringComparison.Ordinal);
    }
}
