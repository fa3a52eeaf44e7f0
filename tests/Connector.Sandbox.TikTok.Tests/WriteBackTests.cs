using System.Text.Json;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>§6 write-back endpoints (§11 list): logistics look-ups, MarkPackageAsShipped, GetTracking, CancelOrder.</summary>
public sealed class WriteBackTests
{
    private const string ShopId = "7494049642642441621";

    private static async Task<(TikTokSimulator Sim, TikTokTestClient Client, SimShop Shop)> StartAsync()
    {
        var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions { Seed = 11 });
        var shop = sim.AddShop(ShopId);
        return (sim, new TikTokTestClient(TikTokTestClient.Http, sim), shop);
    }

    private static Task<ApiResponse> Get(TikTokTestClient client, SimShop shop, string path) =>
        client.SendAsync(new ApiCall { Path = path, Query = [new("shop_cipher", shop.Cipher)], AccessToken = shop.AccessToken });

    private static Task<ApiResponse> Post(TikTokTestClient client, SimShop shop, string path, string body) =>
        client.SendAsync(new ApiCall { Method = HttpMethod.Post, Path = path, Query = [new("shop_cipher", shop.Cipher)], Body = body, AccessToken = shop.AccessToken });

    [Fact]
    public async Task S6_1_provider_lookup_then_partial_and_full_MarkPackageAsShipped_move_the_order_and_match_the_oas()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "SELLER", Lines = [new SimLineSpec { SellerSku = "A", Quantity = 3 }] });

        var warehouses = await Get(client, shop, "/logistics/202309/warehouses");
        var warehouseId = warehouses.Data.GetProperty("warehouses")[0].GetProperty("id").GetString();
        var options = await Get(client, shop, $"/logistics/202309/warehouses/{warehouseId}/delivery_options");
        var optionId = options.Data.GetProperty("delivery_options")[0].GetProperty("id").GetString();
        var providers = await Get(client, shop, $"/logistics/202309/delivery_options/{optionId}/shipping_providers");
        var usps = providers.Data.GetProperty("shipping_providers").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "USPS");
        var providerId = usps.GetProperty("id").GetString();
        Assert.Equal("7117858858072016686", providerId);

        var first = order.LineItems[0].Id;
        var partial = await Post(client, shop, $"/fulfillment/202309/orders/{order.Id}/packages",
            $$"""{"tracking_number":"1Z999AA10123456784","shipping_provider_id":"{{providerId}}","order_line_item_ids":["{{first}}"]}""");
        var afterPartial = sim.GetOrder(order.Id);
        var rest = await Post(client, shop, $"/fulfillment/202309/orders/{order.Id}/packages",
            $$"""{"tracking_number":"1Z999AA10123456785","shipping_provider_id":"{{providerId}}"}""");
        var afterAll = sim.GetOrder(order.Id);
        var tracking = await Get(client, shop, $"/fulfillment/202309/orders/{order.Id}/tracking");

        Assert.Equal(0, partial.Code);
        Assert.Equal([first], partial.Data.GetProperty("order_line_item_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("PARTIALLY_SHIPPING", afterPartial.Status);
        Assert.Equal(0, rest.Code);
        Assert.Equal("AWAITING_COLLECTION", afterAll.Status);
        Assert.Equal(2, afterAll.PackageIds.Count);
        Assert.Equal(rest.Data.GetProperty("package_id").GetString(), afterAll.PackageIds[1]);
        Assert.Equal("1Z999AA10123456784", afterAll.LineItems[0].TrackingNumber);
        Assert.All(afterAll.LineItems, l => Assert.Equal(("USPS", "PROCESSING"), (l.ShippingProviderName, l.PackageStatus)));
        Assert.True(afterAll.UpdateTime > afterPartial.UpdateTime && afterPartial.UpdateTime > order.UpdateTime);
        Assert.Equal(0, tracking.Code);
        Assert.Equal(JsonValueKind.Number, tracking.Data.GetProperty("tracking")[0].GetProperty("update_time_millis").ValueKind);

        Oas.AssertResponse("logistics.json", "/logistics/202309/warehouses", "get", warehouses.Root);
        Oas.AssertResponse("logistics.json", "/logistics/202309/warehouses/{warehouse_id}/delivery_options", "get", options.Root);
        Oas.AssertResponse("logistics.json", "/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers", "get", providers.Root);
        Oas.AssertResponse("fulfillment.json", "/fulfillment/202309/orders/{order_id}/packages", "post", partial.Root);
        Oas.AssertResponse("fulfillment.json", "/fulfillment/202309/orders/{order_id}/tracking", "get", tracking.Root);
    }

    [Fact]
    public async Task S6_1_shipping_is_rejected_on_hold_for_unknown_providers_and_for_other_shops_orders()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        sim.AddShop("7000714532876273420");
        var onHold = sim.CreateOrder(ShopId, new SimOrderSpec { Status = "ON_HOLD" });
        var ready = sim.CreateOrder(ShopId, new SimOrderSpec());
        var foreign = sim.CreateOrder("7000714532876273420", new SimOrderSpec());
        const string Body = """{"tracking_number":"T1","shipping_provider_id":"7117858858072016686"}""";

        var held = await Post(client, shop, $"/fulfillment/202309/orders/{onHold.Id}/packages", Body);
        var badProvider = await Post(client, shop, $"/fulfillment/202309/orders/{ready.Id}/packages", """{"tracking_number":"T1","shipping_provider_id":"1"}""");
        var noTracking = await Post(client, shop, $"/fulfillment/202309/orders/{ready.Id}/packages", """{"shipping_provider_id":"7117858858072016686"}""");
        var other = await Post(client, shop, $"/fulfillment/202309/orders/{foreign.Id}/packages", Body);

        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, held.Code);
        Assert.Equal(36009004, badProvider.Code);
        Assert.Equal((36009004, "param body.tracking_number is missing"), (noTracking.Code, noTracking.Message));
        Assert.Equal(21008111, other.Code);
        Assert.Equal("AWAITING_SHIPMENT", sim.GetOrder(ready.Id).Status);
    }

    [Fact]
    public async Task S6_2_cancel_order_checks_the_reason_against_the_status_and_cancels_as_seller()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var paid = sim.CreateOrder(ShopId, new SimOrderSpec());
        var shipped = sim.CreateOrder(ShopId, new SimOrderSpec { Status = "IN_TRANSIT" });

        var wrongReason = await Post(client, shop, "/return_refund/202309/cancellations", $$"""{"order_id":"{{paid.Id}}","cancel_reason":"seller_cancel_unpaid_reason_out_of_stock"}""");
        var cancelled = await Post(client, shop, "/return_refund/202309/cancellations", $$"""{"order_id":"{{paid.Id}}","cancel_reason":"seller_cancel_reason_out_of_stock"}""");
        var tooLate = await Post(client, shop, "/return_refund/202309/cancellations", $$"""{"order_id":"{{shipped.Id}}","cancel_reason":"seller_cancel_reason_out_of_stock"}""");
        var order = sim.GetOrder(paid.Id);

        Assert.Equal((25001021, "Reason not match order status"), (wrongReason.Code, wrongReason.Message));
        Assert.Equal(0, cancelled.Code);
        Assert.Equal("CANCELLATION_REQUEST_SUCCESS", cancelled.Data.GetProperty("cancel_status").GetString());
        Assert.Equal(("CANCELLED", "SELLER", "Out of stock"), (order.Status, order.CancellationInitiator, order.CancelReason));
        Assert.Equal(25001021, tooLate.Code);
        Oas.AssertResponse("return_refund.json", "/return_refund/202309/cancellations", "post", cancelled.Root);

        var detail = await client.DetailAsync(shop, [paid.Id]);
        Oas.AssertResponse("order.json", "/order/202309/orders", "get", detail.Root);
        Assert.Equal("SELLER", detail.Data.GetProperty("orders")[0].GetProperty("cancellation_initiator").GetString());
    }

    [Fact]
    public async Task S6_2_cancelling_some_line_items_leaves_the_order_open_with_those_lines_cancelled()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "A", Quantity = 2 }] });

        var response = await Post(client, shop, "/return_refund/202309/cancellations",
            $$"""{"order_id":"{{order.Id}}","cancel_reason":"seller_cancel_reason_out_of_stock_uk","order_line_item_ids":["{{order.LineItems[0].Id}}"]}""");
        var after = sim.GetOrder(order.Id);

        Assert.Equal(0, response.Code);
        Assert.Equal("AWAITING_SHIPMENT", after.Status);
        Assert.Equal(["CANCELLED", "AWAITING_SHIPMENT"], after.LineItems.Select(l => l.DisplayStatus));

        // Shipping the remaining line completes the shipment.
        var ship = await Post(client, shop, $"/fulfillment/202309/orders/{order.Id}/packages", """{"tracking_number":"T9","shipping_provider_id":"7117858858072016686"}""");
        Assert.Equal(0, ship.Code);
        Assert.Equal("AWAITING_COLLECTION", sim.GetOrder(order.Id).Status);
        Assert.Equal(["CANCELLED", "AWAITING_COLLECTION"], sim.GetOrder(order.Id).LineItems.Select(l => l.DisplayStatus));
    }
}
