using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>
/// refundCreate as admin-2026-01.schema.graphql documents it (Mutation.refundCreate, RefundInput, RefundLineItemInput,
/// RefundLineItemRestockType, OrderTransactionInput) and the @idempotent rules of Shopify's changelogs (store-apis.md §2.4).
/// </summary>
public sealed class RefundCreateTests
{
    private const string Refund = """
        mutation Refund($input: RefundInput!, $key: String!) {
          refundCreate(input: $input) @idempotent(key: $key) {
            refund { id note totalRefundedSet { shopMoney { amount } } refundLineItems(first: 10) { nodes { quantity restockType restocked lineItem { id sku } } } }
            order { id displayFinancialStatus }
            userErrors { field message }
          }
        }
        """;

    private static async Task<(TestShop Shop, string OrderId, string LineId)> OrderAsync(int stock = 5, int quantity = 3, bool fulfil = true)
    {
        var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 10m, stock))[0];
        var payload = await shop.CreateOrderAsync(variant, quantity, "576-1", "DECREMENT_IGNORING_POLICY", extra: new
        {
            transactions = new[] { new { kind = "SALE", status = "SUCCESS", gateway = "TikTok Shop", amountSet = new { shopMoney = new { amount = "30.00", currencyCode = "USD" } } } },
        });
        var orderId = (string)payload["order"]!["id"]!;
        if (fulfil)
        {
            shop.Shop.FulfillAsMerchant(orderId, "1Z1", "UPS");
        }

        var lineId = (string)(await shop.DataAsync("query($id: ID!) { order(id: $id) { lineItems(first: 5) { nodes { id } } } }", new { id = orderId }))
            ["order"]!["lineItems"]!["nodes"]![0]!["id"]!;
        return (shop, orderId, lineId);
    }

    private static object Input(string orderId, string lineId, int quantity, string restockType, string? amount = null, bool overRefund = false, string key = "connector-refund-1") =>
        new { input = RefundInput(orderId, lineId, quantity, restockType, amount, overRefund), key };

    private static Dictionary<string, object?> RefundInput(string orderId, string lineId, int quantity, string restockType, string? amount = null, bool overRefund = false) =>
        new()
        {
            ["orderId"] = orderId,
            ["note"] = "TikTok return 1",
            ["refundLineItems"] = new[] { new { lineItemId = lineId, quantity, restockType } },
            ["transactions"] = amount is null ? Array.Empty<object>() : new object[] { new { orderId, kind = "REFUND", gateway = "TikTok Shop", amount } },
            ["allowOverRefunding"] = overRefund,
        };

    [Fact]
    public async Task A_refund_with_RETURN_restocks_the_units_and_records_the_amount()
    {
        var (shop, orderId, lineId) = await OrderAsync();
        await using var _ = shop;
        Assert.Equal(2, shop.Shop.InventoryOf("CAP-1"));

        var payload = (await shop.DataAsync(Refund, Input(orderId, lineId, 2, "RETURN", "20.00")))["refundCreate"]!;

        Assert.Empty(payload["userErrors"]!.AsArray());
        var line = payload["refund"]!["refundLineItems"]!["nodes"]![0]!;
        Assert.Equal(2, (int)line["quantity"]!);
        Assert.True((bool)line["restocked"]!);
        Assert.Equal("PARTIALLY_REFUNDED", (string?)payload["order"]!["displayFinancialStatus"]);
        Assert.Equal(4, shop.Shop.InventoryOf("CAP-1"));
        var read = await shop.DataAsync("query($id: ID!) { order(id: $id) { refunds(first: 5) { id note } lineItems(first: 1) { nodes { refundableQuantity } } } }", new { id = orderId });
        Assert.Equal("TikTok return 1", (string?)read["order"]!["refunds"]![0]!["note"]);
        Assert.Equal(1, (int)read["order"]!["lineItems"]!["nodes"]![0]!["refundableQuantity"]!);
    }

    [Fact]
    public async Task NO_RESTOCK_leaves_the_stock_alone()
    {
        var (shop, orderId, lineId) = await OrderAsync();
        await using var _ = shop;

        var payload = (await shop.DataAsync(Refund, Input(orderId, lineId, 1, "NO_RESTOCK")))["refundCreate"]!;

        Assert.Empty(payload["userErrors"]!.AsArray());
        Assert.Equal(2, shop.Shop.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task The_same_idempotency_key_answers_the_first_refund_again_and_makes_no_second()
    {
        // Changelog "Adding idempotency …": "Shopify will recognize it as a duplicate … It will return the result of the original operation".
        var (shop, orderId, lineId) = await OrderAsync();
        await using var _ = shop;

        var first = (await shop.DataAsync(Refund, Input(orderId, lineId, 2, "RETURN", "20.00")))["refundCreate"]!;
        var second = (await shop.DataAsync(Refund, Input(orderId, lineId, 2, "RETURN", "20.00")))["refundCreate"]!;

        Assert.Empty(second["userErrors"]!.AsArray());
        Assert.Equal((string?)first["refund"]!["id"], (string?)second["refund"]!["id"]);
        Assert.Equal(1, shop.Shop.RefundsCreated);
        Assert.Equal(4, shop.Shop.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task Without_an_idempotent_key_refundCreate_is_refused()
    {
        // The mutation's description: "As of 2026-04, the idempotency key is required"; the changelog: "an error at runtime".
        var (shop, orderId, lineId) = await OrderAsync();
        await using var _ = shop;
        const string noKey = """
            mutation Refund($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { field message } } }
            """;
        var (_, body) = await shop.PostAsync(noKey, new { input = RefundInput(orderId, lineId, 1, "RETURN") });

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("IDEMPOTENCY_KEY_REQUIRED", (string?)error["extensions"]!["code"]);
        Assert.Equal(0, shop.Shop.RefundsCreated);
    }

    [Fact]
    public async Task More_units_than_are_left_to_refund_are_refused()
    {
        // LineItem.refundableQuantity: what is left to refund.
        var (shop, orderId, lineId) = await OrderAsync();
        await using var _ = shop;

        var payload = (await shop.DataAsync(Refund, Input(orderId, lineId, 4, "RETURN")))["refundCreate"]!;

        var error = Assert.Single(payload["userErrors"]!.AsArray())!;
        Assert.Equal(new[] { "refundLineItems", "0", "quantity" }, error["field"]!.AsArray().Select(f => (string?)f));
        Assert.Null(payload["refund"]);
        Assert.Equal(2, shop.Shop.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task A_refund_of_more_money_than_was_paid_is_refused_unless_over_refunding_is_allowed()
    {
        // RefundInput.allowOverRefunding: "Whether to allow the total refunded amount to surpass the amount paid for the order".
        var (shop, orderId, lineId) = await OrderAsync();
        await using var _ = shop;

        var refused = (await shop.DataAsync(Refund, Input(orderId, lineId, 1, "RETURN", "31.00")))["refundCreate"]!;
        Assert.Equal("transactions", (string?)Assert.Single(refused["userErrors"]!.AsArray())!["field"]![0]);

        var allowed = (await shop.DataAsync(Refund, Input(orderId, lineId, 1, "RETURN", "31.00", overRefund: true)))["refundCreate"]!;
        Assert.Empty(allowed["userErrors"]!.AsArray());
    }

    [Theory]
    [InlineData("LEGACY_RESTOCK", true)]   // "This value is not accepted when creating new refunds."
    [InlineData("CANCEL", true)]           // CANCEL: "Use this when restocking unfulfilled line items" — these are fulfilled.
    [InlineData("RETURN", false)]
    public async Task The_restock_type_must_fit_the_units(string restockType, bool refused)
    {
        var (shop, orderId, lineId) = await OrderAsync();
        await using var _ = shop;

        var payload = (await shop.DataAsync(Refund, Input(orderId, lineId, 1, restockType)))["refundCreate"]!;

        Assert.Equal(refused ? 1 : 0, payload["userErrors"]!.AsArray().Count);
    }

    [Fact]
    public async Task RETURN_is_refused_for_units_not_fulfilled_and_CANCEL_takes_them_off_what_is_left_to_fulfil()
    {
        // RETURN: "Use this when restocking line items that were fulfilled".
        var (shop, orderId, lineId) = await OrderAsync(fulfil: false);
        await using var _ = shop;

        var returned = (await shop.DataAsync(Refund, Input(orderId, lineId, 1, "RETURN")))["refundCreate"]!;
        Assert.Single(returned["userErrors"]!.AsArray());

        var cancelled = (await shop.DataAsync(Refund, Input(orderId, lineId, 1, "CANCEL", key: "k2")))["refundCreate"]!;
        Assert.Empty(cancelled["userErrors"]!.AsArray());
        var read = await shop.DataAsync("query($id: ID!) { order(id: $id) { lineItems(first: 1) { nodes { unfulfilledQuantity refundableQuantity } } } }", new { id = orderId });
        Assert.Equal(2, (int)read["order"]!["lineItems"]!["nodes"]![0]!["unfulfilledQuantity"]!);
        Assert.Equal(3, shop.Shop.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task A_line_of_another_order_is_refused()
    {
        var (shop, orderId, _) = await OrderAsync();
        await using var __ = shop;

        var payload = (await shop.DataAsync(Refund, Input(orderId, "gid://shopify/LineItem/1", 1, "RETURN")))["refundCreate"]!;

        Assert.Equal("lineItemId", (string?)Assert.Single(payload["userErrors"]!.AsArray())!["field"]![2]);
    }
}
