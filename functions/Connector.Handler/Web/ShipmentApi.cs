using Connector.Diagnostics;
using Connector.Functions;
using Connector.Messaging;
using Connector.Orders.Actions;
using Connector.Orders.WriteBack;
using Connector.State;
using Connector.TikTok;

namespace Connector.Web;

/// <summary>
/// Shipping from the order page (issue 13 item 4), for orders the seller ships: the form's choices (the shop's TikTok
/// shipping providers and the units left to ship, read from TikTok) and the shipment itself, checked at once (a 4xx problem
/// names the field or says why not), then queued on the waiting lane and answered 202. Orders/Actions/ShipFromPage sends
/// it. The message id is the package's contents, so a repeated press is one shipment.
/// </summary>
public static class ShipmentApi
{
    public static void MapShipmentApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orders/{orderId}/ship-options", ShipOptionsAsync).ForFunction("ShipOptions").WithInput(RouteInput.Get("shopId")).ForShop();
        app.MapPost("/api/orders/{orderId}/ship", ShipAsync).ForFunction("ShipOrder").WithInput(RouteInput.Body(MaxBody, "shopId")).ForShop();
    }

    /// <summary>100 SKUs of 50 characters with their quantities, and the carrier and tracking, fit well below this.</summary>
    public const int MaxBody = 16 * 1024;

    public sealed record ShipLine(string? SellerSku, int Quantity);

    public sealed record ShipRequest(string? ShippingProviderId, string? TrackingNumber, IReadOnlyList<ShipLine>? Lines);

    public sealed record ProviderChoice(string Id, string Name);

    public sealed record LineChoice(string SellerSku, string? ProductName, string? SkuName, int Quantity, int Remaining);

    /// <summary>The Ship form's choices; empty with <paramref name="Refusal"/> when the order cannot be shipped from here.</summary>
    public sealed record ShipOptions(string OrderId, string Status, IReadOnlyList<ProviderChoice> Providers, IReadOnlyList<LineChoice> Lines, string? Refusal);

    public sealed record ShipStarted(string OrderId, string ShopId, string Action, string Status, string Message, string TrackingNumber, int Units);

    private static async Task<IResult> ShipOptionsAsync(
        string orderId, string? shopId, HttpContext http, OrderStore orders, TikTokClient tiktok, ShippingProviderDirectory providers,
        ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (row, problem) = await OrderAsync(orderId, shopId!, orders, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (PageShipments.Refusal(row!.TikTokStatus, row.ShippedByTikTok) is { } refusal)
        {
            return TypedResults.Ok(new ShipOptions(orderId, row.TikTokStatus, [], [], $"Not possible: {refusal}"));
        }

        var shop = ShopScope.Current(http);
        try
        {
            var order = (await tiktok.GetOrdersAsync(shop, [orderId], cancellationToken)).FirstOrDefault(o => o.Id == orderId);
            if (order is null)
            {
                return Problems.NotFound($"TikTok does not return order {orderId} for this shop.");
            }

            var status = TikTokStatus.Normalize(order.Status);
            if (PageShipments.Refusal(status, Orders.OrderSnapshot.ShippedByTikTok(order)) is { } now)
            {
                return TypedResults.Ok(new ShipOptions(orderId, status, [], [], $"Not possible: {now}"));
            }

            var remaining = PageShipments.Remaining(order);
            var lines = order.LineItems.Where(l => l.CancelUser is null)
                .GroupBy(l => l.SellerSku?.Trim() ?? "")
                .Select(g => new LineChoice(g.Key, g.First().ProductName, g.First().SkuName, g.Count(), remaining.GetValueOrDefault(g.Key)))
                .ToList();
            var known = await providers.GetAsync(shop, cancellationToken);
            return TypedResults.Ok(new ShipOptions(orderId, status, [.. known.Select(p => new ProviderChoice(p.Id, p.Name))], lines, null));
        }
        catch (TikTokApiException e)
        {
            Log.ShippingProvidersUnavailable(logs.CreateLogger(typeof(ShipmentApi).FullName!), shop.ShopId, e.TikTokMessage);
            return e.IsTransient
                ? Problems.Unavailable($"TikTok did not answer: {e.TikTokMessage}. Try again shortly.")
                : Problems.Conflict($"TikTok did not give the order's shipping choices: {e.TikTokMessage} (code {e.Code}).");
        }
    }

    private static async Task<IResult> ShipAsync(
        string orderId, string? shopId, HttpContext http, OrderStore orders, ShippingProviderDirectory providers, IQueueSender sender,
        ActivityStore activity, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await Problems.ReadJsonAsync<ShipRequest>(http.Request, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        if (ShipRules.ProviderProblem(body!.ShippingProviderId) is { } providerProblem)
        {
            return Problems.Invalid("shippingProviderId", providerProblem);
        }

        var tracking = body.TrackingNumber?.Trim();
        if (ShipRules.TrackingProblem(tracking) is { } trackingProblem)
        {
            return Problems.Invalid("trackingNumber", trackingProblem);
        }

        var units = body.Lines?.Select(l => new ShipUnits(l?.SellerSku?.Trim() ?? "", l?.Quantity ?? 0)).ToList(); // a null line is an empty one
        if (ShipRules.UnitsProblem(units) is { } unitsProblem)
        {
            return Problems.Invalid(unitsProblem.Field, unitsProblem.Message);
        }

        var (row, problem) = await OrderAsync(orderId, shopId!, orders, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var work = new ShipWork { ShopId = shopId!, OrderId = orderId, ShippingProviderId = body.ShippingProviderId!, TrackingNumber = tracking!, Units = units! };
        var count = units!.Sum(u => u.Quantity);
        if (PageShipments.IsRecorded(StoreWriteBack.Sent(row!), work.Key))
        {
            return Started(row!, "sent", $"Package {tracking} was sent to TikTok already; nothing more to send.", work, count);
        }

        if (PageShipments.Refusal(row!.TikTokStatus, row.ShippedByTikTok) is { } refusal)
        {
            return Problems.Conflict($"Order {orderId} cannot be shipped from here: {refusal}");
        }

        if (PageShipments.Exceeding(units!, PageShipments.Remaining(row)) is { } exceeding)
        {
            return Problems.Invalid($"lines[{exceeding.Index}].quantity", exceeding.Message);
        }

        IReadOnlyList<TikTokShippingProvider> known;
        try
        {
            known = await providers.GetAsync(ShopScope.Current(http), cancellationToken);
        }
        catch (TikTokApiException e)
        {
            return Problems.Unavailable($"TikTok did not give the shop's shipping providers: {e.TikTokMessage}. Try again shortly.");
        }

        if (known.FirstOrDefault(p => p.Id == work.ShippingProviderId) is not { } provider)
        {
            return Problems.Invalid("shippingProviderId", $"One of TikTok's shipping providers for this shop: {string.Join(", ", known.Select(p => $"{p.Name} ({p.Id})"))}.");
        }

        await sender.SendAsync(work, cancellationToken);
        Log.PageShipmentQueued(logs.CreateLogger(typeof(ShipmentApi).FullName!), work.ShopId, orderId, tracking!);
        var message = $"Shipment of order {orderId} requested: tracking {tracking} ({provider.Name}), {count} unit(s); sending it to TikTok.";
        await activity.AddAsync(work.ShopId, Orders.ActivityKinds.Action, orderId, message, cancellationToken);
        return Started(row, "queued", message, work, count);
    }

    private static async Task<(OrderEntity? Row, IResult? Problem)> OrderAsync(string orderId, string shopId, OrderStore orders, CancellationToken cancellationToken)
    {
        if (!TikTokIds.IsOrderId(orderId))
        {
            return (null, Problems.Invalid("orderId", TikTokIds.OrderIdRule));
        }

        var row = await orders.GetAsync(shopId, orderId, cancellationToken);
        return row is null ? (null, Problems.NotFound($"Order {orderId} is not known for shop '{shopId}'.")) : (row, null);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Accepted<ShipStarted> Started(OrderEntity row, string status, string message, ShipWork work, int units) =>
        TypedResults.Accepted((string?)null, new ShipStarted(row.OrderId, row.PartitionKey, "ship", status, message, work.TrackingNumber, units));
}
