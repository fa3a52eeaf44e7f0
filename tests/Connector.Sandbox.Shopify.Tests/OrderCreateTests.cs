using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>store-apis.md §2.2 (orderCreate input and rules) and §2.4 (finding an order by its source identifier).</summary>
public sealed class OrderCreateTests
{
    [Fact]
    public async Task Order_created_with_DECREMENT_IGNORING_POLICY_takes_stock()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];

        var payload = await shop.CreateOrderAsync(variant, 2, "576000000000000001", "DECREMENT_IGNORING_POLICY");

        Assert.Empty(payload["userErrors"]!.AsArray());
        Assert.Equal("#1001", (string?)payload["order"]!["name"]);
        Assert.Equal(3, shop.Shop.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task Order_created_with_DECREMENT_IGNORING_POLICY_may_take_stock_below_zero()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 1))[0];

        var payload = await shop.CreateOrderAsync(variant, 3, "576-1", "DECREMENT_IGNORING_POLICY");

        Assert.Empty(payload["userErrors"]!.AsArray());
        Assert.Equal(-2, shop.Shop.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task Order_created_with_BYPASS_or_no_options_leaves_stock_untouched()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];

        await shop.CreateOrderAsync(variant, 2, "576-1", "BYPASS");
        await shop.CreateOrderAsync(variant, 2, "576-2");

        Assert.Equal(5, shop.Shop.InventoryOf("CAP-1"));
        Assert.All(shop.Shop.Orders, o => Assert.Equal("BYPASS", o.InventoryBehaviour));
    }

    [Fact]
    public async Task DECREMENT_OBEYING_POLICY_with_short_stock_fails_with_INVENTORY_CLAIM_FAILED()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 1))[0];

        var payload = await shop.CreateOrderAsync(variant, 2, "576-1", "DECREMENT_OBEYING_POLICY");

        Assert.Null(payload["order"]);
        Assert.Equal("INVENTORY_CLAIM_FAILED", (string?)payload["userErrors"]![0]!["code"]);
        Assert.Empty(shop.Shop.Orders);
        Assert.Equal(1, shop.Shop.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task Created_order_is_found_by_source_identifier_and_stores_what_was_sent()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];
        await shop.CreateOrderAsync(variant, 1, "576-other");
        var created = await shop.CreateOrderAsync(variant, 2, "576-wanted", extra: new
        {
            tags = new[] { "TikTok", "TTS-576-wanted" },
            financialStatus = "PAID",
            customAttributes = new[] { new { key = "tiktok_order_id", value = "576-wanted" } },
            metafields = new[] { new { @namespace = "tts", key = "order_id", type = "id", value = "576-wanted" } },
            shippingLines = new[] { new { title = "Shipped by TTS platform", priceSet = new { shopMoney = new { amount = "0.00", currencyCode = "USD" } } } },
            shippingAddress = new { firstName = "Ada", lastName = "Lovelace", address1 = "1 Main St", city = "Austin", provinceCode = "TX", countryCode = "US", zip = "73301" },
        });

        var data = await shop.DataAsync(
            """
            query($q: String!) {
              orders(first: 5, query: $q) {
                nodes {
                  id name sourceName sourceIdentifier email tags displayFinancialStatus
                  customAttributes { key value }
                  metafield(namespace: "tts", key: "order_id") { type value }
                  lineItems(first: 5) { nodes { sku quantity originalUnitPriceSet { shopMoney { amount currencyCode } } } }
                  shippingAddress { name city countryCodeV2 }
                  totalPriceSet { shopMoney { amount } }
                }
              }
            }
            """,
            new { q = "source_identifier:\"576-wanted\"" });

        var order = Assert.Single(data["orders"]!["nodes"]!.AsArray())!;
        Assert.Equal((string?)created["order"]!["id"], (string?)order["id"]);
        Assert.Equal(
            """{"name":"#1002","sourceName":"tiktok_shop","sourceIdentifier":"576-wanted","email":"buyer@tiktok.example","tags":["TikTok","TTS-576-wanted"],"displayFinancialStatus":"PAID","customAttributes":[{"key":"tiktok_order_id","value":"576-wanted"}],"metafield":{"type":"id","value":"576-wanted"},"lineItems":{"nodes":[{"sku":"CAP-1","quantity":2,"originalUnitPriceSet":{"shopMoney":{"amount":"12.0","currencyCode":"USD"}}}]},"shippingAddress":{"name":"Ada Lovelace","city":"Austin","countryCodeV2":"US"},"totalPriceSet":{"shopMoney":{"amount":"24.0"}}}""",
            WithoutId(order));

        var stored = shop.Shop.Orders.Single(o => o.SourceIdentifier == "576-wanted");
        Assert.Equal("Shipped by TTS platform", Assert.Single(stored.ShippingLines).Title);
        Assert.Equal(2, Assert.Single(stored.LineItems).Quantity);
    }

    [Fact]
    public async Task Order_is_found_by_its_id_type_metafield_through_orderByIdentifier()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];
        var created = await shop.CreateOrderAsync(variant, 1, "576-1", extra: new
        {
            metafields = new[] { new { @namespace = "tts", key = "order_id", type = "id", value = "576-1" } },
        });

        var data = await shop.DataAsync("""{ orderByIdentifier(identifier: { customId: { namespace: "tts", key: "order_id", value: "576-1" } }) { id } }""");

        Assert.Equal((string?)created["order"]!["id"], (string?)data["orderByIdentifier"]!["id"]);
    }

    [Fact]
    public async Task Processed_at_in_the_future_fails_with_PROCESSED_AT_INVALID()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];

        var payload = await shop.CreateOrderAsync(variant, 1, "576-1", extra: new { processedAt = DateTimeOffset.UtcNow.AddHours(2).ToString("O") });

        Assert.Null(payload["order"]);
        Assert.Equal("PROCESSED_AT_INVALID", (string?)payload["userErrors"]![0]!["code"]);
        Assert.Equal("""["order","processedAt"]""", payload["userErrors"]![0]!["field"]!.ToJsonString());
    }

    [Fact]
    public async Task Unknown_variant_and_zero_quantity_are_user_errors_with_field_paths()
    {
        await using var shop = await TestShop.StartAsync();

        var payload = await shop.CreateOrderAsync("gid://shopify/ProductVariant/42", 0, "576-1");

        Assert.Null(payload["order"]);
        var fields = payload["userErrors"]!.AsArray().Select(e => e!["field"]!.ToJsonString()).ToList();
        Assert.Contains("""["order","lineItems","0","quantity"]""", fields);
        Assert.Contains("""["order","lineItems","0","variantId"]""", fields);
    }

    [Fact]
    public async Task Negative_price_and_foreign_shop_currency_are_user_errors()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];

        var negative = await shop.CreateOrderAsync(variant, 1, "576-1", price: -1m);
        shop.Shop.Currency = "EUR";
        var foreign = await shop.CreateOrderAsync(variant, 1, "576-2");

        Assert.Equal("""["order","lineItems","0","priceSet","shopMoney","amount"]""", negative["userErrors"]![0]!["field"]!.ToJsonString());
        Assert.Equal("""["order","lineItems","0","priceSet","shopMoney","currencyCode"]""", foreign["userErrors"]![0]!["field"]!.ToJsonString());
        Assert.Empty(shop.Shop.Orders);
    }

    [Fact]
    public async Task FailNextOrderCreate_answers_the_given_user_error_once()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];
        shop.Shop.FailNextOrderCreate("Shop is frozen");

        var failed = await shop.CreateOrderAsync(variant, 1, "576-1");
        var next = await shop.CreateOrderAsync(variant, 1, "576-1");

        Assert.Null(failed["order"]);
        Assert.Equal("Shop is frozen", (string?)failed["userErrors"]![0]!["message"]);
        Assert.NotNull(next["order"]);
        Assert.Single(shop.Shop.Orders);
    }

    [Fact]
    public async Task Custom_line_without_variant_is_accepted_with_title_and_price()
    {
        await using var shop = await TestShop.StartAsync();

        var data = await shop.DataAsync(TestShop.OrderCreate, new
        {
            order = new
            {
                lineItems = new[] { new { title = "Big Brown Bear Boots", quantity = 1, priceSet = new { shopMoney = new { amount = 74.99, currencyCode = "USD" } } } },
            },
        });

        Assert.Empty(data["orderCreate"]!["userErrors"]!.AsArray());
        var line = Assert.Single(Assert.Single(shop.Shop.Orders).LineItems);
        Assert.Null(line.VariantId);
        Assert.Equal(74.99m, line.Price);
    }

    [Fact]
    public async Task Concurrent_creates_get_unique_consecutive_names()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 1000))[0];

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => shop.CreateOrderAsync(variant, 1, $"576-{i}", "DECREMENT_IGNORING_POLICY")));

        Assert.Equal(Enumerable.Range(1001, 20).Select(n => $"#{n}"), shop.Shop.Orders.Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.Equal(20, shop.Shop.Orders.Select(o => o.Id).Distinct().Count());
        Assert.Equal(980, shop.Shop.InventoryOf("CAP-1"));
        Assert.All(shop.Shop.Orders, o => Assert.Matches("^gid://shopify/Order/[0-9]+$", o.Id));
    }

    private static string WithoutId(JsonNode order)
    {
        var copy = order.DeepClone().AsObject();
        copy.Remove("id");
        return copy.ToJsonString();
    }
}
