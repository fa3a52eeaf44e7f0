using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Shipping from the order page (issue 13 item 4): carrier, tracking and units reach TikTok once through MarkPackageAsShipped
/// (reference/tiktok-shop-api.md §6.1), whether the merchant presses twice, the message is delivered again, or a store shipment
/// of the same units races it; the order moves on as TikTok answers and the timeline shows the package.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ShipFromPageTests(ITestOutputHelper output)
{
    private Task<TestSandbox> StartAsync() => TestSandbox.StartAsync(new SandboxOptions { Output = output });

    private static int PackageCalls(TestSandbox sandbox, string orderId) =>
        sandbox.TikTok.Requests.Count(r => r.Method == "POST" && r.Path == $"/fulfillment/202309/orders/{orderId}/packages" && r.Code == 0);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ShipAsync(
        TestSandbox sandbox, string shopId, string orderId, string? providerId, string tracking, params (string Sku, int Quantity)[] lines)
    {
        using var response = await sandbox.Api.PostAsJsonAsync($"/api/orders/{orderId}/ship?shopId={shopId}", new
        {
            shippingProviderId = providerId,
            trackingNumber = tracking,
            lines = lines.Select(l => new { sellerSku = l.Sku, quantity = l.Quantity }),
        });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<JsonElement> OptionsAsync(TestSandbox sandbox, string shopId, string orderId)
    {
        using var response = await sandbox.Api.GetAsync($"/api/orders/{orderId}/ship-options?shopId={shopId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string Provider(JsonElement options, string name) =>
        options.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;

    private static int Remaining(JsonElement options, string sku) =>
        options.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("sellerSku").GetString() == sku).GetProperty("remaining").GetInt32();

    private static bool Timeline(JsonElement view, string text) =>
        view.GetProperty("activity").EnumerateArray().Any(a => a.GetProperty("message").GetString()!.Contains(text, StringComparison.Ordinal));

    private static string? Field(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Single().Name : null;

    [Fact]
    public async Task Shipping_every_unit_from_the_page_ships_them_on_tiktok_once_and_the_order_awaits_collection()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("shipall");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("shipall", TestOrders.Spec(("MUG-1", 2, 9m)));
        await sandbox.FetchAndWaitAsync("shipall");

        var options = await OptionsAsync(sandbox, "shipall", order.Id);
        Assert.False(options.TryGetProperty("refusal", out _));
        Assert.Contains("USPS", options.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(2, Remaining(options, "MUG-1"));
        var usps = Provider(options, "USPS");

        var (status, started) = await ShipAsync(sandbox, "shipall", order.Id, usps, "1Z999AA10123456784", ("MUG-1", 2));
        Assert.Equal((HttpStatusCode.Accepted, "queued"), (status, started.GetProperty("status").GetString()));
        // Pressed again at once: the same package, one shipment.
        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(sandbox, "shipall", order.Id, usps, "1Z999AA10123456784", ("MUG-1", 2))).Status);
        await sandbox.SettleAsync();

        var shipped = sandbox.TikTok.GetOrder(order.Id);
        Assert.Equal("AWAITING_COLLECTION", shipped.Status);
        Assert.All(shipped.LineItems, l => Assert.Equal(("1Z999AA10123456784", "USPS"), (l.TrackingNumber, l.ShippingProviderName)));
        Assert.Equal(1, PackageCalls(sandbox, order.Id));
        var view = await sandbox.GetOrderAsync("shipall", order.Id);
        Assert.Equal("AWAITING_COLLECTION", view.GetProperty("status").GetString());
        Assert.True(Timeline(view, "Shipped from the order page: tracking 1Z999AA10123456784 (USPS) sent to TikTok for 2 of 2 unit(s): 2 × MUG-1."));
        Assert.Equal(2, Assert.Single(view.GetProperty("shipmentsSentToTikTok").EnumerateArray()).GetProperty("units").GetInt32());

        // A press after it went: 202 "sent", nothing sent again; the shipped order offers nothing more to ship.
        var (again, answer) = await ShipAsync(sandbox, "shipall", order.Id, usps, "1Z999AA10123456784", ("MUG-1", 2));
        Assert.Equal((HttpStatusCode.Accepted, "sent"), (again, answer.GetProperty("status").GetString()));
        await sandbox.SettleAsync();
        Assert.Equal(1, PackageCalls(sandbox, order.Id));
        Assert.Contains("every unit is shipped already", (await OptionsAsync(sandbox, "shipall", order.Id)).GetProperty("refusal").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shipping_part_of_an_order_offers_only_the_units_left_and_refuses_a_package_larger_than_them()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("shippart");
        store.AddProduct("Mug", ("MUG-1", 9m, 50), ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("shippart", TestOrders.Spec(("MUG-1", 2, 9m), ("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("shippart");
        var ups = Provider(await OptionsAsync(sandbox, "shippart", order.Id), "UPS");

        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(sandbox, "shippart", order.Id, ups, "PART-0001", ("MUG-1", 1))).Status);
        await sandbox.SettleAsync();

        Assert.Equal("PARTIALLY_SHIPPING", sandbox.TikTok.GetOrder(order.Id).Status);
        var view = await sandbox.GetOrderAsync("shippart", order.Id);
        Assert.Equal("PARTIALLY_SHIPPING", view.GetProperty("status").GetString());
        Assert.True(Timeline(view, "tracking PART-0001 (UPS) sent to TikTok for 1 of 3 unit(s): 1 × MUG-1."));
        var options = await OptionsAsync(sandbox, "shippart", order.Id);
        Assert.Equal((1, 1), (Remaining(options, "MUG-1"), Remaining(options, "CAP-1")));

        var (tooMany, problem) = await ShipAsync(sandbox, "shippart", order.Id, ups, "PART-0002", ("CAP-1", 1), ("MUG-1", 2));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
        Assert.Equal("lines[1].quantity", Field(problem));
        Assert.Contains("Only 1 unit(s) of SKU MUG-1 are left to ship", problem.GetProperty("errors").GetProperty("lines[1].quantity")[0].GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(sandbox, "shippart", order.Id, ups, "PART-0002", ("CAP-1", 1), ("MUG-1", 1))).Status);
        await sandbox.SettleAsync();
        var all = sandbox.TikTok.GetOrder(order.Id);
        Assert.Equal("AWAITING_COLLECTION", all.Status);
        Assert.Equal(["CAP-1", "MUG-1"], all.LineItems.Where(l => l.TrackingNumber == "PART-0002").Select(l => l.SellerSku).Order());
        Assert.Equal(2, PackageCalls(sandbox, order.Id));
    }

    [Fact]
    public async Task A_store_shipment_racing_a_page_shipment_of_the_same_units_ships_them_once()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("shiprace");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("shiprace", TestOrders.Spec(("MUG-1", 2, 9m)));
        await sandbox.FetchAndWaitAsync("shiprace");
        var usps = Provider(await OptionsAsync(sandbox, "shiprace", order.Id), "USPS");

        // The merchant ships in Shopify and, not seeing it yet, on the page too: both reach Connector at once.
        store.FulfillAsMerchant(Assert.Single(store.Orders).Id, "9400111899223334445566", "USPS");
        var page = ShipAsync(sandbox, "shiprace", order.Id, usps, "9400111899223334449999", ("MUG-1", 2));
        using var fetch = await sandbox.FetchAsync("shiprace");
        Assert.Equal(HttpStatusCode.Accepted, (await page).Status);
        await sandbox.SettleAsync();
        await sandbox.FetchAndWaitAsync("shiprace");

        Assert.Equal(1, PackageCalls(sandbox, order.Id));
        var shipped = sandbox.TikTok.GetOrder(order.Id);
        Assert.Equal("AWAITING_COLLECTION", shipped.Status);
        Assert.Single(shipped.LineItems.Select(l => l.TrackingNumber).Distinct());
    }

    [Fact]
    public async Task An_etsy_order_is_shipped_from_the_page()
    {
        await using var sandbox = await StartAsync();
        var (_, etsy) = await sandbox.ConnectEtsyAsync("shipetsy");
        etsy.AddListing("Tee", ("TEE-M", 19.99m, 5, [("Size", "M")]));
        var order = sandbox.TikTok.CreateOrder("shipetsy", TestOrders.Spec(("TEE-M", 2, 19.99m)));
        await sandbox.FetchAndWaitAsync("shipetsy");
        var fedex = Provider(await OptionsAsync(sandbox, "shipetsy", order.Id), "FedEx");

        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(sandbox, "shipetsy", order.Id, fedex, "794612345678", ("TEE-M", 2))).Status);
        await sandbox.SettleAsync();

        Assert.Equal("AWAITING_COLLECTION", sandbox.TikTok.GetOrder(order.Id).Status);
        var view = await sandbox.GetOrderAsync("shipetsy", order.Id);
        Assert.Equal("AWAITING_COLLECTION", view.GetProperty("status").GetString());
        Assert.True(Timeline(view, "Shipped from the order page: tracking 794612345678 (FedEx) sent to TikTok for 2 of 2 unit(s): 2 × TEE-M."));
        Assert.Equal(3, etsy.InventoryOf("TEE-M")); // shipping takes no more stock
    }

    [Fact]
    public async Task A_tiktok_shipped_order_is_refused_with_a_plain_reason_and_nothing_is_sent()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("shiptts");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("shiptts", TestOrders.Spec(("MUG-1", 1, 9m)) with { ShippingType = "TIKTOK" });
        await sandbox.FetchAndWaitAsync("shiptts");

        var options = await OptionsAsync(sandbox, "shiptts", order.Id);
        Assert.Contains("TikTok ships this order", options.GetProperty("refusal").GetString(), StringComparison.Ordinal);
        Assert.Empty(options.GetProperty("providers").EnumerateArray());
        var (status, problem) = await ShipAsync(sandbox, "shiptts", order.Id, "7117858858072016686", "1Z999AA10123456784", ("MUG-1", 1));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("TikTok ships this order", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await sandbox.SettleAsync();
        Assert.Equal(0, PackageCalls(sandbox, order.Id));
    }

    [Fact]
    public async Task A_cancelled_order_and_a_shipped_order_are_refused_with_a_plain_reason()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("shipstate");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var cancelled = sandbox.TikTok.CreateOrder("shipstate", TestOrders.Spec(("MUG-1", 1, 9m)));
        var inTransit = sandbox.TikTok.CreateOrder("shipstate", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("shipstate");
        sandbox.EnableWebhooks();
        sandbox.TikTok.Cancel(cancelled.Id);
        sandbox.TikTok.AdvanceTo(inTransit.Id, "IN_TRANSIT");
        await sandbox.SettleAsync();

        var (status, problem) = await ShipAsync(sandbox, "shipstate", cancelled.Id, "7117858858072016686", "1Z999AA10123456784", ("MUG-1", 1));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("the order is cancelled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        (status, problem) = await ShipAsync(sandbox, "shipstate", inTransit.Id, "7117858858072016686", "1Z999AA10123456784", ("MUG-1", 1));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("In Transit: every unit is shipped already", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await sandbox.SettleAsync();
        Assert.Equal(0, PackageCalls(sandbox, cancelled.Id) + PackageCalls(sandbox, inTransit.Id));
    }

    [Fact]
    public async Task An_order_cancelled_on_tiktok_after_the_press_is_not_shipped_and_the_order_says_why()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("shiplate");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("shiplate", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("shiplate");
        var usps = Provider(await OptionsAsync(sandbox, "shiplate", order.Id), "USPS");

        // TikTok cancels it and Connector has not heard yet (no webhook): the row still says Awaiting Shipment, TikTok decides.
        sandbox.TikTok.Cancel(order.Id);
        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(sandbox, "shiplate", order.Id, usps, "1Z999AA10123456784", ("MUG-1", 1))).Status);
        await sandbox.SettleAsync();

        Assert.Equal(0, PackageCalls(sandbox, order.Id));
        var view = await sandbox.GetOrderAsync("shiplate", order.Id);
        Assert.Contains("Shipment not done: the order is cancelled", view.GetProperty("actionIssue").GetString(), StringComparison.Ordinal);
        Assert.True(Timeline(view, "Shipment 1Z999AA10123456784 of order"));
    }

    [Theory]
    [InlineData("1Z 999", "trackingNumber")]
    [InlineData("1Z9", "trackingNumber")]
    [InlineData("123456789012345678901234567890123456789012345678901", "trackingNumber")]
    [InlineData("1Z999AA1;DROP", "trackingNumber")]
    public async Task A_tracking_number_that_is_not_a_carriers_is_a_400_naming_the_field(string tracking, string field)
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("shiptrack");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("shiptrack", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("shiptrack");

        var (status, problem) = await ShipAsync(sandbox, "shiptrack", order.Id, "7117858858072016686", tracking, ("MUG-1", 1));
        Assert.Equal((HttpStatusCode.BadRequest, field), (status, Field(problem)));
        await sandbox.SettleAsync();
        Assert.Equal(0, PackageCalls(sandbox, order.Id));
    }

    [Fact]
    public async Task A_carrier_sku_or_quantity_the_order_does_not_have_is_a_400_naming_the_field()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("shipfields");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("shipfields", TestOrders.Spec(("MUG-1", 2, 9m)));
        await sandbox.FetchAndWaitAsync("shipfields");
        const string Usps = "7117858858072016686";

        var cases = new (string? Provider, (string, int)[] Lines, string Field)[]
        {
            ("7117858858072016000", [("MUG-1", 1)], "shippingProviderId"), // not one of the shop's TikTok providers
            ("USPS", [("MUG-1", 1)], "shippingProviderId"),
            (null, [("MUG-1", 1)], "shippingProviderId"),
            (Usps, [], "lines"),
            (Usps, [("MUG-1", 0)], "lines[0].quantity"),
            (Usps, [("MUG-1", 3)], "lines[0].quantity"),
            (Usps, [("CAP-9", 1)], "lines[0].quantity"), // not on the order: nothing of it left to ship
            (Usps, [("MUG-1", 1), ("MUG-1", 1)], "lines[1].sellerSku"),
            (Usps, [(new string('S', 51), 1)], "lines[0].sellerSku"),
        };
        foreach (var (provider, lines, field) in cases)
        {
            var (status, problem) = await ShipAsync(sandbox, "shipfields", order.Id, provider, "1Z999AA10123456784", lines);
            Assert.True((HttpStatusCode.BadRequest, field) == (status, Field(problem)), $"{provider} {string.Join(",", lines)}: {status} {problem}");
        }

        await sandbox.SettleAsync();
        Assert.Equal(0, PackageCalls(sandbox, order.Id));
        Assert.Equal("AWAITING_SHIPMENT", sandbox.TikTok.GetOrder(order.Id).Status);
    }

    [Fact]
    public async Task A_package_shipped_from_the_page_is_fulfilled_in_shopify_with_its_tracking_and_not_sent_back_to_tiktok()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("shipstore");
        store.AddProduct("Mug", ("MUG-1", 9m, 50), ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("shipstore", TestOrders.Spec(("MUG-1", 2, 9m), ("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("shipstore");
        var usps = Provider(await OptionsAsync(sandbox, "shipstore", order.Id), "USPS");

        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(sandbox, "shipstore", order.Id, usps, "9400111899220000000001", ("MUG-1", 1))).Status);
        await sandbox.SettleAsync();
        var first = Assert.Single(Assert.Single(store.Orders).Fulfillments);
        Assert.Equal(("USPS", "9400111899220000000001"), (first.TrackingInfo[0].Company, first.TrackingInfo[0].Number));
        Assert.Equal(1, first.LineItems.Sum(l => l.Quantity));

        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(sandbox, "shipstore", order.Id, usps, "9400111899220000000002", ("MUG-1", 1), ("CAP-1", 1))).Status);
        await sandbox.SettleAsync();
        // The store scan sees Connector's own fulfilments: TikTok has them already, nothing is sent again.
        await sandbox.FetchAndWaitAsync("shipstore");
        await sandbox.FetchAndWaitAsync("shipstore");

        var fulfillments = Assert.Single(store.Orders).Fulfillments;
        Assert.Equal(2, fulfillments.Count);
        Assert.Equal("9400111899220000000002", fulfillments[1].TrackingInfo[0].Number);
        Assert.Equal(3, fulfillments.Sum(f => f.LineItems.Sum(l => l.Quantity)));
        Assert.Equal(2, PackageCalls(sandbox, order.Id));
        var view = await sandbox.GetOrderAsync("shipstore", order.Id);
        Assert.Equal("AWAITING_COLLECTION", view.GetProperty("status").GetString());
        Assert.False(view.TryGetProperty("writeBackIssue", out _));
    }

    [Fact]
    public async Task A_prestashop_order_shipped_from_the_page_gets_the_tracking_number_and_the_shipped_state()
    {
        await using var sandbox = await StartAsync();
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("shipps");
        shop.AddProduct("CAP-1", priceTaxExcl: 10m, quantity: 10);
        var order = sandbox.TikTok.CreateOrder("shipps", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("shipps");
        var ups = Provider(await OptionsAsync(sandbox, "shipps", order.Id), "UPS");

        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(sandbox, "shipps", order.Id, ups, "1Z999AA10123456784", ("CAP-1", 1))).Status);
        await sandbox.SettleAsync();
        await sandbox.FetchAndWaitAsync("shipps");

        var stored = Assert.Single(shop.Orders);
        Assert.Equal("1Z999AA10123456784", Assert.Single(stored.Carriers).TrackingNumber);
        Assert.Equal(shop.OrderStateIds["PS_OS_SHIPPING"], stored.CurrentState);
        Assert.Equal(1, PackageCalls(sandbox, order.Id));
        Assert.Equal("AWAITING_COLLECTION", (await sandbox.GetOrderAsync("shipps", order.Id)).GetProperty("status").GetString());
    }
}
