using System.Text.Json;
using Connector.State;

namespace Connector.TikTok;

/// <summary>
/// Order actions (reference/tiktok-shop-api.md §6.2): buyer cancellation requests (search, approve, reject with a reason from
/// GetRejectReasons) and the store order number as an external order reference (order API 202406).
/// </summary>
public sealed partial class TikTokClient
{
    public const int MaxCancellationPageSize = 50;

    /// <summary>
    /// One page of SearchCancellations, <c>POST /return_refund/202309/cancellations/search</c>: the buyer requests of the given
    /// orders, or the shop's requests in a status (filters in the body, paging in the query).
    /// </summary>
    public async Task<CancellationSearchData> SearchCancellationsAsync(
        ShopEntity shop, IReadOnlyCollection<string>? orderIds, IReadOnlyCollection<string>? statuses, string? pageToken, CancellationToken cancellationToken)
    {
        var data = await SearchReverseAsync<CancellationSearchData>(
            shop, "/return_refund/202309/cancellations/search", "cancel_status", orderIds, statuses, null, pageToken, cancellationToken);
        return data with { Cancellations = data.Cancellations ?? [] };
    }

    /// <summary>
    /// The search both reverse lists share: a page of 50 by update time (paging in the query), the filters in the body —
    /// order ids, statuses under <paramref name="statusField"/>, and an update time lower bound.
    /// </summary>
    private Task<T> SearchReverseAsync<T>(
        ShopEntity shop, string path, string statusField, IReadOnlyCollection<string>? orderIds, IReadOnlyCollection<string>? statuses,
        long? updatedSince, string? pageToken, CancellationToken cancellationToken)
        where T : class
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("page_size", MaxCancellationPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("sort_field", "update_time"),
            new("sort_order", "ASC"),
        };
        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Add(new("page_token", pageToken));
        }

        var filters = new Dictionary<string, object>(StringComparer.Ordinal);
        if (orderIds is { Count: > 0 })
        {
            filters["order_ids"] = orderIds.ToArray();
        }

        if (statuses is { Count: > 0 })
        {
            filters[statusField] = statuses.ToArray();
        }

        if (updatedSince is { } since)
        {
            filters["update_time_ge"] = since;
        }

        return SendAsync<T>(shop, HttpMethod.Post, path, query, JsonSerializer.SerializeToUtf8Bytes(filters), cancellationToken);
    }

    /// <summary>ApproveCancellation; the same <paramref name="idempotencyKey"/> answers the first success again.</summary>
    public async Task ApproveCancellationAsync(ShopEntity shop, string cancelId, string idempotencyKey, CancellationToken cancellationToken) =>
        await SendAsync<System.Text.Json.Nodes.JsonObject>(
            shop, HttpMethod.Post, $"/return_refund/202309/cancellations/{Uri.EscapeDataString(cancelId)}/approve",
            [new("idempotency_key", idempotencyKey)], "{}"u8.ToArray(), cancellationToken);

    /// <summary>RejectCancellation with a reason name from <see cref="GetRejectReasonsAsync"/> (any other is 36009004).</summary>
    public async Task RejectCancellationAsync(
        ShopEntity shop, string cancelId, string idempotencyKey, string reason, string? comment, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new RejectBody(reason, comment), TikTokJson.Options);
        await SendAsync<System.Text.Json.Nodes.JsonObject>(
            shop, HttpMethod.Post, $"/return_refund/202309/cancellations/{Uri.EscapeDataString(cancelId)}/reject",
            [new("idempotency_key", idempotencyKey)], body, cancellationToken);
    }

    /// <summary>GetRejectReasons, <c>GET /return_refund/202309/reject_reasons?return_or_cancel_id=</c>: what a rejection may say.</summary>
    public async Task<IReadOnlyList<TikTokRejectReason>> GetRejectReasonsAsync(ShopEntity shop, string cancelOrReturnId, CancellationToken cancellationToken)
    {
        var data = await SendAsync<RejectReasonsData>(
            shop, HttpMethod.Get, "/return_refund/202309/reject_reasons", [new("return_or_cancel_id", cancelOrReturnId)], null, cancellationToken);
        return data.Reasons ?? [];
    }

    /// <summary>
    /// AddExternalOrderReferences, <c>POST /order/202406/orders/external_orders</c>: one reference per order and platform, the same
    /// platform replaces (so a repeat is harmless). TikTok answers per-order failures in <c>data.errors</c>.
    /// </summary>
    public async Task<IReadOnlyList<ExternalOrderError>> AddExternalOrderReferenceAsync(
        ShopEntity shop, string orderId, string platform, string externalOrderId, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new ExternalOrdersBody([new ExternalOrderEntry(orderId, new ExternalOrder(externalOrderId, platform))]), TikTokJson.Options);
        var data = await SendAsync<ExternalOrdersResult>(shop, HttpMethod.Post, "/order/202406/orders/external_orders", [], body, cancellationToken);
        return data.Errors ?? [];
    }

    /// <summary>
    /// One page of SearchReturns, <c>POST /return_refund/202309/returns/search</c>: the returns and refunds of the given orders,
    /// or the shop's in the given statuses.
    /// </summary>
    public async Task<ReturnSearchData> SearchReturnsAsync(
        ShopEntity shop, IReadOnlyCollection<string>? orderIds, IReadOnlyCollection<string>? statuses, string? pageToken, CancellationToken cancellationToken,
        long? updatedSince = null)
    {
        var data = await SearchReverseAsync<ReturnSearchData>(
            shop, "/return_refund/202309/returns/search", "return_status", orderIds, statuses, updatedSince, pageToken, cancellationToken);
        return data with { Returns = data.Returns ?? [] };
    }

    /// <summary>ApproveReturn with the <paramref name="decision"/> that fits the return's status and type (see TikTokReturnStatus.Decision).</summary>
    public async Task ApproveReturnAsync(ShopEntity shop, string returnId, string idempotencyKey, string decision, CancellationToken cancellationToken) =>
        await SendAsync<System.Text.Json.Nodes.JsonObject>(
            shop, HttpMethod.Post, $"/return_refund/202309/returns/{Uri.EscapeDataString(returnId)}/approve",
            [new("idempotency_key", idempotencyKey)], JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["decision"] = decision }), cancellationToken);

    /// <summary>RejectReturn with a decision and a reason name from GetRejectReasons.</summary>
    public async Task RejectReturnAsync(
        ShopEntity shop, string returnId, string idempotencyKey, string decision, string reason, string? comment, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, string> { ["decision"] = decision, ["reject_reason"] = reason };
        if (!string.IsNullOrEmpty(comment))
        {
            body["comment"] = comment;
        }

        await SendAsync<System.Text.Json.Nodes.JsonObject>(
            shop, HttpMethod.Post, $"/return_refund/202309/returns/{Uri.EscapeDataString(returnId)}/reject",
            [new("idempotency_key", idempotencyKey)], JsonSerializer.SerializeToUtf8Bytes(body), cancellationToken);
    }
}
