using Connector.Functions;
using Connector.Messaging;
using Connector.Orders;
using Connector.State;
using Microsoft.Extensions.Options;
using Connector.Orders.Import;
using Connector.TikTok;

namespace Connector.Web;

/// <summary>
/// What the merchant uses to fix and follow things: SKU mapping overrides (which retry the failed orders they fix),
/// bulk retry, the activity feed and the dashboard numbers.
/// </summary>
public static class ShopToolsApi
{
    public static void MapShopToolsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/shops/{shopId}/sku-mappings", ListMappingsAsync).ForFunction("SkuMappings").WithInput(RouteInput.Get()).ForShop();
        app.MapPut("/api/shops/{shopId}/sku-mappings", PutMappingAsync).ForFunction("SkuMappings").WithInput(RouteInput.Body(OrdersApi.MaxSmallBody)).ForShop();
        app.MapPost("/api/orders/retry", RetryManyAsync).ForFunction("RetryOrders").WithInput(RouteInput.Body(MaxRetryBody, "shopId")).ForShop();
        app.MapGet("/api/shops/{shopId}/activity", ActivityAsync).ForFunction("ShopActivity").WithInput(RouteInput.Get("limit")).ForShop();
        app.MapGet("/api/shops/{shopId}/dashboard", DashboardAsync).ForFunction("ShopDashboard").WithInput(RouteInput.Get()).ForShop();
    }

    /// <summary>500 order ids of 32 digits with their quotes and commas fit with room to spare.</summary>
    public const int MaxRetryBody = 32 * 1024;

    public const int MaxRetryOrders = 500;

    public const int MaxSkuLength = 200;

    public sealed record SkuMappingRequest(string? SellerSku, string? StoreSku);

    public sealed record SkuMappingView(string SellerSku, string? StoreSku, string? StoreProductId, string? Title);

    public sealed record RetryRequest(IReadOnlyList<string>? OrderIds, bool? AllFailed);

    public sealed record Dashboard(
        string ShopId,
        ShopView Shop,
        int OrdersThisMonth,
        int MonthlyOrderLimit,
        IReadOnlyDictionary<string, int> Counts,
        IReadOnlyList<ActivityView> RecentActivity);

    private static async Task<IResult> ListMappingsAsync(string shopId, SkuMapStore skuMap, CancellationToken cancellationToken)
    {
        var entries = await skuMap.ListOverridesAsync(shopId, cancellationToken);
        return TypedResults.Ok(entries.Select(e => new SkuMappingView(e.SellerSku, e.OverrideStoreSku, e.StoreProductId, e.Title)).ToList());
    }

    /// <summary>Maps a TikTok seller SKU to another store SKU (empty store SKU removes the override), then retries its failed orders.</summary>
    private static async Task<IResult> PutMappingAsync(
        string shopId, HttpRequest request, SkuMapStore skuMap, OrderRetries retries, CancellationToken cancellationToken)
    {
        var (body, problem) = await Problems.ReadJsonAsync<SkuMappingRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        if (!IsSku(body!.SellerSku, required: true))
        {
            errors["sellerSku"] = [$"Required: 1–{MaxSkuLength} characters without control characters."];
        }

        if (!IsSku(body.StoreSku, required: false))
        {
            errors["storeSku"] = [$"At most {MaxSkuLength} characters without control characters (empty removes the mapping)."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var sellerSku = body.SellerSku!.Trim();
        var storeSku = string.IsNullOrWhiteSpace(body.StoreSku) ? null : body.StoreSku.Trim();
        await skuMap.UpsertAsync(shopId, new SkuMapEntity { SellerSku = sellerSku, OverrideStoreSku = storeSku }, cancellationToken);
        var retried = await retries.RetryFailedWithSkuAsync(shopId, sellerSku, cancellationToken);
        return TypedResults.Ok(new { sellerSku, storeSku, retriedOrders = retried });
    }

    private static bool IsSku(string? sku, bool required) =>
        string.IsNullOrWhiteSpace(sku) ? !required : sku.Length <= MaxSkuLength && !sku.Any(char.IsControl);

    private static async Task<IResult> RetryManyAsync(string? shopId, HttpRequest request, OrderRetries retries, CancellationToken cancellationToken)
    {
        var (body, problem) = await Problems.ReadJsonAsync<RetryRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.AllFailed != true && (body.OrderIds is null || body.OrderIds.Count == 0 || body.OrderIds.Count > MaxRetryOrders))
        {
            return Problems.Invalid("orderIds", $"1 to {MaxRetryOrders} order ids, or \"allFailed\": true.");
        }

        for (var i = 0; i < (body.OrderIds?.Count ?? 0); i++)
        {
            if (!TikTokIds.IsOrderId(body.OrderIds![i]))
            {
                return Problems.Invalid($"orderIds[{i}]", TikTokIds.OrderIdRule);
            }
        }

        var retried = body.AllFailed == true
            ? await retries.RetryAllFailedAsync(shopId!, cancellationToken)
            : await retries.RetryAsync(shopId!, body.OrderIds!, cancellationToken);
        return TypedResults.Accepted((string?)null, new { shopId, retriedOrders = retried });
    }

    private static async Task<IResult> ActivityAsync(string shopId, string? limit, ActivityStore activity, CancellationToken cancellationToken)
    {
        var count = 50;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) || count is < 1 or > 500))
        {
            return Problems.Invalid("limit", "1 to 500.");
        }

        var items = await activity.ListAsync(shopId, null, count, cancellationToken);
        return TypedResults.Ok(items.Select(a => new ActivityView(a.At, a.Kind, a.Message, a.OrderId)).ToList());
    }

    private static async Task<IResult> DashboardAsync(
        string shopId, HttpContext context, UsageStore usage, OrderReads reads, ActivityStore activity, CancellationToken cancellationToken)
    {
        var shop = ShopScope.Current(context);

        var counts = await reads.CountByStatusAsync(shopId, cancellationToken);
        var recent = await activity.ListAsync(shopId, null, 20, cancellationToken);
        var view = ShopsApi.ToView(shop);
        return TypedResults.Ok(new Dashboard(
            shopId,
            view,
            await usage.ThisMonthAsync(shopId, cancellationToken),
            view.Settings.MonthlyOrderLimit,
            counts,
            recent.Select(a => new ActivityView(a.At, a.Kind, a.Message, a.OrderId)).ToList()));
    }
}
