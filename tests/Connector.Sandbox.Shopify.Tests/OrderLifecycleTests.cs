namespace Connector.Sandbox.Shopify.Tests;

/// <summary>store-apis.md §2.6: orderCancel (restock, async job), orderClose, fulfillment orders and fulfillmentCreate.</summary>
public sealed class OrderLifecycleTests
{
    private const string Cancel = """
        mutation($id: ID!, $restock: Boolean!) {
          orderCancel(orderId: $id, reason: CUSTOMER, restock: $restock, notifyCustomer: false, staffNote: "TikTok cancelled") {
            job { id done }
            orderCancelUserErrors { field message code }
          }
        }
        """;

    [Fact]
    public async Task Cancel_with_restock_returns_stock_and_a_second_cancel_is_a_user_error()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];
        var orderId = (string)(await shop.CreateOrderAsync(variant, 2, "576-1", "DECREMENT_IGNORING_POLICY"))["order"]!["id"]!;
        Assert.Equal(3, shop.Shop.InventoryOf("CAP-1"));

        var first = (await shop.DataAsync(Cancel, new { id = orderId, restock = true }))["orderCancel"]!;
        var second = (await shop.DataAsync(Cancel, new { id = orderId, restock = true }))["orderCancel"]!;

        Assert.Empty(first["orderCancelUserErrors"]!.AsArray());
        Assert.False((bool)first["job"]!["done"]!);
        Assert.Equal(5, shop.Shop.InventoryOf("CAP-1"));
        var order = shop.Shop.FindOrder(orderId)!;
        Assert.NotNull(order.CancelledAt);
        Assert.Equal("CUSTOMER", order.CancelReason);
        Assert.Equal("TikTok cancelled", order.CancelStaffNote);

        Assert.Null(second["job"]);
        var error = Assert.Single(second["orderCancelUserErrors"]!.AsArray())!;
        Assert.Equal("INVALID", (string?)error["code"]);
        Assert.Equal(5, shop.Shop.InventoryOf("CAP-1"));

        var job = await shop.DataAsync("query($id: ID!) { job(id: $id) { done } }", new { id = (string)first["job"]!["id"]! });
        Assert.True((bool)job["job"]!["done"]!);
        var read = await shop.DataAsync("query($id: ID!) { order(id: $id) { cancelledAt cancelReason cancellation { staffNote } } }", new { id = orderId });
        Assert.Equal("CUSTOMER", (string?)read["order"]!["cancelReason"]);
        Assert.Equal("TikTok cancelled", (string?)read["order"]!["cancellation"]!["staffNote"]);
    }

    [Fact]
    public async Task Cancel_without_restock_keeps_the_stock_taken()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];
        var orderId = (string)(await shop.CreateOrderAsync(variant, 2, "576-1", "DECREMENT_IGNORING_POLICY"))["order"]!["id"]!;

        await shop.DataAsync(Cancel, new { id = orderId, restock = false });

        Assert.Equal(3, shop.Shop.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task Cancel_of_an_unknown_order_is_NOT_FOUND()
    {
        await using var shop = await TestShop.StartAsync();

        var payload = (await shop.DataAsync(Cancel, new { id = "gid://shopify/Order/1", restock = true }))["orderCancel"]!;

        Assert.Equal("NOT_FOUND", (string?)payload["orderCancelUserErrors"]![0]!["code"]);
    }

    [Fact]
    public async Task Close_marks_the_order_closed()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];
        var orderId = (string)(await shop.CreateOrderAsync(variant, 1, "576-1"))["order"]!["id"]!;

        var data = await shop.DataAsync(
            "mutation($id: ID!) { orderClose(input: { id: $id }) { order { id closed } userErrors { field message } } }",
            new { id = orderId });

        Assert.True((bool)data["orderClose"]!["order"]!["closed"]!);
        Assert.True(shop.Shop.FindOrder(orderId)!.Closed);
    }

    [Fact]
    public async Task Fulfillment_with_tracking_fulfils_the_fulfillment_order_lines()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];
        var orderId = (string)(await shop.CreateOrderAsync(variant, 3, "576-1"))["order"]!["id"]!;

        var read = await shop.DataAsync(
            """
            query($id: ID!) {
              order(id: $id) {
                fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 10) { nodes { id remainingQuantity } } } }
              }
            }
            """,
            new { id = orderId });
        var fulfillmentOrder = read["order"]!["fulfillmentOrders"]!["nodes"]![0]!;
        var line = fulfillmentOrder["lineItems"]!["nodes"]![0]!;
        Assert.Equal(3, (int)line["remainingQuantity"]!);

        const string Fulfil = """
            mutation($fulfillment: FulfillmentInput!) {
              fulfillmentCreate(fulfillment: $fulfillment) {
                fulfillment { id status trackingInfo(first: 5) { company number url } }
                userErrors { field message }
              }
            }
            """;
        var partial = await shop.DataAsync(Fulfil, new
        {
            fulfillment = new
            {
                lineItemsByFulfillmentOrder = new[]
                {
                    new { fulfillmentOrderId = (string)fulfillmentOrder["id"]!, fulfillmentOrderLineItems = new[] { new { id = (string)line["id"]!, quantity = 2 } } },
                },
                trackingInfo = new { company = "USPS", number = "9400100000000000000000", url = "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000" },
                notifyCustomer = false,
            },
        });
        var tooMany = await shop.DataAsync(Fulfil, new
        {
            fulfillment = new
            {
                lineItemsByFulfillmentOrder = new[]
                {
                    new { fulfillmentOrderId = (string)fulfillmentOrder["id"]!, fulfillmentOrderLineItems = new[] { new { id = (string)line["id"]!, quantity = 2 } } },
                },
            },
        });
        var rest = await shop.DataAsync(Fulfil, new
        {
            fulfillment = new { lineItemsByFulfillmentOrder = new[] { new { fulfillmentOrderId = (string)fulfillmentOrder["id"]! } } },
        });

        Assert.Empty(partial["fulfillmentCreate"]!["userErrors"]!.AsArray());
        Assert.Equal(
            """[{"company":"USPS","number":"9400100000000000000000","url":"https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000"}]""",
            partial["fulfillmentCreate"]!["fulfillment"]!["trackingInfo"]!.ToJsonString());
        Assert.Equal("Invalid fulfillment order line item quantity requested.", (string?)tooMany["fulfillmentCreate"]!["userErrors"]![0]!["message"]);
        Assert.Empty(rest["fulfillmentCreate"]!["userErrors"]!.AsArray());

        var order = shop.Shop.FindOrder(orderId)!;
        Assert.Equal("FULFILLED", order.FulfillmentStatus);
        Assert.Equal("CLOSED", Assert.Single(order.FulfillmentOrders).Status);
        Assert.Equal(new[] { 2, 1 }, order.Fulfillments.Select(f => f.LineItems.Sum(l => l.Quantity)));
        Assert.Equal(new[] { "#1001.1", "#1001.2" }, order.Fulfillments.Select(f => f.Name));
    }
}
