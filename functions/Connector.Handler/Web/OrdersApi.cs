using Connector.Functions;
using Connector.Messaging;
using Connector.Orders;
using Connector.State;
using Microsoft.Extensions.Options;
using Connector.Orders.Fetch;
using Connector.TikTok;

namespace Connector.Web;

/// <summary>The merchant's order routes (design §6.2): Fetch Order and its run's progress, one order, retry.</summary>
public static class OrdersApi
{
    public static void MapOrdersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/orders/fetch", FetchAsync).ForFunction("FetchOrders").WithInput(RouteInput.Body(MaxSmallBody));
        app.MapGet("/api/orders/fetch/{runId}", FetchRunApi.GetAsync).ForFunction("FetchRun").WithInput(RouteInput.Get("shopId")).ForShop();
        app.MapGet("/api/orders/{orderId}", GetAsync).ForFunction("GetOrder").WithInput(RouteInput.Get("shopId")).ForShop();
        app.MapPost("/api/orders/{orderId}/retry", RetryAsync).ForFunction("RetryOrder").WithInput(RouteInput.Body(MaxSmallBody, "shopId")).ForShop();
    }

    /// <summary>Bodies of a few fields (Fetch Order, a retry, a SKU mapping) stay far below this.</summary>
    public const int MaxSmallBody = 4 * 1024;

    public sealed record FetchRequest(string? ShopId, long? Since);

    public sealed record FetchStarted(string ShopId, string RunId, long? Since, string Status, string Message, bool Joined);

    /// <summary>Answers 202 as soon as the run is queued: the work happens in ProcessOrderMessage, page by page.</summary>
    private static async Task<IResult> FetchAsync(HttpRequest request, ShopStore shops, OrderFetcher fetcher, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await Problems.ReadJsonAsync<FetchRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!ShopIds.IsValid(body!.ShopId))
        {
            return ShopIds.Problem();
        }

        if (body.Since is { } since && (since <= 0 || since > time.GetUtcNow().ToUnixTimeSeconds()))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["since"] = ["Unix seconds in the past."] });
        }

        var shop = await shops.GetAsync(body.ShopId!, cancellationToken);
        if (shop is null)
        {
            return Problems.NotFound($"Shop '{body.ShopId}' is not connected.");
        }

        if (shop.ConnectionStatus == "disconnected")
        {
            return Problems.Conflict($"Shop '{body.ShopId}' was deauthorised on TikTok; authorise the app again to fetch orders.");
        }

        if (string.IsNullOrEmpty(shop.Platform))
        {
            return Problems.Conflict($"Shop '{body.ShopId}' has no store connected yet; connect it in Settings first.");
        }

        var run = await fetcher.StartAsync(shop, body.Since, cancellationToken);
        if (run is null)
        {
            return Problems.Unavailable("Fetch runs for this shop kept starting at the same moment; press Fetch Order again.");
        }

        return TypedResults.Accepted((string?)null, run.Joined
            ? new FetchStarted(shop.ShopId, run.RunId, run.Since, "running", "A fetch is already running for this shop; its new orders appear as they are imported.", Joined: true)
            : new FetchStarted(shop.ShopId, run.RunId, run.Since, "queued", "Fetching orders from TikTok Shop; new orders appear as they are imported.", Joined: false));
    }

    private static async Task<IResult> GetAsync(string orderId, string? shopId, OrderStore orders, ActivityStore activity, CancellationToken cancellationToken)
    {
        if (!TikTokIds.IsOrderId(orderId))
        {
            return Problems.Invalid("orderId", TikTokIds.OrderIdRule);
        }

        var row = await orders.GetAsync(shopId!, orderId, cancellationToken);
        if (row is null)
        {
            return Problems.NotFound($"Order {orderId} is not known for shop '{shopId}'.");
        }

        var timeline = await activity.ListAsync(shopId!, orderId, 100, cancellationToken);
        return TypedResults.Ok(OrderView.From(row, timeline));
    }

    private static async Task<IResult> RetryAsync(
        string orderId, string? shopId, OrderStore orders, IQueueSender sender,
        ActivityStore activity, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TikTokIds.IsOrderId(orderId))
        {
            return Problems.Invalid("orderId", TikTokIds.OrderIdRule);
        }

        var row = await orders.GetAsync(shopId!, orderId, cancellationToken);
        if (row is null)
        {
            return Problems.NotFound($"Order {orderId} is not known for shop '{shopId}'.");
        }

        if (row.ImportState != ImportStates.Failed)
        {
            return Problems.Conflict($"Order {orderId} is {row.ImportState}, not failed; only failed orders are retried.");
        }

        await sender.SendAsync(new OrderWork
        {
            ShopId = shopId!,
            OrderId = row.OrderId,
            UpdateTime = row.TikTokUpdateTime,
            Reason = "retry",
            Attempt = $"r{time.GetUtcNow().ToUnixTimeMilliseconds()}",
        }, cancellationToken);
        await activity.AddAsync(shopId!, "retry", row.OrderId, $"Retry of order {row.OrderId} requested.", cancellationToken);
        return TypedResults.Accepted((string?)null, new { orderId = row.OrderId, shopId, status = "queued" });
    }
}
