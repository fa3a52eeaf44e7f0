using Connector.Testing;
using Xunit.Abstractions;
using static Connector.Tests.Integration.ProductStockTests;

namespace Connector.Tests.Integration;

/// <summary>
/// The proactive TikTok budget (TikTok/TikTokRateBudget.cs): product and inventory calls wait for the shop's budget before
/// TikTok is asked, so a burst of stock changes never meets TikTok's rate limit (§8.2: 429 with code 36009002).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ProductRateBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_burst_of_stock_changes_stays_within_the_shops_budget_and_every_quantity_lands_without_a_429()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            Output = output,
            ConfigureTikTok = o => o.RateLimitPerSecond = 4, // per shop and API per second
            ConfigureHandler = b => b.Configuration["TikTok:ProductCallsPerSecond"] = "2",
        });
        var store = sandbox.Shopify.AddShop("store-pburst");
        using (var put = await sandbox.PutShopAsync(sandbox.TikTok.AddShop("pburst"),
                   new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken, webhookSecret = store.ApiSecretKey }))
        {
            put.EnsureSuccessStatusCode();
        }

        var products = Enumerable.Range(1, 10).Select(i =>
        {
            store.AddProduct($"Item {i}", ($"BURST-{i}", 5m, 50));
            return Product(sandbox, "pburst", $"Item {i}", ($"BURST-{i}", 50));
        }).ToList();
        await SyncAsync(sandbox, "pburst");

        for (var i = 1; i <= 10; i++)
        {
            store.SetInventory($"BURST-{i}", i);
        }

        await TestWait.UntilAsync(
            () => products.Select((p, i) => TikTokStock(sandbox, p.Id, $"BURST-{i + 1}") == i + 1).All(x => x), TimeSpan.FromSeconds(60));

        Assert.True(InventoryCalls(sandbox) >= 10);
        Assert.DoesNotContain(sandbox.TikTok.Requests, r => r.HttpStatus == 429 || r.Code == 36009002);
    }
}
