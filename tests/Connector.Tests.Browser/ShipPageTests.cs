using System.Text.RegularExpressions;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Connector.Tests.Browser;

/// <summary>Shipping from the order dialog (issue 13 item 4): the only way an Etsy shop's order reaches TikTok as shipped.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShipPageTests(ITestOutputHelper output)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 60_000 };

    private static ILocator Row(IPage page, string text) =>
        page.Locator("#grid-body > tr:not(.lines-row)").Filter(new LocatorFilterOptions { HasText = text });

    private static Task OpenAsync(IPage page, string customer, string orderId) =>
        Row(page, customer).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = $"Order {orderId}, show details" }).ClickAsync();

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task An_etsy_order_is_shipped_in_parts_from_the_order_dialog_with_a_carrier_and_tracking_number()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, etsy) = await sandbox.ConnectEtsyAsync("ui-ship");
        etsy.AddListing("Ceramic mug", ("MUG-1", 9.5m, 20, null));
        etsy.AddListing("Organic tee", ("TEE-M", 24m, 20, [("Size", "M")]));
        var order = sandbox.TikTok.CreateOrder("ui-ship", new SimOrderSpec
        {
            Lines =
            [
                new SimLineSpec { SellerSku = "MUG-1", Quantity = 2, SalePrice = 9.5m, ProductName = "Ceramic mug" },
                new SimLineSpec { SellerSku = "TEE-M", Quantity = 1, SalePrice = 24m, ProductName = "Organic tee" },
            ],
            ShippingType = "SELLER",
            Address = new SimAddressSpec { Name = "Nina Park" },
        });
        await sandbox.FetchAndWaitAsync("ui-ship");

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-ship"));
        await Expect(Row(page, "Nina Park")).ToBeVisibleAsync(Slow);
        await OpenAsync(page, "Nina Park", order.Id);
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Ship…" }).ClickAsync();
        var carrier = dialog.GetByLabel("Carrier", new LocatorGetByLabelOptions { Exact = true });
        await Expect(carrier.Locator("option")).ToHaveTextAsync(["Choose a carrier", "USPS", "UPS", "FedEx", "DHL eCommerce"]);

        // A tracking number with a space is refused on the page, before anything is sent.
        await carrier.SelectOptionAsync(new SelectOptionValue { Label = "USPS" });
        var tracking = dialog.GetByLabel("Tracking number");
        await tracking.FillAsync("9400 1118");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Ship package" }).ClickAsync();
        await Expect(dialog.Locator("#ship-tracking-error")).ToContainTextAsync("5–50 letters, digits or hyphens");
        Assert.Equal(0, sandbox.TikTok.Requests.Count(r => r.Path.EndsWith("/packages", StringComparison.Ordinal)));

        // One mug and the tee in this package; the other mug later.
        await tracking.FillAsync("9400111899223334445566");
        await dialog.GetByLabel(new Regex("Ceramic mug")).FillAsync("1");
        await Expect(dialog.Locator("#ship-tracking-error")).ToBeHiddenAsync();
        await Expect(dialog.Locator("#ship-form")).ToContainTextAsync("of 2 left");
        await session.ScreenshotAsync("order-ship.png", alsoDocs: true, fullPage: false);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Ship package" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Status).Last).ToContainTextAsync("sent to TikTok");

        await UntilAsync(() => sandbox.TikTok.GetOrder(order.Id).Status == "PARTIALLY_SHIPPING", "TikTok to show the order partly shipped");
        var shipped = sandbox.TikTok.GetOrder(order.Id).LineItems.Where(l => l.TrackingNumber == "9400111899223334445566").Select(l => l.SellerSku).Order();
        Assert.Equal(["MUG-1", "TEE-M"], shipped);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await sandbox.GetOrderAsync("ui-ship", order.Id)).GetProperty("status").GetString() != "PARTIALLY_SHIPPING")
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the order to show partly shipped.");
            await Task.Delay(200);
        }

        await page.Keyboard.PressAsync("Escape");
        await OpenAsync(page, "Nina Park", order.Id);
        await Expect(dialog.Locator(".detail-status .badge")).ToHaveTextAsync("Partially Shipping", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await Expect(dialog.Locator(".timeline")).ToContainTextAsync("Shipped from the order page: tracking 9400111899223334445566 (USPS)");

        // The second package offers only the mug left.
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Ship…" }).ClickAsync();
        await Expect(dialog.Locator("#ship-form")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        await Expect(dialog.Locator(".order-ship > [role=status]")).ToBeHiddenAsync(); // no refusal, no error
        await Expect(dialog.Locator(".ship-line")).ToHaveCountAsync(1);
        await Expect(dialog.Locator(".ship-line")).ToContainTextAsync("of 1 left (1 shipped)");
        session.AssertClean();
    }
}
