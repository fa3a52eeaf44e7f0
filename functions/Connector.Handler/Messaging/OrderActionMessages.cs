using System.Text.Json.Serialization;
using Connector.TikTok;

namespace Connector.Messaging;

/// <summary>
/// An action the merchant started on an order page (cancel, approve or reject a buyer's cancellation request). The merchant
/// waits for it: the waiting lane. The MessageId is the action itself, so a repeated press is one action (duplicate detection).
/// </summary>
public sealed record OrderActionWork : QueueMessage
{
    public const string Cancel = "cancel";
    public const string ApproveCancellation = "approve-cancellation";
    public const string RejectCancellation = "reject-cancellation";
    public const string ApproveReturn = "approve-return";
    public const string RejectReturn = "reject-return";

    public static readonly IReadOnlySet<string> Actions = new HashSet<string>(StringComparer.Ordinal)
    {
        Cancel, ApproveCancellation, RejectCancellation, ApproveReturn, RejectReturn,
    };

    /// <summary>Reason keys and TikTok request ids are short visible text.</summary>
    public const int MaxTextLength = 128;

    /// <summary>TikTok's reject comment (free text the merchant may add).</summary>
    public const int MaxCommentLength = 500;

    [JsonIgnore] public override string Kind => "action";

    [JsonIgnore] public override WorkLane Lane => WorkLane.Waiting;

    public required string OrderId { get; init; }
    public required string Action { get; init; }

    /// <summary>Cancel: one of <c>TikTokCancelReasons.Choices</c>; reject: a reason name from GetRejectReasons.</summary>
    public string? Reason { get; init; }

    /// <summary>The buyer's cancellation request the merchant answers (approve, reject).</summary>
    public string? CancelId { get; init; }

    /// <summary>The return or refund request the merchant answers, and the step it was at (each step takes its own answer).</summary>
    public string? ReturnId { get; init; }
    public string? ReturnStatus { get; init; }
    public string? Comment { get; init; }

    public override string? Problem()
    {
        if (!TikTokIds.IsOrderId(OrderId))
        {
            return TikTokIds.OrderIdRule;
        }

        if (!Actions.Contains(Action))
        {
            return $"action must be one of {string.Join(", ", Actions)}.";
        }

        var isReturn = Action is ApproveReturn or RejectReturn;
        if (Action is ApproveCancellation or RejectCancellation && !TikTokIds.IsOrderId(CancelId))
        {
            return "cancelId must be TikTok's cancellation id (digits).";
        }

        if (isReturn && (!TikTokIds.IsOrderId(ReturnId) || !IsKey(ReturnStatus)))
        {
            return "returnId must be TikTok's return id (digits), with the return's status.";
        }

        if (Action is Cancel or RejectCancellation or RejectReturn && !IsKey(Reason))
        {
            return $"reason must be 1–{MaxTextLength} visible characters.";
        }

        return Comment is { Length: > MaxCommentLength } ? $"comment must be at most {MaxCommentLength} characters." : null;
    }

    public static bool IsKey(string? value) => value is { Length: > 0 and <= MaxTextLength } && value.All(c => c is > ' ' and < '\u007f');

    /// <summary>One cancel per order and reason; one answer per buyer request (its id): a second press is dropped as a duplicate.</summary>
    public override string MessageId => Action switch
    {
        Cancel => $"action:{ShopId}:{OrderId}:cancel:{Reason}",
        ApproveReturn or RejectReturn => $"action:{ShopId}:{OrderId}:{Action}:{ReturnId}:{ReturnStatus}",
        _ => $"action:{ShopId}:{OrderId}:{Action}:{CancelId}",
    };
}

/// <summary>
/// Read the buyer's cancellation requests from TikTok (SearchCancellations): of one order, after its webhook (type 11 or 2), or
/// of the whole shop (the requests still pending), with each fetch run: the safety net for lost webhooks.
/// </summary>
public sealed record ReverseWork : QueueMessage
{
    [JsonIgnore] public override string Kind => "reverse";

    /// <summary>Null: the shop's pending requests.</summary>
    public string? OrderId { get; init; }

    /// <summary>The webhook's notification id, or the fetch run's id: makes the MessageId unique per hint.</summary>
    public required string Attempt { get; init; }

    [JsonIgnore] public override WorkLane Lane => OrderId is null ? WorkLane.Bulk : WorkLane.Waiting;

    public override string? Problem() => OrderId is null || TikTokIds.IsOrderId(OrderId) ? null : TikTokIds.OrderIdRule;

    public override string MessageId => $"reverse:{ShopId}:{OrderId ?? "shop"}:{Attempt}";
}
