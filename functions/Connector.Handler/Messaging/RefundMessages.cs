using System.Text.Json.Serialization;
using Connector.TikTok;

namespace Connector.Messaging;

/// <summary>
/// Carry a refund TikTok completed to the store order (Orders/Refunds/StoreRefunds). Queued when the order row first records
/// the completed return, and again by any later report of it while the store does not show it yet; the MessageId is the
/// return, so the webhook's and the fetch's reports are one message.
/// </summary>
public sealed record RefundWork : QueueMessage
{
    [JsonIgnore] public override string Kind => "refund";

    [JsonIgnore] public override WorkLane Lane => WorkLane.Waiting;

    public required string OrderId { get; init; }

    public required string ReturnId { get; init; }

    public override string? Problem() =>
        !TikTokIds.IsOrderId(OrderId) ? TikTokIds.OrderIdRule
        : !TikTokIds.IsOrderId(ReturnId) ? "returnId: a TikTok return id (digits)."
        : null;

    public override string MessageId => $"refund:{ShopId}:{OrderId}:{ReturnId}";
}
