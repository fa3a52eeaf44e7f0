using System.Text.RegularExpressions;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Connector.Tests.Browser;

/// <summary>The stock and price rules form on the Products page (Web/App/product-settings.js) in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ProductSettingsPageTests(ITestOutputHelper output)
{
    private static readonly LocatorAssertionsToHaveTextOptions SlowText = new() { Timeout = 60_000 };

    [Fact]
    public async Task The_merchant_changes_the_stock_rules_a_wrong_value_is_named_under_its_field_and_the_next_push_uses_the_new_reserve()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions());
        var (_, store) = await sandbox.ConnectShopAsync("ui-prules");
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 20));
        var mug = sandbox.TikTok.CreateProduct("ui-prules", new SimProductSpec
        {
            Title = "Ceramic mug",
            Skus = [new SimSkuSpec { SellerSku = "MUG-1", Stock = new Dictionary<string, int> { [TikTokSimulator.DefaultWarehouseId] = 40 } }],
        });
        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-prules", "#/products"));

        await page.Locator("#product-settings summary").ClickAsync();
        var reserve = page.GetByLabel("Reserve (%)");
        await Expect(page.GetByLabel("Send store stock to TikTok")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Send store prices to TikTok")).Not.ToBeCheckedAsync(); // off by default
        await Expect(page.GetByLabel("Price markup (%)")).ToBeDisabledAsync();
        await Expect(reserve).ToHaveValueAsync("0");

        await reserve.FillAsync("150");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save rules" }).ClickAsync();
        await Expect(page.Locator("#ps-reserve-error")).ToHaveTextAsync("A percentage from 0 to 100.");
        await Expect(reserve).ToHaveAttributeAsync("aria-invalid", "true");

        await reserve.FillAsync("50");
        await page.GetByLabel("Out-of-stock threshold").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save rules" }).ClickAsync();
        await Expect(page.Locator("#ps-status")).ToHaveTextAsync(new Regex("^Saved"));
        await Expect(page.Locator("#ps-reserve-error")).ToBeHiddenAsync();
        await session.ScreenshotAsync("product-settings.png", alsoDocs: true);

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sync Shop Status" }).ClickAsync();
        await Expect(page.Locator("#products-sync-status")).ToContainTextAsync("Synced:", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(10, sandbox.TikTok.GetProduct(mug.Id).Skus[0].Stock.Sum(s => s.Quantity)); // 20 in the store, 50 % held back
        await page.ReloadAsync();
        await page.Locator("#product-settings summary").ClickAsync();
        await Expect(page.GetByLabel("Reserve (%)")).ToHaveValueAsync("50");
        var row = page.Locator("#products-body tr").Filter(new LocatorFilterOptions { HasText = "MUG-1" });
        await Expect(row.Locator("[data-col=tiktok-stock]")).ToHaveTextAsync("10", SlowText);
        session.AssertClean();
    }
}
