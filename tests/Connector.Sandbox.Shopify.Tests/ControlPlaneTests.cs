using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>The unauthenticated /_sim/stores control plane used by the local demo and browser tests (design.md §5).</summary>
public sealed class ControlPlaneTests
{
    [Fact]
    public async Task Store_products_orders_and_inventory_are_managed_over_http()
    {
        await using var simulator = await ShopifySimulator.StartAsync(new ShopifySimulatorOptions());
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = simulator.BaseUrl };

        using var created = await http.PostAsJsonAsync("/_sim/stores", new { name = "demo", accessToken = "shpat_demo" });
        using var duplicate = await http.PostAsJsonAsync("/_sim/stores", new { name = "demo" });
        using var product = await http.PostAsJsonAsync("/_sim/stores/demo/products", new { title = "Cap", variants = new[] { new { sku = "CAP-1", price = 12.5, inventory = 4 } } });
        var store = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var variantId = (string)JsonNode.Parse(await product.Content.ReadAsStringAsync())!["variantIds"]![0]!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.Created, product.StatusCode);
        Assert.Equal("shpat_demo", (string?)store["accessToken"]);
        Assert.Equal(simulator.GetShop("demo").ApiSecretKey, (string?)store["apiSecretKey"]);
        Assert.Matches("^[0-9a-f]{32}$", (string)store["apiSecretKey"]!);
        Assert.Equal(simulator.GetShop("demo").GraphQLUrl.AbsoluteUri, (string?)store["graphqlUrl"]);

        using var graphql = new HttpRequestMessage(HttpMethod.Post, (string)store["graphqlUrl"]!)
        {
            Content = JsonContent.Create(new
            {
                query = TestShop.OrderCreate,
                variables = new
                {
                    order = new { sourceIdentifier = "576-demo", lineItems = new[] { new { variantId, quantity = 1 } } },
                    options = new { inventoryBehaviour = "DECREMENT_OBEYING_POLICY" },
                },
            }),
        };
        graphql.Headers.Add("X-Shopify-Access-Token", "shpat_demo");
        using var createdOrder = await http.SendAsync(graphql);
        Assert.Equal(HttpStatusCode.OK, createdOrder.StatusCode);

        var orders = JsonNode.Parse(await http.GetStringAsync("/_sim/stores/demo/orders"))!.AsArray();
        var inventory = JsonNode.Parse(await http.GetStringAsync("/_sim/stores/demo/inventory/CAP-1"))!;
        using var missingSku = await http.GetAsync("/_sim/stores/demo/inventory/NOPE");
        using var missingStore = await http.GetAsync("/_sim/stores/nope/orders");

        var order = Assert.Single(orders)!;
        Assert.Equal("#1001", (string?)order["name"]);
        Assert.Equal("576-demo", (string?)order["sourceIdentifier"]);
        Assert.Equal("CAP-1", (string?)order["lineItems"]![0]!["sku"]);
        Assert.Equal(3, (int)inventory["inventory"]!);
        Assert.Equal(HttpStatusCode.NotFound, missingSku.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missingStore.StatusCode);
    }

    [Fact]
    public async Task Faults_are_armed_over_http()
    {
        await using var shop = await TestShop.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = shop.Simulator.BaseUrl };

        using var response = await http.PostAsJsonAsync("/_sim/stores/test-shop/faults", new { throttleNext = 1 });
        var (_, body) = await shop.PostAsync("{ shop { name } }");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("THROTTLED", (string?)body["errors"]![0]!["extensions"]!["code"]);
    }
}
