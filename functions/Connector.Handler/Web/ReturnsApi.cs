using System.Globalization;
using Connector.Functions;
using Connector.Orders.Actions;
using Connector.Orders.Refunds;
using Connector.State;
using Connector.TikTok;

namespace Connector.Web;

/// <summary>
/// The Returns view (issue 13 item 3): each tab's count and one tab's returns, a page at a time. Counts read pointer keys only
/// (<c>~r|{tab}|…</c>, written with each order's row), as the order tabs' counts do; the page reads the orders its pointers name.
/// </summary>
public static class ReturnsApi
{
    public static readonly string[] Parameters = ["shopId", "tab", "pageSize", "continuation"];

    public static void MapReturnsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/returns", ListAsync).ForFunction("ListReturns").WithInput(RouteInput.Get(Parameters)).ForShop();

    public sealed record ReturnTabView(string Tab, string Label, int Count);

    public sealed record ReturnLine(string Sku, int Units);

    public sealed record ReturnItem(
        string OrderId,
        string? StoreOrderName,
        string? StoreOrderUrl,
        string? CustomerName,
        ReturnSummary Return,
        IReadOnlyList<ReturnLine> Lines,
        bool CanApprove,
        bool CanReject,
        string? StoreRefund,
        string? RefundIssue);

    public sealed record ReturnPage(string ShopId, string Tab, IReadOnlyList<ReturnTabView> Tabs, IReadOnlyList<ReturnItem> Items, string? Continuation);

    private static async Task<IResult> ListAsync(HttpRequest request, OrderReads reads, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var shopId = query["shopId"].ToString();
        var errors = new Dictionary<string, string[]>();
        var tab = query["tab"].Count == 0 ? ReturnTabs.Pending : query["tab"].ToString();
        if (!ReturnTabs.All.Contains(tab))
        {
            errors["tab"] = [$"One of {string.Join(", ", ReturnTabs.All)}."];
        }

        var pageSize = 25;
        if (query["pageSize"].Count > 0 && (!int.TryParse(query["pageSize"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 100))
        {
            errors["pageSize"] = ["1 to 100."];
        }

        var continuation = query["continuation"].Count == 0 ? null : query["continuation"].ToString();
        if (continuation is { Length: > 1024 })
        {
            errors["continuation"] = ["Not a continuation this API returned."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var counts = await reads.CountByReturnTabAsync(shopId, ReturnTabs.All, cancellationToken);
        var page = await reads.ListReturnsAsync(shopId, tab, pageSize, continuation, cancellationToken);
        if (page is null)
        {
            return Problems.Invalid("continuation", "Not a continuation this API returned for this tab.");
        }

        return TypedResults.Ok(new ReturnPage(
            shopId,
            tab,
            [.. ReturnTabs.All.Select(t => new ReturnTabView(t, ReturnTabs.Label(t), counts.GetValueOrDefault(t)))],
            [.. page.Rows.Select(Item).OfType<ReturnItem>()],
            page.Continuation));
    }

    private static ReturnItem? Item(OrderEntity row)
    {
        if (ReturnSummary.Parse(row.ReturnJson) is not { } summary)
        {
            return null;
        }

        return new ReturnItem(
            row.OrderId,
            row.StoreOrderName,
            row.StoreOrderUrl,
            row.CustomerName,
            summary,
            [.. StoreRefunds.Units(summary).Select(u => new ReturnLine(u.Key, u.Value))],
            TikTokReturnStatus.Decision(true, summary.Status, summary.Type) is not null,
            TikTokReturnStatus.Decision(false, summary.Status, summary.Type) is not null,
            StoreRefunds.StateOf(row),
            row.RefundIssue);
    }
}
