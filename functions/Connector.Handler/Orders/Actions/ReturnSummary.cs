using System.Text.Json;
using Connector.TikTok;

namespace Connector.Orders.Actions;

/// <summary>
/// What the order shows of its latest return or refund request (TikTok's SearchReturns): kept on the order row as JSON and
/// recorded on its timeline at every status change.
/// </summary>
public sealed record ReturnSummary(
    string ReturnId,
    string? Type,
    string? Status,
    string StatusLabel,
    string? Reason,
    DateTimeOffset? Deadline,
    string? RefundTotal,
    string? Currency,
    IReadOnlyList<string> Skus,
    string? ReturnTrackingNumber)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static ReturnSummary From(TikTokReturn r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var reason = string.IsNullOrWhiteSpace(r.ReturnReasonText) ? r.ReturnReason : r.ReturnReasonText;
        var deadline = r.SellerNextActionResponse?.FirstOrDefault(a => a.Deadline is not null)?.Deadline;
        return new ReturnSummary(
            r.ReturnId,
            r.ReturnType,
            r.ReturnStatus,
            TikTokReturnStatus.Label(r.ReturnStatus),
            reason is { Length: > 200 } ? reason[..200] : reason,
            deadline is { } d ? DateTimeOffset.FromUnixTimeSeconds(d) : null,
            r.RefundAmount?.RefundTotal,
            r.RefundAmount?.Currency,
            [.. (r.Lines ?? []).Select(l => l.SellerSku ?? l.ProductName ?? "item").Take(100)],
            r.ReturnTrackingNumber);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ReturnSummary? Parse(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<ReturnSummary>(json, JsonOptions);

    /// <summary>The timeline's words for this step.</summary>
    public string Describe(string orderId)
    {
        var what = Type == "REFUND" ? "Refund request" : "Return request";
        var amount = RefundTotal is null ? "" : $" ({RefundTotal} {Currency})";
        var items = Skus.Count == 0 ? "" : $" for {string.Join(", ", Skus)}";
        var due = Deadline is { } deadline && Status is TikTokReturnStatus.Pending or TikTokReturnStatus.BuyerShipped
            ? $" Answer by {deadline:yyyy-MM-dd HH:mm} UTC, or TikTok approves it."
            : "";
        return $"{what} {ReturnId} of order {orderId}{items}{amount}: {StatusLabel}" + (Reason is null ? "." : $" — {Reason}.") + due;
    }
}
