using Connector.Functions;
using Connector.Messaging;
using Connector.Orders;
using Connector.State;
using Microsoft.Extensions.Options;
using Connector.Orders.Import;

namespace Connector.Web;

/// <summary>
/// What the merchant uses to fix and follow things: SKU mapping overrides (which retry the failed orders they fix),
/// bulk retry, the activity feed and the dashboard numbers.
/// </summary>
public static class ShopToolsApi
{
    public static void MapShopToolsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/shops/{shopId}/sku-mappings", ListMappingsAsync).ForFunction("SkuMappings");
        app.MapPut("/api/shops/{shopId}/sku-mappings", PutMappingAsync).ForFunction("SkuMappings");
        app.MapPost("/api/orders/retry", RetryManyAsync).ForFunction("RetryOrders");
        app.MapGet("/api/shops/{shopId}/activity", ActivityAsync).ForFunction("ShopActivity");
        app.MapGet("/api/shops/{shopId}/dashboard", DashboardAsync).ForFunction("ShopDashboard");
    }

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
        if (!ShopIds.IsValid(shopId))
        {
            return ShopIds.Problem();
        }

        var entries = await skuMap.ListOverridesAsync(shopId, cancellationToken);
        return TypedResults.Ok(entries.Select(e => new SkuMappingView(e.SellerSku, e.OverrideStoreSku, e.StoreProductId, e.Title)).ToList());
    }

    /// <summary>Maps a TikTok seller SKU to another store SKU (empty store SKU removes the override), then retries its failed orders.</summary>
    private static async Task<IResult> PutMappingAsync(
        string shopId, HttpRequest request, ShopStore shops, SkuMapStore skuMap, OrderRetries retries, CancellationToken cancellationToken)
    {
        if (!ShopIds.IsValid(shopId))
        {
            return ShopIds.Problem();
        }

        var (body, problem) = await Problems.ReadJsonAsync<SkuMappingRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.SellerSku) || body.SellerSku.Length > 200 || body.StoreSku?.Length > 200)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["sellerSku"] = ["Required, at most 200 characters (storeSku too)."] });
        }

        if (await shops.GetAsync(shopId, cancellationToken) is null)
        {
            return Problems.NotFound($"Shop '{shopId}' is not connected.");
        }

        var sellerSku = body.SellerSku.Trim();
        var storeSku = string.IsNullOrWhiteSpace(body.StoreSku) ? null : body.StoreSku.Trim();
        await skuMap.UpsertAsync(shopId, new SkuMapEntity { SellerSku = sellerSku, OverrideStoreSku = storeSku }, cancellationToken);
        var retried = await retries.RetryFailedWithSkuAsync(shopId, sellerSku, cancellationToken);
        return TypedResults.Ok(new { sellerSku, storeSku, retriedOrders = retried });
    }

    private static async Task<IResult> RetryManyAsync(string? shopId, HttpRequest request, OrderRetries retries, CancellationToken cancellationToken)
    {
        if (!ShopIds.IsValid(shopId))
        {
            return ShopIds.Problem();
        }

        var (body, problem) = await Problems.ReadJsonAsync<RetryRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.AllFailed != true && (body.OrderIds is null || body.OrderIds.Count == 0 || body.OrderIds.Count > 500))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["orderIds"] = ["1 to 500 order ids, or \"allFailed\": true."] });
        }

        var retried = body.AllFailed == true
            ? await retries.RetryAllFailedAsync(shopId!, cancellationToken)
            : await retries.RetryAsync(shopId!, body.OrderIds!, cancellationToken);
        return TypedResults.Accepted((string?)null, new { shopId, retriedOrders = retried });
    }

    private static async Task<IResult> ActivityAsync(string shopId, int? limit, ActivityStore activity, CancellationToken cancellationToken)
    {
        if (!ShopIds.IsValid(shopId))
        {
            return ShopIds.Problem();
        }

        var items = await activity.ListAsync(shopId, null, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
        return TypedResults.Ok(items.Select(a => new ActivityView(a.At, a.Kind, a.Message, a.OrderId)).ToList());
    }

    private static async Task<IResult> DashboardAsync(
        string shopId, ShopStore shops, UsageStore usage, OrderReads reads, ActivityStore activity, CancellationToken cancellationToken)
    {
        if (!ShopIds.IsValid(shopId))
        {
            return ShopIds.Problem();
        }

        var shop = await shops.GetAsync(shopId, cancellationToken);
        if (shop is null)
        {
            return Problems.NotFound($"Shop '{shopId}' is not connected.");
        }

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
