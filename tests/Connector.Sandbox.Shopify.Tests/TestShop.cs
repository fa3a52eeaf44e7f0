using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>A started simulator with one shop and an HTTP client that speaks to it like an Admin API client.</summary>
internal sealed class TestShop : IAsyncDisposable
{
    public const string Token = "shpat_test_token";

    private TestShop(ShopifySimulator simulator, SimShopifyShop shop)
    {
        Simulator = simulator;
        Shop = shop;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public ShopifySimulator Simulator { get; }

    public SimShopifyShop Shop { get; }

    public HttpClient Http { get; }

    public static async Task<TestShop> StartAsync(ShopifySimulatorOptions? options = null, string shopName = "test-shop")
    {
        var simulator = await ShopifySimulator.StartAsync(options ?? new ShopifySimulatorOptions());
        return new TestShop(simulator, simulator.AddShop(shopName, Token));
    }

    public Uri GraphQLUrl(string version = "2026-01") =>
        new($"{Shop.BaseUrl.AbsoluteUri.TrimEnd('/')}/admin/api/{version}/graphql.json");

    public async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(
        string query,
        object? variables = null,
        string? token = Token,
        string version = "2026-01",
        string? operationName = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, GraphQLUrl(version))
        {
            Content = JsonContent.Create(new { query, variables = variables ?? new { }, operationName }),
        };
        if (token is not null)
        {
            request.Headers.Add("X-Shopify-Access-Token", token);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, (JsonObject)JsonNode.Parse(text)!);
    }

    /// <summary>Posts and asserts a 200 answer without errors; returns <c>data</c>.</summary>
    public async Task<JsonObject> DataAsync(string query, object? variables = null)
    {
        var (status, body) = await PostAsync(query, variables);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["errors"]);
        return body["data"]!.AsObject();
    }

    public const string OrderCreate = """
        mutation Create($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
          orderCreate(order: $order, options: $options) {
            order { id name sourceIdentifier }
            userErrors { field message code }
          }
        }
        """;

    /// <summary>Creates an order through GraphQL; returns the orderCreate payload.</summary>
    public async Task<JsonObject> CreateOrderAsync(string variantId, int quantity, string sourceIdentifier, string? inventoryBehaviour = null, decimal price = 12m, object? extra = null)
    {
        var order = new JsonObject
        {
            ["email"] = "buyer@tiktok.example",
            ["sourceName"] = "tiktok_shop",
            ["sourceIdentifier"] = sourceIdentifier,
            ["lineItems"] = new JsonArray(new JsonObject
            {
                ["variantId"] = variantId,
                ["quantity"] = quantity,
                ["priceSet"] = new JsonObject { ["shopMoney"] = new JsonObject { ["amount"] = price.ToString(System.Globalization.CultureInfo.InvariantCulture), ["currencyCode"] = "USD" } },
            }),
        };
        if (extra is not null)
        {
            foreach (var (key, value) in System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                order[key] = value?.DeepClone();
            }
        }

        object variables = inventoryBehaviour is null
            ? new { order }
            : new { order, options = new { inventoryBehaviour } };
        var data = await DataAsync(OrderCreate, variables);
        return data["orderCreate"]!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}
