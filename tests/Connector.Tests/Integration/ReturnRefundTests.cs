using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Issue 13 item 3: a refund TikTok completes reaches the store once — Shopify refundCreate (restock from the shop's
/// restockOnRefund), PrestaShop's Refunded state with the stock back, Etsy's listing stock back — whether TikTok's webhook,
/// the fetch run or a redelivered message reports it, and a store that refuses it shows why and gets it again.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ReturnRefundTests(ITestOutputHelper output)
{
    private Task<TestSandbox> StartAsync() => TestSandbox.StartAsync(new SandboxOptions { Output = output });

    private static async Task<HttpStatusCode> PostAsync(TestSandbox sandbox, string path, object body)
    {
        using var response = await sandbox.Api.PostAsJsonAsync(path, body);
        return response.StatusCode;
    }

    private static bool Timeline(JsonElement view, string text) =>
        view.GetProperty("activity").EnumerateArray().Any(a => a.GetProperty("message").GetString()!.Contains(text, StringComparison.Ordinal));

    /// <summary>Delivered order → the buyer's return → approved → shipped back → received: TikTok refunds it (SUCCESS).</summary>
    private static async Task<SimReturn> ReturnedAndRefundedAsync(TestSandbox sandbox, string shopId, string orderId)
    {
        sandbox.TikTok.AdvanceTo(orderId, "DELIVERED");
        var returned = sandbox.TikTok.CreateReturn(orderId, new SimReturnSpec());
        await sandbox.SettleAsync();
        var approve = $"/api/orders/{orderId}/return/approve?shopId={shopId}";
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(sandbox, approve, new { returnId = returned.ReturnId }));
        await sandbox.SettleAsync();
        sandbox.TikTok.ShipReturn(returned.ReturnId, "RET1", "UPS");
        await sandbox.SettleAsync();
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(sandbox, approve, new { returnId = returned.ReturnId }));
        await sandbox.SettleAsync();
        Assert.Equal("RETURN_OR_REFUND_REQUEST_SUCCESS", sandbox.TikTok.GetReturn(returned.ReturnId).Status);
        return returned;
    }

    /// <summary>The refund message delivered again, as Service Bus does after a lost completion.</summary>
    private static async Task RedeliverAsync(TestSandbox sandbox, string shopId, string orderId, string returnId)
    {
        var payload = JsonSerializer.Serialize(new
        {
            Data = new { msg = JsonSerializer.Serialize(JsonSerializer.Serialize(new { kind = "refund", shopId, orderId, returnId })) },
            Metadata = new Dictionary<string, object>
            {
                ["MessageId"] = JsonSerializer.Serialize($"refund-again-{returnId}"),
                ["DeliveryCount"] = "2",
                ["LockToken"] = JsonSerializer.Serialize(Guid.NewGuid().ToString()),
                ["sys"] = new { MethodName = "ProcessOrderMessage" },
            },
        });
        using var response = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage", payload);
        Assert.True(response.IsSuccessStatusCode, $"redelivery answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task A_completed_refund_is_one_Shopify_refund_with_the_units_restocked_whoever_reports_it()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("rfshop");
        store.AddProduct("Mug", ("MUG-1", 9m, 10));
        var order = sandbox.TikTok.CreateOrder("rfshop", TestOrders.Spec(("MUG-1", 2, 9m)));
        await sandbox.FetchAndWaitAsync("rfshop");
        sandbox.EnableWebhooks();
        Assert.Equal(8, store.InventoryOf("MUG-1"));

        var returned = await ReturnedAndRefundedAsync(sandbox, "rfshop", order.Id);

        // The webhook of SUCCESS, then COMPLETE's, then a fetch run, then a redelivery: still one refund.
        sandbox.TikTok.CompleteRefund(returned.ReturnId);
        await sandbox.SettleAsync();
        await sandbox.FetchAndWaitAsync("rfshop");
        await RedeliverAsync(sandbox, "rfshop", order.Id, returned.ReturnId);
        await sandbox.SettleAsync();

        var storeOrder = Assert.Single(store.Orders);
        var refund = Assert.Single(storeOrder.Refunds);
        Assert.Equal(2, refund.Lines.Sum(l => l.Quantity));
        Assert.All(refund.Lines, l => Assert.True(l.Restocked));
        Assert.Equal(10, store.InventoryOf("MUG-1"));
        var view = await sandbox.GetOrderAsync("rfshop", order.Id);
        Assert.Equal(decimal.Parse(view.GetProperty("return").GetProperty("refundTotal").GetString()!, System.Globalization.CultureInfo.InvariantCulture), refund.Amount);
        Assert.True(Timeline(view, $"Shopify refunded for TikTok return {returned.ReturnId}"));
        Assert.True(Timeline(view, "Buyer shipped the item"));
        Assert.True(Timeline(view, "Completed"));
    }

    [Fact]
    public async Task With_restock_on_refund_off_Shopify_refunds_without_restocking()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("rfnostock", new { restockOnRefund = false });
        store.AddProduct("Mug", ("MUG-1", 9m, 10));
        var order = sandbox.TikTok.CreateOrder("rfnostock", TestOrders.Spec(("MUG-1", 2, 9m)));
        await sandbox.FetchAndWaitAsync("rfnostock");
        sandbox.EnableWebhooks();

        await ReturnedAndRefundedAsync(sandbox, "rfnostock", order.Id);

        var refund = Assert.Single(Assert.Single(store.Orders).Refunds);
        Assert.All(refund.Lines, l => Assert.Equal("NO_RESTOCK", l.RestockType));
        Assert.Equal(8, store.InventoryOf("MUG-1"));
    }

    [Fact]
    public async Task A_refund_the_store_refuses_shows_on_the_order_and_is_tried_again_until_it_goes_through()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("rfrefuse");
        store.AddProduct("Mug", ("MUG-1", 9m, 10));
        var order = sandbox.TikTok.CreateOrder("rfrefuse", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("rfrefuse");
        sandbox.EnableWebhooks();
        store.FailNextRefundCreate("Refunds are paused on this store");

        var returned = await ReturnedAndRefundedAsync(sandbox, "rfrefuse", order.Id);
        await TestWait.UntilAsync(() => Assert.Single(store.Orders).Refunds.Count == 1, TimeSpan.FromSeconds(20));
        await sandbox.SettleAsync();

        var view = await sandbox.GetOrderAsync("rfrefuse", order.Id);
        Assert.True(Timeline(view, $"Refund of TikTok return {returned.ReturnId} not recorded in Shopify: Shopify refused to refund the order: Refunds are paused on this store"));
        Assert.True(Timeline(view, $"Shopify refunded for TikTok return {returned.ReturnId}"));
        Assert.Single(Assert.Single(store.Orders).Refunds);
    }

    [Fact]
    public async Task A_refund_moves_the_PrestaShop_order_to_Refunded_once_with_the_stock_back()
    {
        await using var sandbox = await StartAsync();
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("rfps");
        shop.AddProduct("CAP-1", priceTaxExcl: 10m, quantity: 10);
        var order = sandbox.TikTok.CreateOrder("rfps", TestOrders.Spec(("CAP-1", 2, 12m)));
        await sandbox.FetchAndWaitAsync("rfps");
        sandbox.EnableWebhooks();
        Assert.Equal(8, shop.StockOf("CAP-1"));

        var returned = await ReturnedAndRefundedAsync(sandbox, "rfps", order.Id);
        sandbox.TikTok.CompleteRefund(returned.ReturnId);
        await sandbox.SettleAsync();
        await RedeliverAsync(sandbox, "rfps", order.Id, returned.ReturnId);
        await sandbox.SettleAsync();

        var psOrder = Assert.Single(shop.Orders);
        Assert.Equal(7, psOrder.CurrentState); // PS_OS_REFUND on a fresh install
        Assert.Single(psOrder.OrderHistories, h => h.OrderStateId == 7);
        Assert.Equal(10, shop.StockOf("CAP-1"));
        Assert.True(Timeline(await sandbox.GetOrderAsync("rfps", order.Id), "PrestaShop refunded for TikTok return"));
    }

    [Fact]
    public async Task A_refund_puts_the_returned_units_back_on_the_Etsy_listing_once()
    {
        await using var sandbox = await StartAsync();
        var (_, etsy) = await sandbox.ConnectEtsyAsync("rfetsy");
        etsy.AddListing("Mug", ("MUG-1", 12m, 10, null));
        var order = sandbox.TikTok.CreateOrder("rfetsy", TestOrders.Spec(("MUG-1", 2, 12m)));
        await sandbox.FetchAndWaitAsync("rfetsy");
        sandbox.EnableWebhooks();
        Assert.Equal(8, etsy.InventoryOf("MUG-1"));

        var returned = await ReturnedAndRefundedAsync(sandbox, "rfetsy", order.Id);
        await sandbox.FetchAndWaitAsync("rfetsy");
        await RedeliverAsync(sandbox, "rfetsy", order.Id, returned.ReturnId);
        await sandbox.SettleAsync();

        Assert.Equal(10, etsy.InventoryOf("MUG-1"));
        Assert.True(Timeline(await sandbox.GetOrderAsync("rfetsy", order.Id), "Etsy refunded for TikTok return"));
    }

    [Fact]
    public async Task A_refund_whose_webhook_was_lost_reaches_the_store_with_the_next_fetch()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("rflost");
        store.AddProduct("Mug", ("MUG-1", 9m, 10));
        var order = sandbox.TikTok.CreateOrder("rflost", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("rflost");
        sandbox.EnableWebhooks();
        sandbox.TikTok.AdvanceTo(order.Id, "DELIVERED");
        var returned = sandbox.TikTok.CreateReturn(order.Id, new SimReturnSpec { ReturnType = "REFUND" });
        await sandbox.SettleAsync();

        sandbox.TikTok.SetWebhookUrl(null);
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(sandbox, $"/api/orders/{order.Id}/return/approve?shopId=rflost", new { returnId = returned.ReturnId }));
        await sandbox.SettleAsync();
        await sandbox.FetchAndWaitAsync("rflost");

        var refund = Assert.Single(Assert.Single(store.Orders).Refunds);
        Assert.All(refund.Lines, l => Assert.Equal("NO_RESTOCK", l.RestockType)); // a refund-only request brings nothing back
        Assert.Equal(9, store.InventoryOf("MUG-1"));
    }
}
