using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Connector.Sandbox.PrestaShop;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.Stores.Tests;

/// <summary>
/// What a connector reads to learn what the merchant did: orders changed in a date_upd interval (§1.2, <c>date=1</c>),
/// the gift message validateOrder copies from the cart, the order carrier's tracking number and the carrier (§1.6), the
/// state history (§1.7), dates in the shop's PS_TIMEZONE; and the merchant's back-office actions that change them.
/// </summary>
public sealed class PrestaShopChangesTests
{
    private static readonly DateTimeOffset Start = new(2024, 7, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_date_upd_interval_needs_date_1_includes_both_bounds_and_sorts_the_oldest_change_first()
    {
        var time = new FakeTimeProvider(Start);
        await using var ps = await PsTestShop.StartAsync(time: time);
        var product = ps.Shop.AddProduct("CAP-1", 10m, 50);
        var first = await ps.PlaceOrderAsync(product, 1);
        time.Advance(TimeSpan.FromMinutes(1));
        var second = await ps.PlaceOrderAsync(product, 1);
        time.Advance(TimeSpan.FromMinutes(1));
        var third = await ps.PlaceOrderAsync(product, 1);
        time.Advance(TimeSpan.FromMinutes(1));
        ps.Shop.SetOrderState(first, "PS_OS_PREPARATION");

        var withoutDate = await ps.GetAsync("orders?filter[date_upd]=[2024-07-01%2012:00:00,2024-07-01%2012:03:00]");
        var interval = await ps.GetAsync("orders?filter[date_upd]=[2024-07-01%2012:01:00,2024-07-01%2012:03:00]&date=1&display=[id,date_upd]&sort=[date_upd_ASC,id_ASC]", json: true);
        var page = await ps.GetAsync("orders?filter[date_upd]=[2024-07-01%2012:01:00,2024-07-01%2012:03:00]&date=1&display=[id]&sort=[date_upd_ASC,id_ASC]&limit=1,1", json: true);
        var sortWithoutDate = await ps.GetAsync("orders?sort=[date_upd_ASC]");

        Assert.Equal(HttpStatusCode.BadRequest, withoutDate.Status);
        Assert.Equal(32, withoutDate.Errors.Single().Code); // date fields are no filters without date=1
        Assert.Equal(HttpStatusCode.BadRequest, sortWithoutDate.Status);
        Assert.Equal(38, sortWithoutDate.Errors.Single().Code);
        Assert.Equal([second, third, first], Ids(interval.Json, "orders"));
        Assert.Equal("2024-07-01 12:03:00", (string)interval.Json["orders"]![2]!["date_upd"]!);
        Assert.Equal([third], Ids(page.Json, "orders"));
    }

    [Fact]
    public async Task Orders_changed_in_the_same_second_are_paged_by_id_with_a_greater_than_filter()
    {
        var time = new FakeTimeProvider(Start);
        await using var ps = await PsTestShop.StartAsync(time: time);
        var product = ps.Shop.AddProduct("CAP-1", 10m, 50);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await ps.PlaceOrderAsync(product, 1));
        }

        var after = await ps.GetAsync($"orders?filter[date_upd]=[2024-07-01%2012:00:00,2024-07-01%2012:00:00]&filter[id]=%3E[{ids[0]}]&date=1&sort=[id_ASC]&display=[id]", json: true);

