using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Connector.Testing;

using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>Bad input gets a 4xx with a problem body, never a 500; secrets never come back.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class HttpApiTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> JsonRoutes => new()
    {
        { "POST", "/api/orders/fetch" },
        { "PUT", "/api/shops/shopx" },
        { "PUT", "/api/shops/shopx/sku-mappings" },
        { "POST", "/api/orders/retry?shopId=shopx" },
    };

    [Theory]
    [MemberData(nameof(JsonRoutes))]
    public async Task Invalid_json_on_a_route_is_a_400_problem(string method, string path)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        foreach (var body in new[] { "{not json", "", "[1,2]", "\"text\"", "{\"shopId\": 12}" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await sandbox.Api.SendAsync(request);

            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{method} {path} with '{body}' gave {(int)response.StatusCode}");
            await AssertProblemAsync(response);
        }
    }

    [Theory]
    [InlineData("ProcessOrderMessage", "{not json")]
    [InlineData("ProcessOrderMessage", "[]")]
    [InlineData("ProcessOrderMessage", "{\"Metadata\":{}}")]
    [InlineData("FetchOrdersTimer", "")]
    [InlineData("FetchOrdersTimer", "{\"Data\":{}}")]
    public async Task Malformed_host_payload_is_a_400_problem(string function, string payload)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });

        using var response = await sandbox.Host.InvokeRawAsync(function, payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertProblemAsync(response);
    }

    [Theory]
    [InlineData("\"not an object\"")]
    [InlineData("{\"kind\":\"teleport\",\"shopId\":\"s1\"}")]
    [InlineData("{\"kind\":\"order\"}")]
    [InlineData("{\"kind\":\"order\",\"shopId\":\"../etc\",\"orderId\":\"1\",\"reason\":\"fetch\"}")]
    public async Task Queue_message_that_can_never_succeed_is_completed_with_a_log_not_retried(string body)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var payload = JsonSerializer.Serialize(new { Data = new { msg = JsonSerializer.Serialize(body) }, Metadata = new { MessageId = "\"bad-1\"", DeliveryCount = "1" } });

        using var response = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Discarded", result.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_shop_order_and_bad_ids_are_4xx_problems()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });

        using var noShop = await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "nobody" });
        using var noOrder = await sandbox.Api.GetAsync("/api/orders/123?shopId=nobody");
        using var noShopId = await sandbox.Api.GetAsync("/api/orders/123");
        using var badShopId = await sandbox.Api.GetAsync("/api/shops/bad%20id");
        using var retryUnknown = await sandbox.Api.PostAsync("/api/orders/123/retry?shopId=nobody", null);

        Assert.Equal(HttpStatusCode.NotFound, noShop.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noOrder.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noShopId.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badShopId.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, retryUnknown.StatusCode);
        foreach (var response in new[] { noShop, noOrder, noShopId, badShopId, retryUnknown })
        {
            await AssertProblemAsync(response);
        }
    }

    [Fact]
    public async Task Connecting_a_shop_validates_every_part_and_names_the_fields()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });

        using var response = await sandbox.Api.PutAsJsonAsync("/api/shops/newshop", new
        {
            tiktok = new { accessToken = "x" },
            store = new { platform = "magento", baseUrl = "not a url" },
            settings = new { inventoryBehaviour = "SOMETIMES", importStatuses = new[] { "SHIPPED" }, timeZone = "Mars/Olympus" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await AssertProblemAsync(response);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "tiktok.shopCipher", "tiktok.refreshToken", "store.platform", "store.baseUrl", "settings.inventoryBehaviour", "settings.importStatuses", "settings.timeZone" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task A_store_connection_that_does_not_work_is_refused_with_the_reason()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var tiktokShop = sandbox.TikTok.AddShop("badstore");
        var store = sandbox.Shopify.AddShop("store-badstore");
        object Body(string? token) => new
        {
            tiktok = new { shopCipher = tiktokShop.Cipher, accessToken = tiktokShop.AccessToken, accessTokenExpiresAt = tiktokShop.AccessTokenExpiresAt, refreshToken = tiktokShop.RefreshToken, refreshTokenExpiresAt = tiktokShop.RefreshTokenExpiresAt },
            store = new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = token },
        };

        using var missing = await sandbox.Api.PutAsJsonAsync("/api/shops/badstore", Body(null));
        using var wrong = await sandbox.Api.PutAsJsonAsync("/api/shops/badstore", Body("shpat_wrong"));
        using var right = await sandbox.Api.PutAsJsonAsync("/api/shops/badstore", Body(store.AccessToken));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await AssertProblemAsync(missing)).GetProperty("errors").TryGetProperty("store.accessToken", out _));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("access token", (await AssertProblemAsync(wrong)).GetProperty("errors").GetProperty("store")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Shop_read_back_never_contains_a_secret_and_logs_never_do_either()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (tiktokShop, store) = await sandbox.ConnectShopAsync("secretshop");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.TikTok.CreateOrder("secretshop", TestOrders.Spec(("CAP-1", 1, 12m)));
        sandbox.TikTok.ExpireAccessToken("secretshop");
        await sandbox.FetchAndWaitAsync("secretshop");

        var text = await sandbox.Api.GetStringAsync("/api/shops/secretshop");
        var refreshed = sandbox.TikTok.GetShop("secretshop");
        var secrets = new[] { tiktokShop.AccessToken, tiktokShop.RefreshToken, refreshed.AccessToken, refreshed.RefreshToken, store.AccessToken, TestSandbox.AppSecret };
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(sandbox.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }

        var view = JsonDocument.Parse(text).RootElement;
        Assert.True(view.GetProperty("tiktok").GetProperty("hasAccessToken").GetBoolean());
        Assert.True(view.GetProperty("store").GetProperty("hasAccessToken").GetBoolean());
        Assert.NotEmpty(sandbox.Logs.Lines);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("status", out _));
        Assert.True(problem.TryGetProperty("title", out _));
        return problem;
    }
}
