using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Connector.Tests.Browser;

/// <summary>The Returns view (issue 13 item 3): tabs with counts, each return's lines and reason, Approve and Reject there.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReturnsPageTests(ITestOutputHelper output)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 60_000 };

    private static SimOrderSpec Order(string customer) => new()
    {
        Lines = [new SimLineSpec { SellerSku = "MUG-1", Quantity = 2, SalePrice = 9.5m, ProductName = "Ceramic mug" }],
        ShippingType = "SELLER",
        Address = new SimAddressSpec { Name = customer },
    };

    private static readonly Dictionary<string, string> Tabs = new()
    {
        ["Request pending"] = "pending", ["Awaiting buyer shipment"] = "awaiting-shipment", ["Buyer shipped"] = "buyer-shipped",
        ["Rejected"] = "rejected", ["Completed / refunded"] = "completed",
    };

    /// <summary>The tab with this label (checked), found by its id: a '/' in the name does not fit a role-name regex.</summary>
    private static ILocator Tab(IPage page, string label) =>
        page.Locator($"#rtab-{Tabs[label]}").Filter(new LocatorFilterOptions { HasText = label });

    private static ILocator Card(IPage page, string orderId) => page.Locator($"article.return-card[data-order-id='{orderId}']");

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
    public async Task The_returns_view_counts_each_tab_and_approves_and_rejects_returns()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-returns");
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 20));
        var orders = new[] { "Ana Lima", "Ben Ode", "Cy Park", "Dee Fox" }.Select(c => sandbox.TikTok.CreateOrder("ui-returns", Order(c))).ToList();
        await sandbox.FetchAndWaitAsync("ui-returns");
        sandbox.EnableWebhooks();
        foreach (var order in orders)
        {
            sandbox.TikTok.AdvanceTo(order.Id, "DELIVERED");
        }

        var toApprove = sandbox.TikTok.CreateReturn(orders[0].Id, new SimReturnSpec { ReasonText = "Arrived broken" });
        var toReject = sandbox.TikTok.CreateReturn(orders[1].Id, new SimReturnSpec { ReasonText = "Changed my mind" });
        var shipped = sandbox.TikTok.CreateReturn(orders[2].Id, new SimReturnSpec());
        var cancelled = sandbox.TikTok.CreateReturn(orders[3].Id, new SimReturnSpec());
        await sandbox.SettleAsync();
        sandbox.TikTok.CancelReturn(cancelled.ReturnId);
        await sandbox.SettleAsync();

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-returns", "#/returns"));
        await Expect(Card(page, orders[0].Id)).ToBeVisibleAsync(Slow);
        await Expect(Tab(page, "Request pending").Locator(".pill")).ToHaveTextAsync("3");
        await Expect(Tab(page, "Rejected").Locator(".pill")).ToHaveTextAsync("1");
        await Expect(Card(page, orders[0].Id)).ToContainTextAsync("MUG-1 × 2");
        await Expect(Card(page, orders[0].Id)).ToContainTextAsync("Reason: Arrived broken");
        await Expect(Card(page, orders[0].Id)).ToContainTextAsync("Answer by");
        await session.ScreenshotAsync("returns.png", alsoDocs: true, fullPage: false);

        // Approve one.
        await Card(page, orders[0].Id).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve" }).ClickAsync();
        await UntilAsync(() => sandbox.TikTok.GetReturn(toApprove.ReturnId).Status == "AWAITING_BUYER_SHIP", "the approval");

        // Reject another with one of TikTok's reasons: the choice appears first.
        var reject = Card(page, orders[1].Id).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { NameRegex = new Regex("^Reject") });
        await reject.ClickAsync();
        var reason = Card(page, orders[1].Id).GetByLabel($"Reject reason for return {toReject.ReturnId}");
        await Expect(reason.Locator("option")).Not.ToHaveCountAsync(1);
        await reason.SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await reject.ClickAsync();
        await UntilAsync(() => sandbox.TikTok.GetReturn(toReject.ReturnId).Status == "REFUND_OR_RETURN_REQUEST_REJECT", "the rejection");

        // The third: approved, shipped back, received — TikTok refunds and the store shows it.
        using (var approve = await sandbox.Api.PostAsJsonAsync($"/api/orders/{orders[2].Id}/return/approve?shopId=ui-returns", new { returnId = shipped.ReturnId }))
        {
            approve.EnsureSuccessStatusCode();
        }

        await sandbox.SettleAsync();
        sandbox.TikTok.ShipReturn(shipped.ReturnId, "RET42", "UPS");
        await sandbox.SettleAsync();
        await page.ReloadAsync();
        await Tab(page, "Buyer shipped").ClickAsync();
        await Card(page, orders[2].Id).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve: item received" }).ClickAsync();
        await UntilAsync(() => store.Orders.Any(o => o.Refunds.Count == 1), "the store refund");
        await sandbox.SettleAsync();

        await page.ReloadAsync();
        await Expect(Tab(page, "Completed / refunded").Locator(".pill")).ToHaveTextAsync("1", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await Expect(Tab(page, "Request pending").Locator(".pill")).ToHaveTextAsync("0");
        await Expect(Tab(page, "Awaiting buyer shipment").Locator(".pill")).ToHaveTextAsync("1");
        await Expect(Tab(page, "Rejected").Locator(".pill")).ToHaveTextAsync("2");
        await Tab(page, "Completed / refunded").ClickAsync();
        await Expect(Card(page, orders[2].Id)).ToContainTextAsync("Refunded in the store");
        await Tab(page, "Rejected").ClickAsync();
        await Expect(Card(page, orders[1].Id)).ToBeVisibleAsync();
        session.AssertClean();
    }
}
