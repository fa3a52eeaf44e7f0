using System.Text.Json;
using Connector.Sandbox.PrestaShop;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Store → TikTok (design §1): what the merchant does to an imported order in Shopify reaches TikTok
/// (reference/tiktok-shop-api.md §6.1 MarkPackageAsShipped, §6.2 CancelOrder), once, and Connector's own store updates never echo back.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StoreToTikTokTests(ITestOutputHelper output)
{
    private const string Tracking = "1Z999AA10123456784";

    private Task<TestSandbox> StartAsync() => TestSandbox.StartAsync(new SandboxOptions { Output = output });

    private static int PackageCalls(TestSandbox sandbox, string orderId) =>
        sandbox.TikTok.Requests.Count(r => r.Method == "POST" && r.Path == $"/fulfillment/202309/orders/{orderId}/packages" && r.Code == 0);

    private static int CancelCalls(TestSandbox sandbox) =>
        sandbox.TikTok.Requests.Count(r => r.Method == "POST" && r.Path == "/return_refund/202309/cancellations");

    [Fact]
    public async Task A_shipment_recorded_in_shopify_reaches_tiktok_with_its_tracking_once()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("wbship");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("wbship", TestOrders.Spec(("MUG-1", 2, 9m)));
        await sandbox.FetchAndWaitAsync("wbship");

        store.FulfillAsMerchant(Assert.Single(store.Orders).Id, Tracking, "USPS");
        await sandbox.FetchAndWaitAsync("wbship");
        await sandbox.FetchAndWaitAsync("wbship");

        var shipped = sandbox.TikTok.GetOrder(order.Id);
        Assert.Equal("AWAITING_COLLECTION", shipped.Status);
        Assert.All(shipped.LineItems, l => Assert.Equal((Tracking, "USPS"), (l.TrackingNumber, l.ShippingProviderName)));
        Assert.Equal(1, PackageCalls(sandbox, order.Id));
        var view = await sandbox.GetOrderAsync("wbship", order.Id);
        Assert.False(view.TryGetProperty("writeBackIssue", out _));
        Assert.Equal(Tracking, Assert.Single(view.GetProperty("shipmentsSentToTikTok").EnumerateArray()).GetProperty("trackingNumber").GetString());
        Assert.Contains(view.GetProperty("activity").EnumerateArray(),
            a => a.GetProperty("message").GetString()!.Contains($"tracking {Tracking} (USPS) sent to TikTok for 2 of 2 unit(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shipping_part_of_an_order_in_shopify_ships_those_units_on_tiktok_and_the_rest_follows()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("wbpart");
        store.AddProduct("Mug", ("MUG-1", 9m, 50), ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("wbpart", TestOrders.Spec(("MUG-1", 2, 9m), ("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("wbpart");
        var storeOrder = Assert.Single(store.Orders).Id;

        store.FulfillAsMerchant(storeOrder, "PART-1", "UPS", new Dictionary<string, int> { ["MUG-1"] = 1 });
        await sandbox.FetchAndWaitAsync("wbpart");

        var partly = sandbox.TikTok.GetOrder(order.Id);
        Assert.Equal("PARTIALLY_SHIPPING", partly.Status);
        var first = Assert.Single(partly.LineItems, l => l.TrackingNumber == "PART-1");
        Assert.Equal(("MUG-1", "UPS"), (first.SellerSku, first.ShippingProviderName));

        // "FedEx Ground" is not TikTok's name, but only one provider fits it.
        store.FulfillAsMerchant(storeOrder, "PART-2", "FedEx Ground");
        await sandbox.FetchAndWaitAsync("wbpart");

        var all = sandbox.TikTok.GetOrder(order.Id);
        Assert.Equal("AWAITING_COLLECTION", all.Status);
        Assert.Equal(["CAP-1", "MUG-1"], all.LineItems.Where(l => l.TrackingNumber == "PART-2").Select(l => l.SellerSku).Order());
        Assert.Equal(2, PackageCalls(sandbox, order.Id));
    }

    [Fact]
    public async Task A_carrier_tiktok_does_not_know_is_shown_on_the_order_and_nothing_is_sent()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("wbcarrier");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("wbcarrier", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("wbcarrier");

        store.FulfillAsMerchant(Assert.Single(store.Orders).Id, "RM123456785GB", "Royal Mail");
        await sandbox.FetchAndWaitAsync("wbcarrier");

        Assert.Equal("AWAITING_SHIPMENT", sandbox.TikTok.GetOrder(order.Id).Status);
        Assert.Equal(0, PackageCalls(sandbox, order.Id));
        var issue = (await sandbox.GetOrderAsync("wbcarrier", order.Id)).GetProperty("writeBackIssue").GetString();
        Assert.Contains("carrier 'Royal Mail', which is not one of TikTok's shipping providers", issue, StringComparison.Ordinal);
        Assert.Contains("USPS", issue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_cancelled_in_shopify_is_cancelled_on_tiktok_once_and_not_cancelled_back()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("wbcancel");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("wbcancel", TestOrders.Spec(("MUG-1", 2, 9m)));
        await sandbox.FetchAndWaitAsync("wbcancel");
        sandbox.EnableWebhooks();

        store.CancelAsMerchant(Assert.Single(store.Orders).Id, "INVENTORY");
        await sandbox.FetchAndWaitAsync("wbcancel");
        await sandbox.SettleAsync();
        await sandbox.FetchAndWaitAsync("wbcancel");

        var cancelled = sandbox.TikTok.GetOrder(order.Id);
        Assert.Equal(("CANCELLED", "SELLER", "Out of stock"), (cancelled.Status, cancelled.CancellationInitiator, cancelled.CancelReason));
        var request = Assert.Single(sandbox.TikTok.Requests, r => r.Path == "/return_refund/202309/cancellations");
        Assert.Equal("seller_cancel_reason_out_of_stock", JsonDocument.Parse(request.Body).RootElement.GetProperty("cancel_reason").GetString());
        Assert.Equal(50, store.InventoryOf("MUG-1")); // restocked once, by the merchant's cancel
        var view = await sandbox.GetOrderAsync("wbcancel", order.Id);
        Assert.Equal("CANCELLED", view.GetProperty("status").GetString());
        Assert.DoesNotContain(view.GetProperty("activity").EnumerateArray(),
            a => a.GetProperty("message").GetString()!.Contains("cancelled in Shopify (stock returned)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connectors_own_store_updates_from_tiktok_are_not_sent_back_to_tiktok()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("wbecho");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var cancelledOnTikTok = sandbox.TikTok.CreateOrder("wbecho", TestOrders.Spec(("MUG-1", 1, 9m)));
        var shippedByTikTok = sandbox.TikTok.CreateOrder("wbecho", TestOrders.Spec(("MUG-1", 1, 9m)) with { ShippingType = "TIKTOK" });
        await sandbox.FetchAndWaitAsync("wbecho");
        sandbox.EnableWebhooks();

        sandbox.TikTok.Cancel(cancelledOnTikTok.Id, "BUYER", "No longer needed");
        sandbox.TikTok.AdvanceTo(shippedByTikTok.Id, "IN_TRANSIT");
        await sandbox.SettleAsync();
        await sandbox.FetchAndWaitAsync("wbecho");
        await sandbox.FetchAndWaitAsync("wbecho");

        Assert.Equal(2, store.Orders.Count);
        Assert.Single(store.Orders, o => o.CancelledAt is not null);
        Assert.Single(store.Orders, o => o.Fulfillments.Count == 1);
        Assert.Equal(0, CancelCalls(sandbox));
        Assert.Equal(0, PackageCalls(sandbox, shippedByTikTok.Id));
        Assert.False((await sandbox.GetOrderAsync("wbecho", shippedByTikTok.Id)).TryGetProperty("writeBackIssue", out _));
        Assert.False((await sandbox.GetOrderAsync("wbecho", cancelledOnTikTok.Id)).TryGetProperty("writeBackIssue", out _));
    }

    [Fact]
    public async Task A_prestashop_shipment_and_cancellation_in_the_back_office_reach_tiktok()
    {
        await using var sandbox = await StartAsync();
        var options = new PrestaShopShopOptions { Carriers = [new(1, "Click and collect"), new(2, "My carrier"), new(3, "UPS")] };
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("wbps", options, settings: new { cancelReason = "wrong_price" });
        shop.AddProduct("CAP-1", priceTaxExcl: 10m, quantity: 20);
        var toShip = sandbox.TikTok.CreateOrder("wbps", TestOrders.Spec(("CAP-1", 2, 12m)));
        var toCancel = sandbox.TikTok.CreateOrder("wbps", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("wbps");
        async Task<long> StoreIdAsync(string orderId) => long.Parse(
            (await sandbox.GetOrderAsync("wbps", orderId)).GetProperty("storeOrderId").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        shop.ShipOrder(await StoreIdAsync(toShip.Id), Tracking, carrierId: 3);
        shop.CancelOrder(await StoreIdAsync(toCancel.Id));
        await sandbox.FetchAndWaitAsync("wbps");

        var shipped = sandbox.TikTok.GetOrder(toShip.Id);
        Assert.Equal("AWAITING_COLLECTION", shipped.Status);
        Assert.All(shipped.LineItems, l => Assert.Equal((Tracking, "UPS"), (l.TrackingNumber, l.ShippingProviderName)));
        var cancelled = sandbox.TikTok.GetOrder(toCancel.Id);
        Assert.Equal(("CANCELLED", "Pricing error"), (cancelled.Status, cancelled.CancelReason)); // PrestaShop gives no reason: the shop's choice
        Assert.Equal(1, PackageCalls(sandbox, toShip.Id));
        Assert.Equal(1, CancelCalls(sandbox));
    }

    [Fact]
    public async Task A_tracking_number_corrected_in_the_store_is_corrected_on_tiktok_once()
    {
        await using var sandbox = await StartAsync();
        var options = new PrestaShopShopOptions { Carriers = [new(1, "Click and collect"), new(2, "My carrier"), new(3, "UPS")] };
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("wbfix", options);
        shop.AddProduct("CAP-1", priceTaxExcl: 10m, quantity: 20);
        var order = sandbox.TikTok.CreateOrder("wbfix", TestOrders.Spec(("CAP-1", 2, 12m)));
        await sandbox.FetchAndWaitAsync("wbfix");
        var storeId = long.Parse((await sandbox.GetOrderAsync("wbfix", order.Id)).GetProperty("storeOrderId").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        shop.ShipOrder(storeId, "1Z999AA10123456700", carrierId: 3);
        await sandbox.FetchAndWaitAsync("wbfix");

        // A typo fixed in the back office's shipping details: same shipment, new number.
        shop.SetShippingDetails(storeId, Tracking);
        await sandbox.FetchAndWaitAsync("wbfix");
        await sandbox.FetchAndWaitAsync("wbfix");

        var shipped = sandbox.TikTok.GetOrder(order.Id);
        Assert.All(shipped.LineItems, l => Assert.Equal((Tracking, "UPS"), (l.TrackingNumber, l.ShippingProviderName)));
        Assert.Equal(1, PackageCalls(sandbox, order.Id));
        var update = Assert.Single(sandbox.TikTok.Requests, r => r.Path.EndsWith("/shipping_info/update", StringComparison.Ordinal));
        Assert.Equal($"/fulfillment/202309/packages/{shipped.LineItems[0].PackageId}/shipping_info/update", update.Path);
        var view = await sandbox.GetOrderAsync("wbfix", order.Id);
        Assert.Equal(Tracking, Assert.Single(view.GetProperty("shipmentsSentToTikTok").EnumerateArray()).GetProperty("trackingNumber").GetString());
        Assert.Contains(view.GetProperty("activity").EnumerateArray(),
            a => a.GetProperty("message").GetString()!.Contains($"1Z999AA10123456700 → {Tracking} (UPS) sent to TikTok", StringComparison.Ordinal));
    }
}
