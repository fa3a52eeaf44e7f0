using System.Text.Json;
using Connector.Orders;
using Connector.State;
using Connector.TikTok;
using Connector.Orders.WriteBack;

namespace Connector.Web;

/// <summary>An order as the merchant's page shows it.</summary>
public sealed record OrderView
{
    public required string OrderId { get; init; }
    public required string ShopId { get; init; }

    /// <summary>The tab the order sits in: TikTok's status, or FAILED when Connector could not import it.</summary>
    public required string Status { get; init; }
    public required string StatusLabel { get; init; }
    public required string TikTokStatus { get; init; }
    public required string ImportState { get; init; }
    public string? StoreOrderId { get; init; }
    public string? StoreOrderName { get; init; }
    public string? StoreOrderUrl { get; init; }
    public string? CustomerName { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? Price { get; init; }
    public string? Currency { get; init; }
    public int Quantity { get; init; }
    public string? FulfilledBy { get; init; }
    public string? LogisticMode { get; init; }
    public DateTimeOffset? HoldUntil { get; init; }
    public string? FailureCode { get; init; }
    public IReadOnlyList<string> FailingSkus { get; init; } = [];
    public string? FailureReason { get; init; }
    public string? LastError { get; init; }

    /// <summary>Why the merchant's latest shipment or cancellation in the store could not be sent to TikTok.</summary>
    public string? WriteBackIssue { get; init; }

    /// <summary>Store shipments sent to TikTok, with TikTok's package id.</summary>
    public IReadOnlyList<SentShipment> ShipmentsSentToTikTok { get; init; } = [];
    public DateTimeOffset? CancellationSentToTikTokAt { get; init; }
    /// <summary>The buyer's cancellation request, while TikTok shows one (see Orders/Actions).</summary>
    public CancellationRequestView? CancellationRequest { get; init; }

    /// <summary>The order's latest return or refund request, while TikTok shows one.</summary>
    public Orders.Actions.ReturnSummary? Return { get; init; }

    /// <summary>Where the refund of the latest return stands in the store: refunded, pending, failed (with <see cref="RefundIssue"/>), or null.</summary>
    public string? StoreRefund { get; init; }

    /// <summary>Why the store refused the refund, in words (it is tried again).</summary>
    public string? RefundIssue { get; init; }

    /// <summary>Why the merchant's latest order action did not go through, in words.</summary>
    public string? ActionIssue { get; init; }

    /// <summary>The store order id TikTok shows on the order as its external reference.</summary>
    public string? ExternalReference { get; init; }
    public long UpdateTime { get; init; }
    public DateTimeOffset? ImportedAt { get; init; }
    public IReadOnlyList<OrderLineView> Lines { get; init; } = [];
    public TikTokAddress? Address { get; init; }
    public IReadOnlyList<ActivityView>? Activity { get; init; }

    public static string MerchantStatus(OrderEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.MerchantStatus();
    }

    public static OrderView From(OrderEntity row, IReadOnlyList<ActivityEntity>? activity = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        var status = MerchantStatus(row);
        return new OrderView
        {
            OrderId = row.OrderId,
            ShopId = row.PartitionKey,
            Status = status,
            StatusLabel = Connector.TikTok.TikTokStatus.Label(status),
            TikTokStatus = row.TikTokStatus,
            ImportState = row.ImportState,
            StoreOrderId = row.StoreOrderId,
            StoreOrderName = row.StoreOrderName,
            StoreOrderUrl = row.StoreOrderUrl,
            CustomerName = row.CustomerName,
            CreatedAt = row.CreatedAt > 0 ? DateTimeOffset.FromUnixTimeSeconds(row.CreatedAt) : null,
            Price = row.Price,
            Currency = row.Currency,
            Quantity = row.Quantity,
            FulfilledBy = row.FulfilledBy,
            LogisticMode = row.LogisticMode,
            HoldUntil = row.HoldUntil,
            FailureCode = row.FailureCode,
            FailingSkus = string.IsNullOrEmpty(row.FailingSkusJson) ? [] : JsonSerializer.Deserialize<List<string>>(row.FailingSkusJson) ?? [],
            FailureReason = row.FailureReason,
            LastError = row.LastError,
            WriteBackIssue = row.WriteBackIssue,
            ShipmentsSentToTikTok = string.IsNullOrEmpty(row.TikTokShipmentsJson)
                ? [] : JsonSerializer.Deserialize<List<SentShipment>>(row.TikTokShipmentsJson, JsonSerializerOptions.Web) ?? [],
            CancellationSentToTikTokAt = row.TikTokCancelSentAt,
            CancellationRequest = row.CancelRequestId is null
                ? null
                : new CancellationRequestView(row.CancelRequestId, row.CancelRequestStatus, row.CancelRequestReason,
                    row.CancelRequestDeadline is { } deadline ? DateTimeOffset.FromUnixTimeSeconds(deadline) : null,
                    row.CancelRequestStatus == TikTokCancelStatus.Pending),
            Return = Orders.Actions.ReturnSummary.Parse(row.ReturnJson),
            StoreRefund = Orders.Refunds.StoreRefunds.StateOf(row),
            RefundIssue = row.RefundIssue,
            ActionIssue = row.ActionIssue,
            ExternalReference = row.ExternalRefSent is { } sent && sent == row.StoreOrderId ? row.StoreOrderName ?? sent : null,
            UpdateTime = row.TikTokUpdateTime,
            ImportedAt = row.ImportedAt,
            Lines = OrderSnapshot.Lines(row),
            Address = row.AddressJson is null ? null : JsonSerializer.Deserialize<TikTokAddress>(row.AddressJson),
            Activity = activity?.Select(a => new ActivityView(a.At, a.Kind, a.Message, a.OrderId)).ToList(),
        };
    }
}

/// <summary>A buyer's cancellation request: <paramref name="Pending"/> while it waits for the merchant's Approve or Reject.</summary>
public sealed record CancellationRequestView(string CancelId, string? Status, string? Reason, DateTimeOffset? Deadline, bool Pending);

public sealed record ActivityView(DateTimeOffset At, string Kind, string Message, string? OrderId);
