using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Sandbox.Shopify;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Products and stock (issue 14, seed 004): the catalogue link by seller SKU, store stock pushed to TikTok so TikTok never
/// sells what the store no longer has (UpdateInventory per product, every warehouse of each SKU), and the Products API.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ProductStockTests(ITestOutputHelper output)
{
    private Task<TestSandbox> StartAsync(Action<TikTokSimulatorOptions>? tiktok = null) =>
        TestSandbox.StartAsync(new SandboxOptions { Output = output, ConfigureTikTok = tiktok });

    internal static SimProduct Product(TestSandbox sandbox, string shopId, string title, params (string Sku, int TikTokStock)[] skus) =>
        sandbox.TikTok.CreateProduct(shopId, new SimProductSpec
        {
            Title = title,
            Skus = [.. skus.Select(s => new SimSkuSpec { SellerSku = s.Sku, Stock = new Dictionary<string, int> { [TikTokSimulator.DefaultWarehouseId] = s.TikTokStock } })],
        });

    internal static int TikTokStock(TestSandbox sandbox, string productId, string sellerSku) =>
        sandbox.TikTok.GetProduct(productId).Skus.Single(s => s.SellerSku == sellerSku).Stock.Sum(s => s.Quantity);

    internal static int InventoryCalls(TestSandbox sandbox) =>
        sandbox.TikTok.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/inventory/update", StringComparison.Ordinal));

    internal static async Task<JsonElement> SyncAsync(TestSandbox sandbox, string shopId)
    {
        using var response = await sandbox.Api.PostAsJsonAsync("/api/products/sync", new { shopId });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(started.GetProperty("runId").GetString()));
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(60));
        using var status = await sandbox.Api.GetAsync($"/api/products/sync/status?shopId={shopId}");
        status.EnsureSuccessStatusCode();
        var run = await status.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("finished", run.GetProperty("phase").GetString());
        return run;
    }

    internal static async Task<JsonElement[]> ListAsync(TestSandbox sandbox, string shopId, string query = "")
    {
        using var response = await sandbox.Api.GetAsync($"/api/products?shopId={shopId}{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()];
    }

    internal static async Task PutSettingsAsync(TestSandbox sandbox, string shopId, object settings)
    {
        using var response = await sandbox.Api.PutAsJsonAsync($"/api/products/settings?shopId={shopId}", settings);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sync_links_skus_by_seller_sku_lists_the_unlinked_with_their_reason_and_sends_the_store_stock_to_tiktok()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("plink");
        store.AddProduct("Mug", ("MUG-1", 9m, 7), ("MUG-2", 9m, 0));
        store.AddProduct("Poster", ("POSTER-1", 5m, 3));
        var mug = Product(sandbox, "plink", "Mug", ("MUG-1", 50), ("MUG-2", 50));
        var cap = Product(sandbox, "plink", "Cap", ("CAP-1", 20));

        var run = await SyncAsync(sandbox, "plink");

        Assert.Equal(2, run.GetProperty("tikTokProducts").GetInt32());
        Assert.Equal(2, run.GetProperty("linked").GetInt32());
        Assert.Equal(7, TikTokStock(sandbox, mug.Id, "MUG-1"));
        Assert.Equal(1, TikTokStock(sandbox, mug.Id, "MUG-2")); // sold out, its sibling still sells: TikTok's minimum (1), never 0
        Assert.Equal(20, TikTokStock(sandbox, cap.Id, "CAP-1"));
        Assert.Equal(1, InventoryCalls(sandbox)); // both SKUs of the mug in one call

        var items = await ListAsync(sandbox, "plink");
        var capRow = Assert.Single(items, i => i.GetProperty("sellerSku").GetString() == "CAP-1");
        Assert.Equal("not_in_store", capRow.GetProperty("link").GetString());
        Assert.Contains("No product in your Shopify store has SKU CAP-1", capRow.GetProperty("linkReason").GetString(), StringComparison.Ordinal);
        var poster = Assert.Single(items, i => i.GetProperty("sellerSku").GetString() == "POSTER-1");
        Assert.Equal("NOT_UPLOADED", poster.GetProperty("status").GetString());
        var mugRow = Assert.Single(items, i => i.GetProperty("sellerSku").GetString() == "MUG-1");
        Assert.Equal(7, mugRow.GetProperty("store").GetProperty("available").GetInt32());
        Assert.Equal(7, mugRow.GetProperty("tikTok").GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task The_dashboard_counts_map_tiktok_statuses_to_the_six_seed_statuses_and_failed_products_carry_tiktoks_reasons()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("pstat");
        store.AddProduct("Lamp", ("LAMP-1", 20m, 4));
        Product(sandbox, "pstat", "Live one", ("LIVE-1", 1));
        var failed = Product(sandbox, "pstat", "Failed one", ("FAIL-1", 1));
        sandbox.TikTok.SetProductStatus(failed.Id, SimProductStatus.Failed, [new SimAuditFailure("main_images", ["Image is blurry"], ["Upload a sharper image"])]);
        var pending = Product(sandbox, "pstat", "Pending one", ("PEND-1", 1));
        sandbox.TikTok.SetProductStatus(pending.Id, SimProductStatus.Pending);
        var draft = Product(sandbox, "pstat", "Draft one", ("DRAFT-1", 1));
        sandbox.TikTok.SetProductStatus(draft.Id, SimProductStatus.Draft);
        var off = Product(sandbox, "pstat", "Off one", ("OFF-1", 1));
        sandbox.TikTok.SetProductStatus(off.Id, "SELLER_DEACTIVATED");

        await SyncAsync(sandbox, "pstat");

        using var summary = await sandbox.Api.GetAsync("/api/products/summary?shopId=pstat");
        var counts = (await summary.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("counts");
        Assert.Equal(
            new Dictionary<string, int> { ["LIVE"] = 1, ["FAILED"] = 1, ["NOT_UPLOADED"] = 1, ["INACTIVE"] = 1, ["IN_PROGRESS"] = 1, ["REVIEWING"] = 1 },
            counts.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()));
        var failedRow = Assert.Single(await ListAsync(sandbox, "pstat", "&status=FAILED"));
        Assert.Contains("Image is blurry", failedRow.GetProperty("tikTok").GetProperty("auditReasons").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sale_in_shopify_reaches_tiktok_through_the_inventory_webhook_within_seconds()
    {
        await using var sandbox = await StartAsync();
        var store = sandbox.Shopify.AddShop("store-phook");
        using (var put = await sandbox.PutShopAsync(sandbox.TikTok.AddShop("phook"),
                   new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken, webhookSecret = store.ApiSecretKey }))
        {
            Assert.Contains("inventory_levels/update", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        store.AddProduct("Mug", ("MUG-1", 9m, 5));
        var mug = Product(sandbox, "phook", "Mug", ("MUG-1", 5));
        await SyncAsync(sandbox, "phook");
        var calls = InventoryCalls(sandbox);

        var clock = Stopwatch.StartNew();
        store.SetInventory("MUG-1", 1);
        await TestWait.UntilAsync(() => TikTokStock(sandbox, mug.Id, "MUG-1") == 1, TimeSpan.FromSeconds(10));
        output.WriteLine($"store change → TikTok quantity: {clock.ElapsedMilliseconds} ms");

        Assert.Equal(calls + 1, InventoryCalls(sandbox));
        var history = await sandbox.Api.GetFromJsonAsync<JsonElement>($"/api/products/{mug.Id}/history?shopId=phook");
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("message").GetString()!.Contains("MUG-1 → 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Units_of_tiktok_orders_not_yet_in_the_store_and_the_reserve_threshold_and_maximum_rules_shape_the_quantity()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("prule");
        store.AddProduct("Mug", ("MUG-1", 9m, 40), ("MUG-2", 9m, 12));
        var mug = Product(sandbox, "prule", "Mug", ("MUG-1", 1), ("MUG-2", 1));
        await PutSettingsAsync(sandbox, "prule", new { stockSync = true, reservePercent = 10, outOfStockThreshold = 10, maximumListed = 30 });

        // An order TikTok still holds (ON_HOLD) has taken 4 MUG-2 off TikTok but not off the store.
        sandbox.TikTok.CreateOrder("prule", TestOrders.Spec("ON_HOLD", ("MUG-2", 4, 9m)));
        await sandbox.FetchAndWaitAsync("prule");
        await SyncAsync(sandbox, "prule");

        Assert.Equal(30, TikTokStock(sandbox, mug.Id, "MUG-1")); // 40 − 10 % = 36, capped at 30
        Assert.Equal(1, TikTokStock(sandbox, mug.Id, "MUG-2")); // 12 − 4 = 8, − 10 % = 7, at or under the threshold 10: sold out, TikTok's minimum
    }

    [Fact]
    public async Task A_refusal_by_tiktok_shows_on_the_product_with_its_reason_and_a_retry_sends_the_stock_once_tiktok_allows_it()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("prefuse");
        store.AddProduct("Mug", ("MUG-1", 9m, 6));
        var mug = Product(sandbox, "prefuse", "Mug", ("MUG-1", 50));
        sandbox.TikTok.SetProductStatus(mug.Id, SimProductStatus.Freeze);

        await SyncAsync(sandbox, "prefuse");

        var row = Assert.Single(await ListAsync(sandbox, "prefuse"));
        Assert.Contains("21011001", row.GetProperty("stockError").GetString(), StringComparison.Ordinal);
        Assert.Equal(50, TikTokStock(sandbox, mug.Id, "MUG-1"));

        sandbox.TikTok.SetProductStatus(mug.Id, SimProductStatus.Activate);
        using var retry = await sandbox.Api.PostAsJsonAsync($"/api/products/{mug.Id}/retry?shopId=prefuse", new { });
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(6, TikTokStock(sandbox, mug.Id, "MUG-1"));
        Assert.False((await ListAsync(sandbox, "prefuse"))[0].TryGetProperty("stockError", out _));
    }

    [Fact]
    public async Task Stock_updates_are_rate_limited_by_tiktok_429_and_still_all_land()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("prate");
        var products = Enumerable.Range(1, 6).Select(i =>
        {
            store.AddProduct($"Item {i}", ($"ITEM-{i}", 5m, i));
            return Product(sandbox, "prate", $"Item {i}", ($"ITEM-{i}", 99));
        }).ToList();
        sandbox.TikTok.SetRateLimit(2);

        await SyncAsync(sandbox, "prate");
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        Assert.All(products.Select((p, i) => (p, i)), x => Assert.Equal(x.i + 1, TikTokStock(sandbox, x.p.Id, $"ITEM-{x.i + 1}")));
        Assert.Contains(sandbox.TikTok.Requests, r => r.Path.EndsWith("/inventory/update", StringComparison.Ordinal) && r.Code == 36009002);
    }

    [Fact]
    public async Task With_stock_sync_off_nothing_is_sent_to_tiktok()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("poff");
        store.AddProduct("Mug", ("MUG-1", 9m, 3));
        var mug = Product(sandbox, "poff", "Mug", ("MUG-1", 50));
        await PutSettingsAsync(sandbox, "poff", new { stockSync = false });

        await SyncAsync(sandbox, "poff");

        Assert.Equal(50, TikTokStock(sandbox, mug.Id, "MUG-1"));
        Assert.Equal(0, InventoryCalls(sandbox));
    }

    [Fact]
    public async Task Product_status_and_audit_webhooks_keep_the_products_page_current_between_syncs()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("pwh");
        store.AddProduct("Mug", ("MUG-1", 9m, 3));
        var mug = Product(sandbox, "pwh", "Mug", ("MUG-1", 3));
        await SyncAsync(sandbox, "pwh");
        sandbox.EnableWebhooks();

        sandbox.TikTok.SetProductStatus(mug.Id, SimProductStatus.Failed, [new SimAuditFailure("title", ["Title has a banned word"], ["Remove it"])]);
        await sandbox.SettleAsync();

        var row = Assert.Single(await ListAsync(sandbox, "pwh"));
        Assert.Equal("FAILED", row.GetProperty("status").GetString());
        Assert.Contains("Title has a banned word", row.GetProperty("tikTok").GetProperty("auditReasons").GetString(), StringComparison.Ordinal);

        sandbox.TikTok.SetProductStatus(mug.Id, SimProductStatus.Freeze);
        await sandbox.SettleAsync();

        Assert.Equal("INACTIVE", Assert.Single(await ListAsync(sandbox, "pwh")).GetProperty("status").GetString());
        var history = await sandbox.Api.GetFromJsonAsync<JsonElement>($"/api/products/{mug.Id}/history?shopId=pwh");
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("message").GetString()!.Contains("Inactive (FREEZE)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_prestashop_catalogue_links_products_and_combinations_by_reference_and_sends_stock_availables_to_tiktok()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectPrestaShopAsync("pps");
        store.AddProduct("PS-MUG", 9m, 4);
        var shirt = store.AddProduct("PS-SHIRT", 15m, 0);
        store.AddCombination(shirt, "PS-SHIRT-M", 0m, 6);
        store.AddProduct("PS-ONLY", 3m, 1);
        var mug = Product(sandbox, "pps", "Mug", ("PS-MUG", 30));
        var tee = Product(sandbox, "pps", "Shirt", ("PS-SHIRT-M", 30));

        await SyncAsync(sandbox, "pps");

        Assert.Equal(4, TikTokStock(sandbox, mug.Id, "PS-MUG"));
        Assert.Equal(6, TikTokStock(sandbox, tee.Id, "PS-SHIRT-M"));
        var notUploaded = Assert.Single(await ListAsync(sandbox, "pps", "&status=NOT_UPLOADED"));
        Assert.Equal("PS-ONLY", notUploaded.GetProperty("store").GetProperty("sku").GetString());
    }

    [Fact]
    public async Task Product_routes_refuse_bad_input_with_a_problem()
    {
        await using var sandbox = await StartAsync();
        await sandbox.ConnectShopAsync("pbad");

        using var status = await sandbox.Api.GetAsync("/api/products?shopId=pbad&status=SOLD");
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        using var size = await sandbox.Api.GetAsync("/api/products?shopId=pbad&pageSize=1000");
        Assert.Equal(HttpStatusCode.BadRequest, size.StatusCode);
        using var reserve = await sandbox.Api.PutAsJsonAsync("/api/products/settings?shopId=pbad", new { reservePercent = 150 });
        Assert.Equal(HttpStatusCode.BadRequest, reserve.StatusCode);
        using var unknown = await sandbox.Api.PutAsJsonAsync("/api/products/settings?shopId=pbad", new { reserve = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var product = await sandbox.Api.GetAsync("/api/products/abc/history?shopId=pbad");
        Assert.Equal(HttpStatusCode.BadRequest, product.StatusCode);
        using var shop = await sandbox.Api.PostAsJsonAsync("/api/products/sync", new { shopId = "nope" });
        Assert.Equal(HttpStatusCode.NotFound, shop.StatusCode);
    }
}
