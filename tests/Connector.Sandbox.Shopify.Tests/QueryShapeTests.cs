using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>Answers carry exactly the selected fields, keyed by alias, in selection order.</summary>
public sealed class QueryShapeTests
{
    [Fact]
    public async Task Query_with_aliases_returns_exactly_the_selected_shape()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Mug", ("MUG-RED", 9.5m, 7))[0];

        var data = await shop.DataAsync("""
            query {
              store: shop { currency: currencyCode name }
              hits: productVariants(first: 5, query: "sku:MUG-RED") {
                list: nodes { variantId: id code: sku qty: inventoryQuantity cost: price __typename }
                pageInfo { hasNextPage }
              }
            }
            """);

        Assert.Equal(
            """{"store":{"currency":"USD","name":"test-shop"},"hits":{"list":[{"variantId":"VARIANT","code":"MUG-RED","qty":7,"cost":"9.50","__typename":"ProductVariant"}],"pageInfo":{"hasNextPage":false}}}""".Replace("VARIANT", variant, StringComparison.Ordinal),
            data.ToJsonString());
    }

    [Fact]
    public async Task Same_field_twice_under_different_aliases_resolves_each_with_its_own_arguments()
    {
        await using var shop = await TestShop.StartAsync();
        shop.Shop.AddProduct("Mug", ("MUG-RED", 9.5m, 7), ("MUG-BLUE", 9.5m, 3));

        var data = await shop.DataAsync("""
            {
              red: productVariants(first: 5, query: "sku:MUG-RED") { nodes { sku } }
              blue: productVariants(first: 5, query: "sku:MUG-BLUE") { nodes { sku } }
            }
            """);

        Assert.Equal("""{"red":{"nodes":[{"sku":"MUG-RED"}]},"blue":{"nodes":[{"sku":"MUG-BLUE"}]}}""", data.ToJsonString());
    }

    [Fact]
    public async Task Fragments_are_merged_and_skip_include_are_honoured()
    {
        await using var shop = await TestShop.StartAsync();

        var data = await shop.DataAsync(
            """
            query($withName: Boolean!) {
              shop { ...ShopBits currencyCode @skip(if: true) name @include(if: $withName) }
            }
            fragment ShopBits on Shop { id myshopifyDomain }
            """,
            new { withName = false });

        Assert.Equal("""{"shop":{"id":"SHOP","myshopifyDomain":"test-shop.myshopify.com"}}""".Replace("SHOP", shop.Shop.Id, StringComparison.Ordinal), data.ToJsonString());
    }

    [Fact]
    public async Task Interface_fragments_apply_and_a_missing_order_is_null()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 1m, 1))[0];
        var orderId = (string)(await shop.CreateOrderAsync(variant, 1, "576-1"))["order"]!["id"]!;

        var data = await shop.DataAsync(
            """
            query($id: ID!) {
              __typename
              found: order(id: $id) { ... on Node { id } ... on Order { ... on Node { __typename } } }
              missing: order(id: "gid://shopify/Order/1") { id }
            }
            """,
            new { id = orderId });

        Assert.Equal("""{"__typename":"QueryRoot","found":{"id":"ID","__typename":"Order"},"missing":null}""".Replace("ID", orderId, StringComparison.Ordinal), data.ToJsonString());
    }

    [Fact]
    public async Task Connections_page_with_cursors()
    {
        await using var shop = await TestShop.StartAsync();
        shop.Shop.AddProduct("Cap", ("CAP-1", 1m, 1), ("CAP-2", 1m, 1), ("CAP-3", 1m, 1));

        var first = await shop.DataAsync("""{ productVariants(first: 2) { edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }""");
        var cursor = (string)first["productVariants"]!["pageInfo"]!["endCursor"]!;
        var second = await shop.DataAsync("""query($after: String) { productVariants(first: 2, after: $after) { nodes { sku } pageInfo { hasNextPage hasPreviousPage } } }""", new { after = cursor });

        Assert.Equal(new[] { "CAP-1", "CAP-2" }, first["productVariants"]!["edges"]!.AsArray().Select(e => (string)e!["node"]!["sku"]!));
        Assert.True((bool)first["productVariants"]!["pageInfo"]!["hasNextPage"]!);
        Assert.Equal("""{"nodes":[{"sku":"CAP-3"}],"pageInfo":{"hasNextPage":false,"hasPreviousPage":true}}""", second["productVariants"]!.ToJsonString());
    }

    [Fact]
    public async Task Connection_without_first_or_last_is_a_field_error()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""{ orders(query: "tag:x") { nodes { id } } }""");

        Assert.Equal("you must provide one of first or last", (string?)body["errors"]![0]!["message"]);
        Assert.Equal("""["orders"]""", body["errors"]![0]!["path"]!.ToJsonString());
        Assert.Null(body["data"]); // orders is OrderConnection!: the null propagates to data.
    }

    [Fact]
    public async Task Cost_extension_reports_requested_and_actual_cost()
    {
        await using var shop = await TestShop.StartAsync();
        shop.Shop.AddProduct("Cap", ("CAP-1", 1m, 1));

        var (_, body) = await shop.PostAsync("""{ productVariants(first: 10) { nodes { sku product { title } } } }""");

        var cost = body["extensions"]!["cost"]!;
        Assert.Equal(2 + (10 * 2), (int)cost["requestedQueryCost"]!); // connection 2 + first × (node 1 + product 1)
        Assert.Equal(2 + 2, (int)cost["actualQueryCost"]!); // one variant came back
        Assert.InRange((int)cost["throttleStatus"]!["currentlyAvailable"]!, 1000 - 4, 1000); // requested taken, unused refunded
        Assert.Equal(1000, (double)cost["throttleStatus"]!["maximumAvailable"]!);
        Assert.Equal(100, (double)cost["throttleStatus"]!["restoreRate"]!);
    }

    [Fact]
    public async Task Query_above_the_single_query_limit_answers_MAX_COST_EXCEEDED()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""{ orders(first: 250) { nodes { id lineItems(first: 10) { nodes { sku } } } } }""");

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("MAX_COST_EXCEEDED", (string?)error["extensions"]!["code"]);
        Assert.Equal(2 + (250 * (1 + 2 + 10)), (int)error["extensions"]!["cost"]!);
    }
}
