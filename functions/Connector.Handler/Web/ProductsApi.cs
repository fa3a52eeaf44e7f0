using System.Globalization;
using Connector.Functions;
using Connector.Messaging;
using Connector.Products;
using Connector.State;

namespace Connector.Web;

/// <summary>
/// The Products page and the dashboard's product counts (seed 004): the catalogue link with both sides' stock, Sync Shop
/// Status (202, with progress), a product's history, a retry of a refused stock update, and the shop's stock rules.
/// </summary>
public static class ProductsApi
{
    public const int MaxPageSize = 100;
    private static readonly string[] ListParameters = ["shopId", "status", "q", "link", "page", "pageSize"];

    public static void MapProductsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/products", ListAsync).ForFunction("ListProducts").WithInput(RouteInput.Get(ListParameters));
        app.MapGet("/api/products/summary", SummaryAsync).ForFunction("ProductsSummary").WithInput(RouteInput.Get("shopId")).ForShop();
        app.MapPost("/api/products/sync", SyncAsync).ForFunction("SyncProducts").WithInput(RouteInput.Body(OrdersApi.MaxSmallBody));
        app.MapGet("/api/products/sync/status", SyncStatusAsync).ForFunction("ProductSyncStatus").WithInput(RouteInput.Get("shopId")).ForShop();
        app.MapGet("/api/products/settings", GetSettingsAsync).ForFunction("ProductSettings").WithInput(RouteInput.Get("shopId")).ForShop();
        app.MapPut("/api/products/settings", PutSettingsAsync).ForFunction("ProductSettings").WithInput(RouteInput.Body(OrdersApi.MaxSmallBody, "shopId")).ForShop();
        app.MapGet("/api/products/{productId}/history", HistoryAsync).ForFunction("ProductHistory").WithInput(RouteInput.Get("shopId")).ForShop();
        app.MapPost("/api/products/{productId}/retry", RetryAsync).ForFunction("RetryProductStock").WithInput(RouteInput.Body(OrdersApi.MaxSmallBody, "shopId")).ForShop();
    }

    public sealed record ProductSide(string? ProductId, string? SkuId, string? Title, string? Status, int? Quantity, string? AuditReasons);

    public sealed record StoreSide(string? ProductId, string? VariantId, string? Sku, string? Title, int? Available, DateTimeOffset? UpdatedAt);

    public sealed record ProductView(
        string Key, string? SellerSku, string Status, string StatusLabel, string Link, string? LinkReason, ProductSide? TikTok, StoreSide? Store,
        DateTimeOffset? LastSync, DateTimeOffset? StockSentAt, string? StockError);

    public sealed record ProductPage(IReadOnlyList<ProductView> Items, int Total, int Page, int PageSize);

    public sealed record ProductSummary(string ShopId, int All, IReadOnlyDictionary<string, int> Counts, DateTimeOffset? LastSync, bool StockSync);

    public sealed record SyncRequest(string? ShopId);

    public sealed record SyncRunView(string ShopId, string RunId, string Trigger, string Phase, int TikTokProducts, int StoreVariants, int Linked,
        int StockUpdatesQueued, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, bool Joined = false);

    public sealed record HistoryItem(string Kind, string Message, DateTimeOffset At);

    private static async Task<IResult> ListAsync(HttpRequest request, ProductStore products, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var errors = new Dictionary<string, string[]>();
        var status = query["status"].ToString();
        if (status.Length > 0 && !ProductStatuses.IsValid(status))
        {
            errors["status"] = [$"One of {string.Join(", ", ProductStatuses.All)}."];
        }

        var link = query["link"].ToString();
        if (link.Length > 0 && link is not ("linked" or "unlinked"))
        {
            errors["link"] = ["linked or unlinked."];
        }

        var page = ParseInt(query["page"].ToString(), 1, 1, 100_000, "page", errors);
        var pageSize = ParseInt(query["pageSize"].ToString(), 50, 1, MaxPageSize, "pageSize", errors);
        var text = query["q"].ToString().Trim();
        if (text.Length > 200)
        {
            errors["q"] = ["At most 200 characters."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (await ShopScope.FindAsync(request.HttpContext) is { } unknownShop)
        {
            return unknownShop;
        }

        var shopId = ShopScope.Current(request.HttpContext).ShopId;
        var rows = (await products.ListAsync(shopId, cancellationToken))
            .Where(r => status.Length == 0 || r.Status == status)
            .Where(r => link.Length == 0 || (link == "linked") == (r.Link == LinkStates.Linked))
            .Where(r => text.Length == 0 || Matches(r, text))
            .OrderBy(r => StatusOrder(r.Status)).ThenBy(r => r.TikTokTitle ?? r.StoreTitle, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.RowKey, StringComparer.Ordinal)
            .ToList();
        var items = rows.Skip((page - 1) * pageSize).Take(pageSize).Select(View).ToList();
        return TypedResults.Ok(new ProductPage(items, rows.Count, page, pageSize));
    }

    private static async Task<IResult> SummaryAsync(string? shopId, ProductStore products, CancellationToken cancellationToken)
    {
        var rows = await products.ListAsync(shopId!, cancellationToken);
        var counts = ProductStatuses.All.ToDictionary(s => s, s => rows.Where(r => r.Status == s).Select(ProductIdentity).Distinct(StringComparer.Ordinal).Count());
        var run = await products.GetRunAsync(shopId!, cancellationToken);
        var settings = await products.GetSettingsAsync(shopId!, cancellationToken);
        return TypedResults.Ok(new ProductSummary(shopId!, counts.Values.Sum(), counts, run?.FinishedAt, settings.StockSync));
    }

    /// <summary>Sync Shop Status: answers 202 once the run is queued (or joined); the page follows it on /api/products/sync/status.</summary>
    private static async Task<IResult> SyncAsync(HttpRequest request, ShopStore shops, ProductSyncStarter starter, CancellationToken cancellationToken)
    {
        var (body, problem) = await Problems.ReadJsonAsync<SyncRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!ShopIds.IsValid(body!.ShopId))
        {
            return ShopIds.Problem();
        }

        var shop = await shops.GetAsync(body.ShopId!, cancellationToken);
        if (shop is null)
        {
            return Problems.NotFound($"Shop '{body.ShopId}' is not connected.");
        }

        if (shop.ConnectionStatus == "disconnected")
        {
            return Problems.Conflict($"Shop '{body.ShopId}' was deauthorised on TikTok; authorise the app again to sync products.");
        }

        var (run, joined) = await starter.StartAsync(shop.ShopId, ProductSyncJob.MerchantTrigger, cancellationToken);
        return TypedResults.Accepted($"/api/products/sync/status?shopId={Uri.EscapeDataString(shop.ShopId)}", RunView(run) with { Joined = joined });
    }

    private static async Task<IResult> SyncStatusAsync(string? shopId, ProductStore products, CancellationToken cancellationToken) =>
        await products.GetRunAsync(shopId!, cancellationToken) is { } run
            ? TypedResults.Ok(RunView(run))
            : Problems.NotFound($"Shop '{shopId}' has not synced its products yet.");

    private static async Task<IResult> GetSettingsAsync(string? shopId, ProductStore products, CancellationToken cancellationToken) =>
        TypedResults.Ok(await products.GetSettingsAsync(shopId!, cancellationToken));

    private static async Task<IResult> PutSettingsAsync(HttpRequest request, string? shopId, ProductStore products, CancellationToken cancellationToken)
    {
        var (body, problem) = await Problems.ReadJsonAsync<ProductSettings>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = body!.Validate();
        if (errors.Count > 0)
        {
            return Problems.Invalid(new Dictionary<string, string[]>(errors));
        }

        await products.SaveSettingsAsync(shopId!, body, cancellationToken);
        return TypedResults.Ok(body);
    }

    private static async Task<IResult> HistoryAsync(string productId, string? shopId, ActivityStore activity, CancellationToken cancellationToken)
    {
        if (!IsProductId(productId))
        {
            return Problems.Invalid("productId", "A TikTok product id is 1–32 digits.");
        }

        var items = await activity.ListAsync(shopId!, ProductActivity.Key(productId), 100, cancellationToken);
        return TypedResults.Ok(items.Select(a => new HistoryItem(a.Kind, a.Message, a.At)).ToList());
    }

    /// <summary>Sends the product's stock again (after TikTok refused it, or at the merchant's wish).</summary>
    private static async Task<IResult> RetryAsync(string productId, string? shopId, ProductStore products, IQueueSender queue, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IsProductId(productId))
        {
            return Problems.Invalid("productId", "A TikTok product id is 1–32 digits.");
        }

        var rows = (await products.ListAsync(shopId!, cancellationToken))
            .Where(r => r.TikTokProductId == productId && r.Link == LinkStates.Linked && r.SellerSku is not null)
            .ToList();
        if (rows.Count == 0)
        {
            return Problems.NotFound($"Product {productId} has no SKU linked to the store.");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var messages = rows.Chunk(100).Select(chunk => (QueueMessage)new StockPush
        {
            ShopId = shopId!,
            ProductId = productId,
            SellerSkus = [.. chunk.Select(r => r.SellerSku!)],
            Stamp = now,
            FromWebhook = true,
            RunId = "retry",
        }).ToList();
        await queue.SendAsync(messages, cancellationToken);
        return TypedResults.Accepted((string?)null, new { shopId, productId, skus = rows.Count });
    }

    private static bool IsProductId(string productId) => productId.Length is > 0 and <= 32 && productId.All(char.IsAsciiDigit);

    private static SyncRunView RunView(ProductSyncRunEntity run) => new(run.PartitionKey, run.RunId, run.Trigger, run.Phase, run.TikTokProducts,
        run.StoreVariants, run.Linked, run.StockUpdatesQueued, run.StartedAt, run.FinishedAt);

    private static ProductView View(ProductLinkEntity r) => new(
        r.RowKey, r.SellerSku ?? r.StoreSku, r.Status, ProductStatuses.Label(r.Status), r.Link, r.LinkReason,
        r.TikTokProductId is null ? null : new ProductSide(r.TikTokProductId, r.TikTokSkuId, r.TikTokTitle, r.TikTokStatus, r.TikTokQuantity, r.AuditReasons),
        r.StoreVariantId is null ? null : new StoreSide(r.StoreProductId, r.StoreVariantId, r.StoreSku, r.StoreTitle, r.StoreAvailable, r.StoreUpdatedAt),
        r.SyncedAt, r.PushedAt, r.PushError);

    private static string ProductIdentity(ProductLinkEntity r) => r.TikTokProductId ?? "s:" + (r.StoreProductId ?? r.RowKey);

    private static bool Matches(ProductLinkEntity r, string text) =>
        new[] { r.SellerSku, r.StoreSku, r.TikTokTitle, r.StoreTitle, r.TikTokProductId }.Any(v => v is not null && v.Contains(text, StringComparison.OrdinalIgnoreCase));

    private static int StatusOrder(string status) => ProductStatuses.All.ToList().IndexOf(status);

    private static int ParseInt(string value, int fallback, int min, int max, string name, Dictionary<string, string[]> errors)
    {
        if (value.Length == 0)
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
        {
            return parsed;
        }

        errors[name] = [$"A whole number from {min} to {max}."];
        return fallback;
    }
}
