using System.Net.Http.Json;
using System.Text.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;
using static Connector.Tests.Integration.ProductStockTests;

namespace Connector.Tests.Integration;

/// <summary>
/// The zero-quantity decision (Products/StockPlan.cs): TikTok's UpdateInventory takes 1–99,999 (product.json), so a sold-out
/// product is deactivated, activated again when stock returns, and a sold-out SKU beside selling ones goes to TikTok's minimum.
/// The simulator runs with its OAS default (quantity 0 refused).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ProductSoldOutTests(ITestOutputHelper output)
{
    private static int Refusals(TestSandbox sandbox) =>
        sandbox.TikTok.Requests.Count(r => r.Path.StartsWith("/product/", StringComparison.Ordinal) && r.Code is not 0);

    private static bool Called(TestSandbox sandbox, string operation) =>
        sandbox.TikTok.Requests.Any(r => r.Method == "POST" && r.Path.EndsWith(operation, StringComparison.Ordinal));

    [Fact]
    public async Task A_product_sold_out_in_the_store_is_hidden_on_tiktok_and_activated_again_when_stock_returns()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("psold");
        store.AddProduct("Mug", ("MUG-1", 9m, 0), ("MUG-2", 9m, 0));
        var mug = Product(sandbox, "psold", "Mug", ("MUG-1", 5), ("MUG-2", 5));

        await SyncAsync(sandbox, "psold");

        Assert.Equal(SimProductStatus.SellerDeactivated, sandbox.TikTok.GetProduct(mug.Id).Status);
        Assert.Equal(0, InventoryCalls(sandbox)); // nothing sent as 0
        Assert.Equal(0, Refusals(sandbox));
        Assert.All(await ListAsync(sandbox, "psold"), row => Assert.Equal("INACTIVE", row.GetProperty("status").GetString()));
        var history = await sandbox.Api.GetFromJsonAsync<JsonElement>($"/api/products/{mug.Id}/history?shopId=psold");
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("message").GetString()!.Contains("hidden on TikTok", StringComparison.Ordinal));

        // A second scan while still sold out changes nothing.
        await SyncAsync(sandbox, "psold");
        Assert.Single(sandbox.TikTok.Requests, r => r.Path.EndsWith("/products/deactivate", StringComparison.Ordinal));

        store.SetInventory("MUG-1", 3);
        await SyncAsync(sandbox, "psold");

        Assert.Equal(3, TikTokStock(sandbox, mug.Id, "MUG-1"));
        Assert.Equal(1, TikTokStock(sandbox, mug.Id, "MUG-2")); // still sold out: TikTok's minimum while its sibling sells
        Assert.Equal(SimProductStatus.Pending, sandbox.TikTok.GetProduct(mug.Id).Status); // TikTok reviews it again
        Assert.Equal(0, Refusals(sandbox));
        Assert.All(await ListAsync(sandbox, "psold"), row => Assert.Equal("REVIEWING", row.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_product_the_merchant_deactivated_gets_its_stock_but_connector_never_activates_it()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("pmoff");
        store.AddProduct("Cap", ("CAP-1", 9m, 4));
        var cap = Product(sandbox, "pmoff", "Cap", ("CAP-1", 9));
        sandbox.TikTok.SetProductStatus(cap.Id, SimProductStatus.SellerDeactivated);

        await SyncAsync(sandbox, "pmoff");

        Assert.Equal(4, TikTokStock(sandbox, cap.Id, "CAP-1"));
        Assert.Equal(SimProductStatus.SellerDeactivated, sandbox.TikTok.GetProduct(cap.Id).Status);
        Assert.False(Called(sandbox, "/products/activate"));
    }

    [Fact]
    public async Task The_last_unit_sold_in_shopify_hides_the_product_through_the_inventory_webhook()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var store = sandbox.Shopify.AddShop("store-plast");
        using (var put = await sandbox.PutShopAsync(sandbox.TikTok.AddShop("plast"),
                   new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken, webhookSecret = store.ApiSecretKey }))
        {
            put.EnsureSuccessStatusCode();
        }

        store.AddProduct("Lamp", ("LAMP-1", 30m, 1));
        var lamp = Product(sandbox, "plast", "Lamp", ("LAMP-1", 1));
        await SyncAsync(sandbox, "plast");

        store.SetInventory("LAMP-1", 0);
        await TestWait.UntilAsync(() => sandbox.TikTok.GetProduct(lamp.Id).Status == SimProductStatus.SellerDeactivated, TimeSpan.FromSeconds(10));

        Assert.Equal(0, Refusals(sandbox));
    }
}
