using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>store-apis.md §2.1 endpoint, token and version; §2.4 the lost response that makes dedupe necessary.</summary>
public sealed class TransportTests
{
    [Fact]
    public async Task Wrong_or_missing_token_answers_401_with_Shopifys_message()
    {
        await using var shop = await TestShop.StartAsync();

        var (wrongStatus, wrong) = await shop.PostAsync("{ shop { name } }", token: "shpat_wrong");
        var (missingStatus, missing) = await shop.PostAsync("{ shop { name } }", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, missingStatus);
        const string Expected = """{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}""";
        Assert.Equal(Expected, wrong.ToJsonString());
        Assert.Equal(Expected, missing.ToJsonString());
    }

    [Fact]
    public async Task Token_of_another_shop_is_refused()
    {
        await using var shop = await TestShop.StartAsync();
        var other = shop.Simulator.AddShop("other-shop");

        var (status, _) = await shop.PostAsync("{ shop { name } }", token: other.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Unsupported_version_and_unknown_shop_answer_404()
    {
        await using var shop = await TestShop.StartAsync();

        var (versionStatus, _) = await shop.PostAsync("{ shop { name } }", version: "2023-01");
        using var unknownShop = await shop.Http.PostAsJsonAsync(new Uri(shop.Simulator.BaseUrl, "/stores/nope/admin/api/2026-01/graphql.json"), new { query = "{ shop { name } }" });

        Assert.Equal(HttpStatusCode.NotFound, versionStatus);
        Assert.Equal(HttpStatusCode.NotFound, unknownShop.StatusCode);
    }

    [Fact]
    public async Task Shop_base_url_is_what_a_merchant_enters_and_the_endpoint_hangs_below_it()
    {
        await using var shop = await TestShop.StartAsync();

        Assert.Equal($"{shop.Simulator.BaseUrl.AbsoluteUri.TrimEnd('/')}/stores/test-shop", shop.Shop.BaseUrl.AbsoluteUri);
        Assert.Equal(shop.GraphQLUrl(), shop.Shop.GraphQLUrl);
        Assert.Equal("test-shop", shop.Simulator.GetShop("test-shop").Name);
    }

    [Fact]
    public async Task Missing_query_answers_400()
    {
        await using var shop = await TestShop.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, shop.GraphQLUrl()) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Shopify-Access-Token", TestShop.Token);

        using var response = await shop.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Raw_application_graphql_body_is_accepted()
    {
        await using var shop = await TestShop.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, shop.GraphQLUrl()) { Content = new StringContent("{ shop { name } }", Encoding.UTF8, "application/graphql") };
        request.Headers.Add("X-Shopify-Access-Token", TestShop.Token);

        using var response = await shop.Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("test-shop", (string?)body["data"]!["shop"]!["name"]);
    }

    [Fact]
    public async Task Dropped_response_is_a_transport_error_for_the_client_but_the_order_exists()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];
        shop.Shop.DropResponseAfterNextOrderCreate();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => shop.CreateOrderAsync(variant, 1, "576-lost", "DECREMENT_IGNORING_POLICY"));

        var order = Assert.Single(shop.Shop.Orders);
        Assert.Equal("576-lost", order.SourceIdentifier);
        Assert.Equal(4, shop.Shop.InventoryOf("CAP-1"));

        // The recovery path a client must take (store-apis.md §2.4 step 6): look the order up before creating again.
        var data = await shop.DataAsync("""{ orders(first: 5, query: "source_identifier:576-lost") { nodes { id } } }""");
        Assert.Equal(order.Id, (string?)data["orders"]!["nodes"]![0]!["id"]);
        var next = await shop.CreateOrderAsync(variant, 1, "576-next");
        Assert.NotNull(next["order"]);
    }

    [Fact]
    public async Task Order_create_delay_holds_the_answer_and_the_order_is_created_even_if_the_client_gives_up()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];
        shop.Shop.SetOrderCreateDelay(TimeSpan.FromMilliseconds(600));

        // Warm the pipeline first: a cold, loaded run could take over 150 ms to reach orderCreate, and a request
        // aborted before execution starts creates nothing (as on a real server).
        await shop.DataAsync("{ shop { name } }");
        using var impatient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMilliseconds(150) };
        using var request = new HttpRequestMessage(HttpMethod.Post, shop.GraphQLUrl())
        {
            Content = JsonContent.Create(new
            {
                query = TestShop.OrderCreate,
                variables = new { order = new { sourceIdentifier = "576-slow", lineItems = new[] { new { variantId = variant, quantity = 1 } } } },
            }),
        };
        request.Headers.Add("X-Shopify-Access-Token", TestShop.Token);

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.SendAsync(request));
        Assert.Empty(shop.Shop.Orders);

        var watch = Stopwatch.StartNew();
        while (shop.Shop.Orders.Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(25);
        }

        Assert.Equal("576-slow", Assert.Single(shop.Shop.Orders).SourceIdentifier);
    }
}
