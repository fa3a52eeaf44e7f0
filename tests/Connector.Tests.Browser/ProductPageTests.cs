using System.Text.RegularExpressions;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Connector.Tests.Browser;

/// <summary>The Products page and the dashboard's Product Status card (issue 14, seed 004) in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ProductPageTests(ITestOutputHelper output)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToHaveTextOptions SlowText = new() { Timeout = 60_000 };

    private static SimProduct Product(TestSandbox sandbox, string shopId, string title, string sku, int stock) =>
        sandbox.TikTok.CreateProduct(shopId, new SimProductSpec
        {
            Title = title,
            Skus = [new SimSkuSpec { SellerSku = sku, Stock = new Dictionary<string, int> { [TikTokSimulator.DefaultWarehouseId] = stock } }],
        });

    private static async Task<TestSandbox> CatalogueAsync(string shopId)
    {
        var sandbox = await TestSandbox.StartAsync(new SandboxOptions());
        var (_, store) = await sandbox.ConnectShopAsync(shopId);
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 12));
        store.AddProduct("Linen tote", ("TOTE-1", 14m, 3));
        store.AddProduct("Enamel pin", ("PIN-1", 4m, 30));
        Product(sandbox, shopId, "Ceramic mug", "MUG-1", 40);
        Product(sandbox, shopId, "Linen tote", "TOTE-1", 8);
        var failed = Product(sandbox, shopId, "Glass vase", "VASE-1", 5);
        sandbox.TikTok.SetProductStatus(failed.Id, SimProductStatus.Failed,
            [new SimAuditFailure("Main image", ["Image shows a watermark"], ["Upload an image without text or logos."])]);
        var review = Product(sandbox, shopId, "Wool scarf", "SCARF-1", 3);
        sandbox.TikTok.SetProductStatus(review.Id, SimProductStatus.Pending);
        return sandbox;
    }

    [Fact]
    public async Task The_dashboard_shows_the_six_product_statuses_with_counts_after_Sync_Shop_Status_and_a_tile_opens_the_products_page()
    {
        await using var sandbox = await CatalogueAsync("ui-pdash");
        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-pdash", "#/dashboard"));
        var card = page.Locator(".dash-products");
        await Expect(card).ToContainTextAsync("Not synced yet", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });

        await card.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Sync Shop Status" }).ClickAsync();
        await Expect(card.Locator("#dash-products-sync-status")).ToHaveTextAsync("Synced.", SlowText);
        await Expect(card.Locator("a.product-live .tile-count")).ToHaveTextAsync("2", SlowText);
        await Expect(card.Locator("a.product-failed .tile-count")).ToHaveTextAsync("1");
        await Expect(card.Locator("a.product-reviewing .tile-count")).ToHaveTextAsync("1");
        await Expect(card.Locator("a.product-not_uploaded .tile-count")).ToHaveTextAsync("1");
        await Expect(card.Locator("a.product-inactive .tile-count")).ToHaveTextAsync("0");
        await Expect(card.Locator("a.product-in_progress .tile-count")).ToHaveTextAsync("0");
        await session.ScreenshotAsync("dashboard-products.png", alsoDocs: true);

        await card.Locator("a.product-failed").ClickAsync();
        await Expect(page.Locator("#view-products")).ToBeVisibleAsync();
        var row = page.Locator("#products-body tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Glass vase");
        await Expect(row).ToContainTextAsync("Image shows a watermark");
        session.AssertClean();
    }

    [Fact]
    public async Task The_products_page_shows_stock_on_each_side_searches_and_pages_and_the_store_stock_reaches_tiktok()
    {
        await using var sandbox = await CatalogueAsync("ui-prod");
        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-prod", "#/products"));
        await Expect(page.Locator("#products-empty")).ToBeVisibleAsync(Slow);

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sync Shop Status" }).ClickAsync();
        await Expect(page.Locator("#products-sync-status")).ToContainTextAsync("Synced:", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { NameRegex = new Regex("^Live") }).ClickAsync();

        var mug = page.Locator("#products-body tr").Filter(new LocatorFilterOptions { HasText = "MUG-1" });
        await Expect(mug.Locator("[data-col=store-stock]")).ToHaveTextAsync("12", SlowText);
        await Expect(mug.Locator("[data-col=tiktok-stock]")).ToHaveTextAsync("12", SlowText); // 40 on TikTok before: the store's 12 went
        var tote = page.Locator("#products-body tr").Filter(new LocatorFilterOptions { HasText = "TOTE-1" });
        await Expect(tote.Locator("[data-col=tiktok-stock]")).ToHaveTextAsync("3"); // 8 on TikTok before: the store's 3 went

        await page.Locator("#products-q").FillAsync("tote");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Search" }).ClickAsync();
        await Expect(page.Locator("#products-body tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#products-shown")).ToContainTextAsync("1 SKU(s) · page 1 of 1");
        await page.Locator("#products-q").FillAsync("");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Search" }).ClickAsync();
        await Expect(page.Locator("#products-body tr")).ToHaveCountAsync(2);

        await mug.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "History" }).ClickAsync();
        await Expect(page.Locator("#products-history")).ToContainTextAsync("MUG-1 → 12");
        await session.ScreenshotAsync("products.png", alsoDocs: true);

        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { NameRegex = new Regex("^Not Uploaded") }).ClickAsync();
        await Expect(page.Locator("#products-body tr")).ToContainTextAsync("Enamel pin");
        session.AssertClean();
    }
}
