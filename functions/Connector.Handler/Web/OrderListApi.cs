using Connector.Functions;
using Connector.State;

namespace Connector.Web;

/// <summary>The order grid and the status tab counts (design §6.2): parse the query, ask State's <see cref="OrderReads"/>, shape the views.</summary>
public static class OrderListApi
{
    public static void MapOrderListApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orders", ListAsync).ForFunction("ListOrders").WithInput(RouteInput.Get(OrderQuery.Parameters));
        app.MapGet("/api/orders/summary", SummaryAsync).ForFunction("OrdersSummary").WithInput(RouteInput.Get("shopId")).ForShop();
    }

    public sealed record OrderPage(IReadOnlyList<OrderView> Items, string? Continuation);

    public sealed record OrderSummary(string ShopId, int All, IReadOnlyDictionary<string, int> Counts);

    private static async Task<IResult> ListAsync(HttpRequest request, OrderReads reads, CancellationToken cancellationToken)
    {
        var (query, errors) = OrderQuery.Parse(request.Query);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }

        if (await ShopScope.FindAsync(request.HttpContext) is { } unknownShop)
        {
            return unknownShop;
        }

        var page = await reads.ListAsync(
            new OrderListRequest(query.ShopId, query.Status, query.CreatedFrom, query.CreatedTo, query.Matches, query.PageSize, query.Continuation),
            cancellationToken);
        return page is null
            ? Problems.Invalid(new Dictionary<string, string[]> { ["continuation"] = ["Not a continuation this API returned for this query."] })
            : TypedResults.Ok(new OrderPage([.. page.Rows.Select(row => OrderView.From(row))], page.Continuation));
    }

    private static async Task<IResult> SummaryAsync(string? shopId, OrderReads reads, CancellationToken cancellationToken)
    {
        var byStatus = await reads.CountByStatusAsync(shopId!, cancellationToken);
        return TypedResults.Ok(new OrderSummary(shopId!, byStatus.Values.Sum(), byStatus));
    }
}
