using System.Text;
using Connector.Functions;
using Connector.State;

namespace Connector.Web;

/// <summary>
/// The order grid and the status tab counts (design §6.2): range queries over <see cref="OrderIndexEntity"/> pointers,
/// newest first, then the order rows themselves (a pointer that no longer matches its order is dropped and deleted).
/// </summary>
public static class OrderListApi
{
    /// <summary>Pointers examined per request at most; the continuation resumes where the scan stopped.</summary>
    private const int MaxScan = 2000;

    public static void MapOrderListApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orders", ListAsync).ForFunction("ListOrders");
        app.MapGet("/api/orders/summary", SummaryAsync).ForFunction("OrdersSummary");
    }

    public sealed record OrderPage(IReadOnlyList<OrderView> Items, string? Continuation);

    public sealed record OrderSummary(string ShopId, int All, IReadOnlyDictionary<string, int> Counts);

    private static async Task<IResult> ListAsync(HttpRequest request, OrderIndexStore index, OrderStore orders, CancellationToken cancellationToken)
    {
        var (query, errors) = OrderQuery.Parse(request.Query);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }

        var prefix = query.Status is null ? "c|" : $"s|{query.Status}|";
        var from = prefix + (query.CreatedTo is { } to ? OrderIndexEntity.NewestFirst(to - 1) : "");
        var until = prefix + (query.CreatedFrom is { } start ? OrderIndexEntity.NewestFirst(start) + "}" : "}");
        string? after;
        try
        {
            after = query.Continuation is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(query.Continuation));
        }
        catch (FormatException)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["continuation"] = ["Not a continuation this API returned."] });
        }

        if (after is not null && (string.CompareOrdinal(after, from) < 0 || string.CompareOrdinal(after, until) >= 0))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["continuation"] = ["Belongs to another query."] });
        }

        var items = new List<OrderView>();
        var scanned = 0;
        string? lastKey = null;
        var exhausted = false;
        while (items.Count < query.PageSize && scanned < MaxScan)
        {
            var extra = after is null ? null : Azure.Data.Tables.TableClient.CreateQueryFilter($"RowKey gt {after}");
            var (pointers, _) = await index.PageAsync(query.ShopId, from, until, extra, null, 200, cancellationToken);
            if (pointers.Count == 0)
            {
                exhausted = true;
                break;
            }

            foreach (var pointer in pointers)
            {
                scanned++;
                lastKey = pointer.RowKey;
                if (!query.Matches(pointer))
                {
                    continue;
                }

                var row = await orders.GetAsync(query.ShopId, pointer.OrderId, cancellationToken);
                var matchesTab = row is not null && (query.Status is null || OrderView.MerchantStatus(row) == query.Status);
                if (!matchesTab)
                {
                    if (row is not null)
                    {
                        await index.RemoveStaleAsync(query.ShopId, pointer.RowKey, cancellationToken);
                    }

                    continue;
                }

                items.Add(OrderView.From(row!));
                if (items.Count == query.PageSize)
                {
                    break;
                }
            }

            after = lastKey;
            if (pointers.Count < 200 && items.Count < query.PageSize)
            {
                exhausted = true;
                break;
            }
        }

        var continuation = exhausted || lastKey is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey));
        return TypedResults.Ok(new OrderPage(items, continuation));
    }

    private static async Task<IResult> SummaryAsync(string? shopId, OrderIndexStore index, CancellationToken cancellationToken)
    {
        if (!ShopIds.IsValid(shopId))
        {
            return ShopIds.Problem();
        }

        var byStatus = await index.CountByStatusAsync(shopId!, cancellationToken);
        return TypedResults.Ok(new OrderSummary(shopId!, byStatus.Values.Sum(), byStatus));
    }
}
