using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>
/// One TikTok order as Connector knows it: PK = shop id, RK = TikTok order id. Written with ETag conditions only.
/// </summary>
public sealed class OrderEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string OrderId => RowKey;

    /// <summary>TikTok's order status (UNPAID ... CANCELLED).</summary>
    public string TikTokStatus { get; set; } = "";

    /// <summary>Connector's state of the import: Waiting, Importing, Imported, Failed, Skipped.</summary>
    public string ImportState { get; set; } = ImportStates.Waiting;

    /// <summary>TikTok's <c>update_time</c> of the snapshot this row reflects; statuses only move forward with it.</summary>
    public long TikTokUpdateTime { get; set; }
    public long CreatedAt { get; set; }
    public string? CustomerName { get; set; }
    public string? Price { get; set; }
    public string? Currency { get; set; }
    public int Quantity { get; set; }
    public string? FulfilledBy { get; set; }
    public string? LogisticMode { get; set; }
    public string? ProductNames { get; set; }
    public string? ProductIds { get; set; }
    public string? Skus { get; set; }

    /// <summary>The order's lines as JSON (Orders.OrderSnapshot writes and reads them).</summary>
    public string LinesJson { get; set; } = "[]";

    /// <summary>Serialized masked address as TikTok returned it.</summary>
    public string? AddressJson { get; set; }

    public string? StoreOrderId { get; set; }
    public string? StoreOrderName { get; set; }
    public string? StoreOrderUrl { get; set; }
    public DateTimeOffset? ImportedAt { get; set; }

    // TikTok → store status sync (each done once; see StoreStatusSync).
    public bool ShippedByTikTok { get; set; }
    public string? TrackingNumber { get; set; }
    public string? ShippingProvider { get; set; }
    public string? CancellationInitiator { get; set; }
    public string? CancelReason { get; set; }
    public DateTimeOffset? StoreCancelledAt { get; set; }
    public DateTimeOffset? StoreFulfilledAt { get; set; }
    public DateTimeOffset? StoreCompletedAt { get; set; }

    /// <summary>A delivery is carrying TikTok's status into the store until then (one at a time; see StoreStatusSync).</summary>
    public DateTimeOffset? StoreSyncClaimUntil { get; set; }

    /// <summary>Units TikTok has shipped per seller SKU (JSON), and how many of them the store already shows fulfilled.</summary>
    public string? ShippedUnitsJson { get; set; }
    public int StoreShippedUnits { get; set; }

    /// <summary>TikTok's address changed after the store order was made; the store has not been told yet.</summary>
    public bool StoreAddressPending { get; set; }

    // Store → TikTok write-back (see StoreWriteBack).

    /// <summary>The store's update time (Unix ms) of the newest store change already carried to TikTok.</summary>
    public long StoreChangeSeen { get; set; }

    /// <summary>Store shipments already sent to TikTok (JSON list of Orders.WriteBack.SentShipment).</summary>
    public string? TikTokShipmentsJson { get; set; }

    /// <summary>When the merchant's cancellation in the store was sent to TikTok.</summary>
    public DateTimeOffset? TikTokCancelSentAt { get; set; }

    /// <summary>Why the latest store change could not be carried to TikTok, in words for the merchant; null when all went through.</summary>
    public string? WriteBackIssue { get; set; }

    public string? WriteBackClaimId { get; set; }
    public DateTimeOffset? WriteBackClaimUntil { get; set; }

    // Order actions (see Orders/Actions): the buyer's cancellation request, the merchant's actions, the external reference.

    /// <summary>TikTok's id of the order's latest buyer cancellation request, its status, reason and response deadline (Unix seconds).</summary>
    public string? CancelRequestId { get; set; }
    public string? CancelRequestStatus { get; set; }
    public string? CancelRequestReason { get; set; }
    public long? CancelRequestDeadline { get; set; }
    public long CancelRequestUpdateTime { get; set; }

    /// <summary>The order's latest return or refund request as JSON (Orders.Actions.ReturnSummary), and its update time.</summary>
    public string? ReturnJson { get; set; }
    public long ReturnUpdateTime { get; set; }

    /// <summary>The Returns view's tab of that return (Orders.Refunds.ReturnTabs), written with it; null without one.</summary>
    public string? ReturnTab { get; set; }

    /// <summary>A refund TikTok completed that the store does not show yet: its return id (see Orders/Refunds/StoreRefunds).</summary>
    public string? RefundPendingReturnId { get; set; }

    /// <summary>The return id whose store refund has started (a step interrupted after this is not repeated blindly).</summary>
    public string? RefundStartedReturnId { get; set; }

    /// <summary>Return ids whose refund the store shows, comma-separated: each is carried to the store once.</summary>
    public string? StoreRefundedReturnIds { get; set; }

    /// <summary>Why the store refused the pending refund, in words; null when none failed.</summary>
    public string? RefundIssue { get; set; }

    /// <summary>When the merchant's cancellation from the order page was sent to TikTok (the store order follows TikTok's CANCELLED).</summary>
    public DateTimeOffset? PageCancelSentAt { get; set; }

    /// <summary>
    /// The merchant shipped a package of this seller-shipped order from the order page: the store order follows TikTok's
    /// shipment (its units fulfilled with the tracking) as it does for TikTok-shipped orders (see StoreStatusSync).
    /// </summary>
    public bool ShippedFromPage { get; set; }

    /// <summary>The latest order action the merchant started and how it ended, in words (null while none).</summary>
    public string? ActionIssue { get; set; }

    /// <summary>The store order id TikTok shows as the order's external reference (sent once).</summary>
    public string? ExternalRefSent { get; set; }

    /// <summary>The merchant's order hold period keeps the order waiting until then (a scheduled message resumes it).</summary>
    public DateTimeOffset? HoldUntil { get; set; }

    public string? FailureCode { get; set; }

    /// <summary>TikTok seller SKUs that failed to match, as a JSON array (for the SKU mapping form).</summary>
    public string? FailingSkusJson { get; set; }
    public string? FailureReason { get; set; }
    public string? LastError { get; set; }
    public int Attempts { get; set; }

    // The import claim: who is creating the store order right now (see OrderImporter).
    public string? ClaimMessageId { get; set; }
    public int ClaimDelivery { get; set; }
    public DateTimeOffset? ClaimUntil { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// The row as stored when it was read or last saved (not itself stored): tells the save which grid pointers to move
    /// or leave alone, and whether this save is the one that records the store order (the plan usage record).
    /// </summary>
    [IgnoreDataMember]
    public StoredOrderState? Stored { get; set; }

    /// <summary>Activity to write with the next save of this row, in the same transaction (not itself stored).</summary>
    [IgnoreDataMember]
    public List<PendingActivity> PendingActivity { get; } = [];

    /// <summary>Records an event in the shop's feed and the order's timeline, written with the next save of this row.</summary>
    public void AddActivity(string kind, string message, DateTimeOffset at) => PendingActivity.Add(new(kind, message, at));

    /// <summary>
    /// The status tab the merchant sees the order in: its TikTok status, Failed when Connector could not import it, or
    /// Cancellation requested while the buyer's request waits for the merchant's answer.
    /// </summary>
    public string MerchantStatus() => ImportState == ImportStates.Failed
        ? Connector.TikTok.TikTokStatus.Failed
        : CancelRequestStatus == Connector.TikTok.TikTokCancelStatus.Pending && !Connector.TikTok.TikTokStatus.IsTerminal(TikTokStatus)
            ? Connector.TikTok.TikTokStatus.CancellationRequested
            : TikTokStatus;
}

/// <summary>What a save needs to know of the row as stored: its pointers' keys and content, and whether it had a store order.</summary>
public sealed record StoredOrderState(long CreatedAt, string Status, string IndexSignature, bool HasStoreOrder, string? ReturnKey = null);

/// <summary>An activity entry waiting for its row's save.</summary>
public sealed record PendingActivity(string Kind, string Message, DateTimeOffset At);

public static class ImportStates
{
    /// <summary>TikTok still holds the order (UNPAID, ON_HOLD): no address yet, nothing to import.</summary>
    public const string Waiting = "Waiting";
    public const string Importing = "Importing";
    public const string Imported = "Imported";
    public const string Failed = "Failed";

    /// <summary>Never imported on purpose, e.g. cancelled before it reached the store.</summary>
    public const string Skipped = "Skipped";
}