        Assert.Equal(ids.Skip(1), Ids(after.Json, "orders"));
    }

    [Fact]
    public async Task Dates_are_stored_and_filtered_in_the_shops_PS_TIMEZONE()
    {
        var time = new FakeTimeProvider(Start);
        await using var ps = await PsTestShop.StartAsync(new PrestaShopShopOptions { TimeZone = "America/New_York" }, time);
        var product = ps.Shop.AddProduct("CAP-1", 10m, 50);
        var id = await ps.PlaceOrderAsync(product, 1);

        var zone = await ps.GetAsync("configurations?filter[name]=[PS_TIMEZONE]&display=[name,value]", json: true);
        var order = await ps.GetAsync($"orders/{id}?display=[id,date_add,date_upd]", json: true);
        var local = await ps.GetAsync("orders?filter[date_upd]=[2024-07-01%2008:00:00,2024-07-01%2008:00:00]&date=1", json: true);
        var utc = await ps.GetAsync("orders?filter[date_upd]=[2024-07-01%2012:00:00,2024-07-01%2012:00:00]&date=1", json: true);

        Assert.Equal("America/New_York", (string)zone.Json["configurations"]![0]!["value"]!);
        Assert.Equal("2024-07-01 08:00:00", (string)order.Json["order"]!["date_add"]!); // EDT, UTC-4
        Assert.Equal("2024-07-01 08:00:00", (string)order.Json["order"]!["date_upd"]!);
        Assert.Equal([id], Ids(local.Json, "orders"));
        Assert.Equal("[]", utc.Body);
        Assert.Equal(Start, ps.Shop.Orders.Single().DateUpd);
    }

    [Fact]
    public async Task ValidateOrder_copies_the_carts_gift_message_and_a_prefix_filter_finds_only_marked_orders()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", 10m, 50);
        var marked = await ps.PlaceOrderAsync(product, 1, "TikTok Shop order 5770001");
        await ps.PlaceOrderAsync(product, 1);
        var storefront = ps.Shop.PlaceStorefrontOrder("shopper@example.com", ("CAP-1", 2));

        var found = await ps.GetAsync("orders?filter[gift_message]=[TikTok%20Shop%20order%20]%25&display=[id,gift_message]", json: true);

        var hit = Assert.Single(found.Json["orders"]!.AsArray());
        Assert.Equal(marked, (long)hit!["id"]!);
        Assert.Equal("TikTok Shop order 5770001", (string)hit["gift_message"]!);
        Assert.Equal("TikTok Shop order 5770001", ps.Shop.Orders.Single(o => o.Id == marked).GiftMessage);
        var placed = ps.Shop.Orders.Single(o => o.Id == storefront);
        Assert.Equal(string.Empty, placed.GiftMessage);
        Assert.Equal(2, Assert.Single(placed.Rows).Quantity);
        Assert.Equal(placed.TotalPaid, placed.TotalPaidReal);
        Assert.Equal(46, ps.Shop.StockOf("CAP-1"));
    }

    [Fact]
    public async Task Merchant_shipping_details_put_the_tracking_number_on_the_order_carrier_and_move_the_orders_date_upd()
    {
        var time = new FakeTimeProvider(Start);
        await using var ps = await PsTestShop.StartAsync(time: time);
        var product = ps.Shop.AddProduct("CAP-1", 10m, 50);
        var id = await ps.PlaceOrderAsync(product, 2, "TikTok Shop order 1");
        time.Advance(TimeSpan.FromMinutes(5));

        ps.Shop.SetShippingDetails(id, "1Z999AA10123456784", carrierId: 1);
        time.Advance(TimeSpan.FromMinutes(1));
        ps.Shop.SetOrderState(id, "PS_OS_SHIPPING");

        var carriers = await ps.GetAsync($"order_carriers?filter[id_order]=[{id}]&display=[id,id_carrier,tracking_number]&sort=[id_DESC]", json: true);
        var order = await ps.GetAsync($"orders/{id}", json: true);
        var carrier = await ps.GetAsync("carriers/1?display=[id,name]", json: true);

        var row = Assert.Single(carriers.Json["order_carriers"]!.AsArray())!;
        Assert.Equal("1Z999AA10123456784", (string)row["tracking_number"]!);
        Assert.Equal("1", (string)row["id_carrier"]!);
        Assert.Equal("Click and collect", (string)carrier.Json["carrier"]!["name"]!);
        var o = order.Json["order"]!;
        Assert.Equal("1Z999AA10123456784", (string)o["shipping_number"]!);
        Assert.Equal("1", (string)o["id_carrier"]!);
        Assert.Equal(ps.Shop.OrderStateIds["PS_OS_SHIPPING"].ToString(CultureInfo.InvariantCulture), (string)o["current_state"]!);
        Assert.Equal("2024-07-01 12:06:00", (string)o["date_upd"]!);
        var line = Assert.Single(o["associations"]!["order_rows"]!.AsArray())!;
        Assert.Equal("CAP-1", (string)line["product_reference"]!);
        Assert.Equal("2", (string)line["product_quantity"]!);
        Assert.Equal(["in_transit", "shipped"], ps.Shop.Emails.Where(e => e.OrderId == id).Select(e => e.Template).Where(t => t is "in_transit" or "shipped"));
        Assert.Equal("1Z999AA10123456784", Assert.Single(ps.Shop.Orders.Single().Carriers).TrackingNumber);
        Assert.Throws<ArgumentException>(() => ps.Shop.SetShippingDetails(id, "<script>"));
    }

    [Fact]
    public async Task Merchant_cancel_is_an_order_history_row_readable_with_its_date_and_gives_the_stock_back()
    {
        var time = new FakeTimeProvider(Start);
        await using var ps = await PsTestShop.StartAsync(time: time);
        var product = ps.Shop.AddProduct("CAP-1", 10m, 50);
        var id = await ps.PlaceOrderAsync(product, 3);
        Assert.Equal(47, ps.Shop.StockOf("CAP-1"));
        time.Advance(TimeSpan.FromMinutes(10));

        ps.Shop.CancelOrder(id);

        var canceled = ps.Shop.OrderStateIds["PS_OS_CANCELED"];
        var history = await ps.GetAsync($"order_histories?filter[id_order]=[{id}]&filter[id_order_state]=[{canceled}]&display=[id,id_employee,date_add]&sort=[id_DESC]&limit=1", json: true);
        var entry = Assert.Single(history.Json["order_histories"]!.AsArray())!;
        Assert.Equal("2024-07-01 12:10:00", (string)entry["date_add"]!);
        Assert.Equal("1", (string)entry["id_employee"]!);
        Assert.Equal(canceled, ps.Shop.Orders.Single().CurrentState);
        Assert.Equal(50, ps.Shop.StockOf("CAP-1"));
        Assert.Contains(ps.Shop.Emails, e => e.OrderId == id && e.Template == "order_canceled");
    }

    private static List<long> Ids(JsonNode json, string plural) => [.. json[plural]!.AsArray().Select(n => (long)n!["id"]!)];
}
