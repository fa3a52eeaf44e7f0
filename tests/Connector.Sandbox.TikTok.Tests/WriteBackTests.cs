using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>
/// §6 write-back endpoints (§11 list): logistics look-ups, MarkPackageAsShipped, UpdatePackageShippingInfo, GetTracking,
/// CancelOrder.
/// </summary>
public sealed class WriteBackTests
{
    private const string ShopId = "7494049642642441621";

    private const string Usps = "7117858858072016686";
    private const string Ups = "7117859084333745966";

    private static async Task<(TikTokSimulator Sim, TikTokTestClient Client, SimShop Shop)> StartAsync(TimeProvider? time = null)
    {
        var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions { Seed = 11, TimeProvider = time ?? TimeProvider.System });
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
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "SELLER", Lines = [new SimLineSpec { SellerSku = "A", Quantity = 2 }] });

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

    /// <summary>
    /// fulfillment.json MarkPackageAsShipped ("for sellers who fulfill orders through their own selected/preferred logistics
    /// carrier"; order_line_item_ids "List of order line item IDs") and reference §6.1 "Rules to simulate": a TikTok-shipped
    /// order, a cancelled order, a line item already shipped (more units than are left) and a line item of another order are refused.
    /// </summary>
    [Fact]
    public async Task S6_1_mark_package_as_shipped_refuses_tiktok_shipping_cancelled_orders_and_units_not_left_to_ship()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var tiktokShipped = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "TIKTOK" });
        var cancelled = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "SELLER" });
        sim.Cancel(cancelled.Id);
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "SELLER", Lines = [new SimLineSpec { SellerSku = "A", Quantity = 2 }] });
        var other = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "SELLER" });
        var body = $$"""{"tracking_number":"1Z999AA10123456784","shipping_provider_id":"{{Usps}}"}""";
        string Lines(params string[] ids) =>
            $$"""{"tracking_number":"1Z999AA10123456785","shipping_provider_id":"{{Usps}}","order_line_item_ids":[{{string.Join(",", ids.Select(i => $"\"{i}\""))}}]}""";

        var platform = await Post(client, shop, $"/fulfillment/202309/orders/{tiktokShipped.Id}/packages", body);
        var gone = await Post(client, shop, $"/fulfillment/202309/orders/{cancelled.Id}/packages", body);
        var first = await Post(client, shop, $"/fulfillment/202309/orders/{order.Id}/packages", Lines(order.LineItems[0].Id));
        var again = await Post(client, shop, $"/fulfillment/202309/orders/{order.Id}/packages", Lines(order.LineItems[0].Id, order.LineItems[1].Id));
        var foreign = await Post(client, shop, $"/fulfillment/202309/orders/{order.Id}/packages", Lines(other.LineItems[0].Id));

        Assert.Equal((TikTokSimulator.StatusNotAllowedCode, "This API is only applicable to orders (or packages) shipped by the seller."), (platform.Code, platform.Message));
        Assert.Equal((TikTokSimulator.StatusNotAllowedCode, "The current order status does not support this operation."), (gone.Code, gone.Message));
        Assert.Equal(0, first.Code);
        Assert.Equal((36009004, "param body.order_line_item_ids is invalid"), (again.Code, again.Message));
        Assert.Equal((36009004, "param body.order_line_item_ids is invalid"), (foreign.Code, foreign.Message));
        Assert.Equal("AWAITING_SHIPMENT", sim.GetOrder(tiktokShipped.Id).Status);
        Assert.Equal("PARTIALLY_SHIPPING", sim.GetOrder(order.Id).Status);
        Assert.Null(sim.GetOrder(order.Id).LineItems[1].PackageId);
    }

    private static Task<ApiResponse> UpdateShippingInfo(TikTokTestClient client, SimShop shop, string packageId, string body) =>
        Post(client, shop, $"/fulfillment/202309/packages/{packageId}/shipping_info/update", body);

    [Fact]
    public async Task S6_1_update_package_shipping_info_corrects_exactly_that_packages_lines_and_matches_the_oas()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "SELLER", Lines = [new SimLineSpec { SellerSku = "A", Quantity = 3 }] });
        var first = await Post(client, shop, $"/fulfillment/202309/orders/{order.Id}/packages",
            $$"""{"tracking_number":"WRONG-1","shipping_provider_id":"{{Usps}}","order_line_item_ids":["{{order.LineItems[0].Id}}"]}""");
        var second = await Post(client, shop, $"/fulfillment/202309/orders/{order.Id}/packages", $$"""{"tracking_number":"T-2","shipping_provider_id":"{{Usps}}"}""");
        var firstPackage = first.Data.GetProperty("package_id").GetString()!;
        var secondPackage = second.Data.GetProperty("package_id").GetString()!;
        var shipped = sim.GetOrder(order.Id);

        // The first (older) package: its line changes, the other package's lines and the order-level fields do not.
        var fixFirst = await UpdateShippingInfo(client, shop, firstPackage, $$"""{"tracking_number":"1Z999AA10123456784","shipping_provider_id":"{{Ups}}"}""");
        var afterFirst = sim.GetOrder(order.Id);

        Assert.Equal((0, "Success"), (fixFirst.Code, fixFirst.Message));
        Assert.Equal(JsonValueKind.Object, fixFirst.Data.ValueKind);
        Assert.Empty(fixFirst.Data.EnumerateObject());
        Oas.AssertResponse("fulfillment.json", "/fulfillment/202309/packages/{package_id}/shipping_info/update", "post", fixFirst.Root);
        Assert.Equal(
            [("1Z999AA10123456784", Ups, "UPS"), ("T-2", Usps, "USPS"), ("T-2", Usps, "USPS")],
            afterFirst.LineItems.Select(l => (l.TrackingNumber, l.ShippingProviderId, l.ShippingProviderName)));
        Assert.Equal([firstPackage, secondPackage, secondPackage], afterFirst.LineItems.Select(l => l.PackageId));
        Assert.Equal(("T-2", "USPS", Usps), (afterFirst.TrackingNumber, afterFirst.ShippingProvider, afterFirst.ShippingProviderId));
        Assert.Equal(shipped.Status, afterFirst.Status);
        Assert.True(afterFirst.UpdateTime > shipped.UpdateTime);

        // The latest package: the order-level tracking fields follow.
        var fixSecond = await UpdateShippingInfo(client, shop, secondPackage, $$"""{"tracking_number":"9400100000000000000000","shipping_provider_id":"{{Ups}}"}""");
        var afterSecond = sim.GetOrder(order.Id);

        Assert.Equal(0, fixSecond.Code);
        Assert.Equal(["1Z999AA10123456784", "9400100000000000000000", "9400100000000000000000"], afterSecond.LineItems.Select(l => l.TrackingNumber));
        Assert.Equal(("9400100000000000000000", "UPS", Ups), (afterSecond.TrackingNumber, afterSecond.ShippingProvider, afterSecond.ShippingProviderId));
        Assert.Equal("AWAITING_COLLECTION", afterSecond.Status);
        Assert.True(afterSecond.UpdateTime > afterFirst.UpdateTime);

        // Order sync sees the correction; the call is recorded like any other.
        var detail = await client.DetailAsync(shop, [order.Id]);
        Oas.AssertResponse("order.json", "/order/202309/orders", "get", detail.Root);
        var json = detail.Data.GetProperty("orders")[0];
        Assert.Equal("9400100000000000000000", json.GetProperty("tracking_number").GetString());
        Assert.Equal("1Z999AA10123456784", json.GetProperty("line_items")[0].GetProperty("tracking_number").GetString());
        Assert.Equal("UPS", json.GetProperty("line_items")[0].GetProperty("shipping_provider_name").GetString());
        Assert.Equal(afterSecond.UpdateTime, json.GetProperty("update_time").GetInt64());
        var recorded = sim.Requests.Where(r => r.Path == $"/fulfillment/202309/packages/{firstPackage}/shipping_info/update").ToList();
        Assert.Equal(("POST", 200, 0), (recorded.Single().Method, recorded.Single().HttpStatus, recorded.Single().Code));
        Assert.Contains("1Z999AA10123456784", recorded.Single().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S6_1_update_package_shipping_info_rejects_another_shops_package_and_unknown_packages()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        sim.AddShop("7000714532876273420");
        var foreign = sim.CreateOrder("7000714532876273420", new SimOrderSpec { ShippingType = "SELLER", Status = "AWAITING_COLLECTION" });
        var body = $$"""{"tracking_number":"T1","shipping_provider_id":"{{Usps}}"}""";

        var other = await UpdateShippingInfo(client, shop, foreign.PackageIds[0], body);
        var unknown = await UpdateShippingInfo(client, shop, "1152921504606846976", body);

        Assert.Equal((21008111, "The order or package does not belong to the current seller."), (other.Code, other.Message));
        Assert.Equal(21008111, unknown.Code);
        Assert.Equal(foreign, sim.GetOrder(foreign.Id));
        Oas.AssertResponse("fulfillment.json", "/fulfillment/202309/packages/{package_id}/shipping_info/update", "post", other.Root);
    }

    [Fact]
    public async Task S6_1_update_package_shipping_info_is_refused_more_than_72_hours_after_shipping()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var (sim, client, shop) = await StartAsync(time);
        await using var running = sim;
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "SELLER" });
        var ship = await Post(client, shop, $"/fulfillment/202309/orders/{order.Id}/packages", $$"""{"tracking_number":"WRONG","shipping_provider_id":"{{Usps}}"}""");
        var packageId = ship.Data.GetProperty("package_id").GetString()!;
        Assert.Equal(1_700_000_000, sim.GetOrder(order.Id).LineItems[0].RtsTime);

        time.Advance(TimeSpan.FromHours(72));
        var atLimit = await UpdateShippingInfo(client, shop, packageId, $$"""{"tracking_number":"RIGHT","shipping_provider_id":"{{Usps}}"}""");
        time.Advance(TimeSpan.FromSeconds(1));
        var before = sim.GetOrder(order.Id);
        var late = await UpdateShippingInfo(client, shop, packageId, $$"""{"tracking_number":"LATE","shipping_provider_id":"{{Ups}}"}""");

        Assert.Equal(0, atLimit.Code);
        Assert.Equal(
            (TikTokSimulator.ShippingInfoUpdateWindowClosedCode, "Shipping information can only be updated within 72 hours after shipping."),
            (late.Code, late.Message));
        Assert.Equal(21011002, TikTokSimulator.ShippingInfoUpdateWindowClosedCode);
        Assert.Equal(before, sim.GetOrder(order.Id));
        Assert.Equal(("RIGHT", "RIGHT"), (before.TrackingNumber, before.LineItems[0].TrackingNumber));
        Oas.AssertResponse("fulfillment.json", "/fulfillment/202309/packages/{package_id}/shipping_info/update", "post", late.Root);
    }

    [Fact]
    public async Task S6_1_update_package_shipping_info_is_refused_for_tiktok_shipping_and_cancelled_orders()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var tiktokShipped = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "TIKTOK", Status = "AWAITING_COLLECTION" });
        var cancelled = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "SELLER", Status = "IN_TRANSIT" });
        sim.Cancel(cancelled.Id, "SYSTEM", "Package lost");
        var body = $$"""{"tracking_number":"T1","shipping_provider_id":"{{Usps}}"}""";

        var platform = await UpdateShippingInfo(client, shop, tiktokShipped.PackageIds[0], body);
        var gone = await UpdateShippingInfo(client, shop, cancelled.PackageIds[0], body);

        Assert.Equal(
            (TikTokSimulator.StatusNotAllowedCode, "This API is only applicable to orders (or packages) shipped by the seller."),
            (platform.Code, platform.Message));
        Assert.Equal((TikTokSimulator.StatusNotAllowedCode, "The current order status does not support this operation."), (gone.Code, gone.Message));
        Assert.Equal(tiktokShipped, sim.GetOrder(tiktokShipped.Id));
        Assert.Equal("TT Virtual express", sim.GetOrder(tiktokShipped.Id).LineItems[0].ShippingProviderName);
    }

    [Fact]
    public async Task S6_1_update_package_shipping_info_validates_the_body_with_36009004()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "SELLER", Status = "AWAITING_COLLECTION" });
        var packageId = order.PackageIds[0];

        var badProvider = await UpdateShippingInfo(client, shop, packageId, """{"tracking_number":"T1","shipping_provider_id":"1"}""");
        var noTracking = await UpdateShippingInfo(client, shop, packageId, $$"""{"shipping_provider_id":"{{Usps}}"}""");
        var noProvider = await UpdateShippingInfo(client, shop, packageId, """{"tracking_number":"T1"}""");
        var empty = await UpdateShippingInfo(client, shop, packageId, "{}");
        var notJson = await UpdateShippingInfo(client, shop, packageId, "[]");

        Assert.Equal((36009004, "param body.shipping_provider_id is invalid"), (badProvider.Code, badProvider.Message));
        Assert.Equal((36009004, "param body.tracking_number is missing"), (noTracking.Code, noTracking.Message));
        Assert.Equal((36009004, "param body.shipping_provider_id is missing"), (noProvider.Code, noProvider.Message));
        Assert.Equal((36009004, "param body.tracking_number is missing"), (empty.Code, empty.Message));
        Assert.Equal((36009004, "invalid param error"), (notJson.Code, notJson.Message));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badProvider.Status);
        Assert.Equal(order, sim.GetOrder(order.Id));
        Oas.AssertResponse("fulfillment.json", "/fulfillment/202309/packages/{package_id}/shipping_info/update", "post", badProvider.Root);
    }
}
