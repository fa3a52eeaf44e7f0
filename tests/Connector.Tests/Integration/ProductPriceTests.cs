using Connector.Testing;
using Xunit.Abstractions;
using static Connector.Tests.Integration.ProductStockTests;

namespace Connector.Tests.Integration;

/// <summary>
/// Price sync (UpdatePrice with the markup rule): off by default, so TikTok keeps the merchant's own prices; on, the store
/// price under the markup goes to TikTok once, in the shop's currency. The simulator checks the request against
/// product.json UpdatePrice (ProductTests in Connector.Sandbox.TikTok.Tests holds its refusals).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ProductPriceTests(ITestOutputHelper output)
{
    private static int PriceCalls(TestSandbox sandbox) =>
        sandbox.TikTok.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/prices/update", StringComparison.Ordinal));

    [Fact]
    public async Task Prices_are_never_sent_while_price_sync_is_off_and_go_once_with_the_markup_when_it_is_on()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("pprice");
        store.AddProduct("Mug", ("MUG-1", 9.5m, 5), ("MUG-2", 12m, 5));
        var mug = Product(sandbox, "pprice", "Mug", ("MUG-1", 5), ("MUG-2", 1));

        await SyncAsync(sandbox, "pprice");

        Assert.Equal(0, PriceCalls(sandbox)); // off by default, even while stock goes
        Assert.Equal(5, TikTokStock(sandbox, mug.Id, "MUG-2"));
        Assert.All(sandbox.TikTok.GetProduct(mug.Id).Skus, s => Assert.Equal(19.99m, s.Price));

        await PutSettingsAsync(sandbox, "pprice", new { stockSync = true, priceSync = true, priceMarkupPercent = 10 });
        await SyncAsync(sandbox, "pprice");

        var skus = sandbox.TikTok.GetProduct(mug.Id).Skus;
        Assert.Equal(10.45m, skus.Single(s => s.SellerSku == "MUG-1").Price); // 9.50 + 10 %
        Assert.Equal(13.20m, skus.Single(s => s.SellerSku == "MUG-2").Price);
        var call = Assert.Single(sandbox.TikTok.Requests, r => r.Path.EndsWith("/prices/update", StringComparison.Ordinal));
        Assert.Equal(0, call.Code);
        Assert.Contains("\"currency\":\"USD\"", call.Body, StringComparison.Ordinal);

        await SyncAsync(sandbox, "pprice");
        Assert.Equal(1, PriceCalls(sandbox)); // TikTok already has these prices
    }

    [Fact]
    public async Task Price_sync_works_with_stock_sync_off_and_leaves_the_stock_alone()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ppoff");
        store.AddProduct("Cap", ("CAP-1", 20m, 3));
        var cap = Product(sandbox, "ppoff", "Cap", ("CAP-1", 40));
        await PutSettingsAsync(sandbox, "ppoff", new { stockSync = false, priceSync = true, priceMarkupPercent = -10 });

        await SyncAsync(sandbox, "ppoff");

        Assert.Equal(18m, sandbox.TikTok.GetProduct(cap.Id).Skus[0].Price);
        Assert.Equal(40, TikTokStock(sandbox, cap.Id, "CAP-1"));
        Assert.Equal(0, InventoryCalls(sandbox));
    }
}
