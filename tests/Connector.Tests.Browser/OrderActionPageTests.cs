using System.Text.RegularExpressions;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Connector.Tests.Browser;

/// <summary>Order actions in the order dialog (issue 13): cancel with a reason, approve or reject a buyer's cancellation request.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OrderActionPageTests(ITestOutputHelper output)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 60_000 };

    private static SimOrderSpec Order(string customer, string sku = "MUG-1") => new()
    {
        Lines = [new SimLineSpec { SellerSku = sku, Quantity = 1, SalePrice = 9.5m, ProductName = "Ceramic mug" }],
        ShippingType = "SELLER",
        Address = new SimAddressSpec { Name = customer },
    };

    private static ILocator Row(IPage page, string text) =>
        page.Locator("#grid-body > tr:not(.lines-row)").Filter(new LocatorFilterOptions { HasText = text });

    private static ILocator Tab(IPage page, string label) =>
        page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { NameRegex = new Regex($"^{Regex.Escape(label)}\\b") });

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
    public async Task Cancelling_from_the_order_dialog_asks_for_a_reason_and_a_confirmation_then_cancels_on_tiktok_and_in_the_store()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-cancel");
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 10));
        var order = sandbox.TikTok.CreateOrder("ui-cancel", Order("Alice Martin"));
        await sandbox.FetchAndWaitAsync("ui-cancel");
        sandbox.EnableWebhooks();

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-cancel"));
        await Expect(Row(page, "Alice Martin")).ToBeVisibleAsync(Slow);
        await OpenAsync(page, "Alice Martin", order.Id);
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel order…" }).ClickAsync();
        var reason = dialog.GetByLabel("Reason", new LocatorGetByLabelOptions { Exact = true });
        await Expect(reason.Locator("option")).ToHaveTextAsync(["Out of stock", "Wrong price", "Address not deliverable", "Buyer asked to cancel"]);
        await reason.SelectOptionAsync("wrong_price");
        await Expect(dialog.Locator("#cancel-form")).ToContainTextAsync("This cannot be undone.");
        await session.ScreenshotAsync("order-cancel.png", alsoDocs: true, fullPage: false);
        Assert.Equal("AWAITING_SHIPMENT", sandbox.TikTok.GetOrder(order.Id).Status); // nothing before the confirmation

        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Confirm cancellation" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Status).Last).ToContainTextAsync("Cancellation sent to TikTok");
        await UntilAsync(() => store.Orders.Single().CancelledAt is not null, "the store order to be cancelled");
        Assert.Equal(("CANCELLED", "SELLER"), (sandbox.TikTok.GetOrder(order.Id).Status, sandbox.TikTok.GetOrder(order.Id).CancellationInitiator));
        Assert.Equal(10, store.InventoryOf("MUG-1"));
        await page.Keyboard.PressAsync("Escape");
        await OpenAsync(page, "Alice Martin", order.Id);
        await Expect(dialog.Locator(".detail-status .badge")).ToHaveTextAsync("Cancelled", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await Expect(dialog.Locator(".timeline")).ToContainTextAsync("Cancelled from the order page");
        await Expect(dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel order…" })).ToHaveCountAsync(0);
        session.AssertClean();
    }

    [Fact]
    public async Task A_buyer_cancellation_request_has_its_own_tab_and_is_rejected_or_approved_from_the_order_dialog()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-request");
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 10));
        var kept = sandbox.TikTok.CreateOrder("ui-request", Order("Bob Stone"));
        var dropped = sandbox.TikTok.CreateOrder("ui-request", Order("Carol Reed"));
        await sandbox.FetchAndWaitAsync("ui-request");
        sandbox.EnableWebhooks();
        var keptRequest = sandbox.TikTok.RequestBuyerCancellation(kept.Id, "ecom_order_to_ship_canceled_reason_created_by_mistakes");
        var droppedRequest = sandbox.TikTok.RequestBuyerCancellation(dropped.Id);
        await sandbox.SettleAsync();

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-request"));
        await Expect(Tab(page, "Cancellation requested").Locator(".count")).ToHaveTextAsync("2", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await Tab(page, "Cancellation requested").ClickAsync();
        await Expect(Row(page, "Bob Stone")).ToBeVisibleAsync(Slow);

        // Reject: one of TikTok's reasons, required.
        await OpenAsync(page, "Bob Stone", kept.Id);
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.Locator("#cancellation-request")).ToContainTextAsync("The buyer asked to cancel.");
        await Expect(dialog.Locator("#cancellation-request")).ToContainTextAsync("or TikTok approves it.");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Reject" }).ClickAsync();
        await Expect(dialog.Locator("#reject-reason-error")).ToHaveTextAsync("Choose one of TikTok\u2019s reasons to reject.");
        await dialog.GetByLabel("Reject reason").SelectOptionAsync("ecom_reverse_reject_cancel_reason_product_packed");
        await dialog.GetByLabel("Comment for the buyer (optional)").FillAsync("Already packed and labelled.");
        await session.ScreenshotAsync("order-cancellation-request.png", alsoDocs: true, fullPage: false);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Reject" }).ClickAsync();
        await UntilAsync(() => sandbox.TikTok.GetCancellation(keptRequest).Status == "CANCELLATION_REQUEST_CANCEL", "the rejection");
        await page.Keyboard.PressAsync("Escape");

        // Approve: TikTok cancels, the store order follows.
        await OpenAsync(page, "Carol Reed", dropped.Id);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve cancellation" }).ClickAsync();
        await UntilAsync(() => store.Orders.Count(o => o.CancelledAt is not null) == 1, "the store order to be cancelled");
        Assert.Equal("CANCELLATION_REQUEST_SUCCESS", sandbox.TikTok.GetCancellation(droppedRequest).Status);
        Assert.Equal(("AWAITING_SHIPMENT", "CANCELLED"), (sandbox.TikTok.GetOrder(kept.Id).Status, sandbox.TikTok.GetOrder(dropped.Id).Status));
        await page.Keyboard.PressAsync("Escape");
        await Expect(Tab(page, "Cancellation requested").Locator(".count")).ToHaveTextAsync("0", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        session.AssertClean();
    }

    [Fact]
    public async Task Selected_orders_of_the_awaiting_shipment_tab_are_cancelled_together_after_a_confirmation()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-bulk");
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 10));
        var first = sandbox.TikTok.CreateOrder("ui-bulk", Order("Dana Reed"));
        var second = sandbox.TikTok.CreateOrder("ui-bulk", Order("Eli Park"));
        var kept = sandbox.TikTok.CreateOrder("ui-bulk", Order("Fay Lin"));
        await sandbox.FetchAndWaitAsync("ui-bulk");
        sandbox.EnableWebhooks();

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-bulk"));
        await Tab(page, "Awaiting Shipment").ClickAsync();
        await Expect(Row(page, "Dana Reed")).ToBeVisibleAsync(Slow);
        await page.GetByLabel($"Select order {first.Id}").CheckAsync();
        await page.GetByLabel($"Select order {second.Id}").CheckAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cancel selected (2)…" }).ClickAsync();
        await page.Locator("#bulk-cancel-reason").SelectOptionAsync("out_of_stock");
        await Expect(page.Locator("#bulk-cancel-note")).ToContainTextAsync("Cancel 2 order(s) on TikTok Shop?");
        await session.ScreenshotAsync("orders-cancel-selected.png", alsoDocs: true, fullPage: false);
        await page.Locator("#bulk-cancel-confirm").ClickAsync();

        await UntilAsync(() => store.Orders.Count(o => o.CancelledAt is not null) == 2, "both store orders to be cancelled");
        Assert.Equal(["CANCELLED", "CANCELLED", "AWAITING_SHIPMENT"], new[] { first, second, kept }.Select(o => sandbox.TikTok.GetOrder(o.Id).Status));
        await Expect(Tab(page, "Cancelled").Locator(".count")).ToHaveTextAsync("2", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        session.AssertClean();
    }

    [Fact]
    public async Task A_return_request_shows_in_the_order_dialog_and_is_approved_there()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-return");
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 10));
        var order = sandbox.TikTok.CreateOrder("ui-return", Order("Gina Holt"));
        await sandbox.FetchAndWaitAsync("ui-return");
        sandbox.EnableWebhooks();
        sandbox.TikTok.AdvanceTo(order.Id, "DELIVERED");
        var returned = sandbox.TikTok.CreateReturn(order.Id, new SimReturnSpec { ReasonText = "Arrived broken" });
        await sandbox.SettleAsync();

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-return"));
        await Expect(Row(page, "Gina Holt")).ToBeVisibleAsync(Slow);
        await OpenAsync(page, "Gina Holt", order.Id);
        var dialog = page.GetByRole(AriaRole.Dialog);
        var box = dialog.Locator("#return-request");
        await Expect(box).ToContainTextAsync("Return request: Request pending.");
        await Expect(box).ToContainTextAsync("Reason: Arrived broken.");
        await Expect(box.Locator("#return-reject-reason option")).Not.ToHaveCountAsync(1);
        await session.ScreenshotAsync("order-return.png", alsoDocs: true, fullPage: false);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve return" }).ClickAsync();
        await UntilAsync(() => sandbox.TikTok.GetReturn(returned.ReturnId).Status == "AWAITING_BUYER_SHIP", "the approval");
        await Expect(box).ToContainTextAsync("Awaiting buyer shipment", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        session.AssertClean();
    }
}
