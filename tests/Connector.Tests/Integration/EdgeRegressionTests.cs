using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Connector.Testing;
using Connector.TikTok;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// The inputs that once gave a 500, or junk the merchant saw in the grid (issue "Hardening"), each pinned down: a 4xx
/// problem naming the field, or an acknowledged and ignored webhook, and nothing stored.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class EdgeRegressionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_null_order_id_in_a_bulk_retry_is_a_400_naming_it()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("edge1");

        using var response = await sandbox.Api.PostAsync("/api/orders/retry?shopId=edge1", Json("{\"orderIds\":[null]}"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("orderIds[0]", out _), problem.ToString());
    }

    [Theory]
    [InlineData("{\"settings\":{\"importStatuses\":null}}", "settings.importStatuses")]
    [InlineData("{\"settings\":{\"timeZone\":null}}", "settings.timeZone")]
    [InlineData("{\"settings\":{\"importStatuses\":[null]}}", "settings.importStatuses")]
    [InlineData("{\"settings\":{\"tags\":[\"a\\u0000\"]}}", "settings.tags")]
    [InlineData("{\"settings\":{\"importStatus\":[]}}", "settings.importStatus")]
    [InlineData("{\"tiktok\":{\"accessToken\":\"abc\\r\\nX-Evil: 1\"}}", "tiktok.accessToken")]
    [InlineData("{\"name\":12}", "name")]
    public async Task A_null_wrong_or_unknown_shop_field_is_a_400_naming_it_and_changes_nothing(string body, string field)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("edge2");
        var before = await sandbox.Api.GetStringAsync("/api/shops/edge2");

        using var response = await sandbox.Api.PutAsync("/api/shops/edge2", Json(body));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.DoesNotContain("Connector.", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await sandbox.Api.GetStringAsync("/api/shops/edge2"));
    }

    [Theory]
    [InlineData(100 * 1024, true)]
    [InlineData(2 * 1024 * 1024, true)]
    [InlineData(40 * 1024 * 1024, false)]
    public async Task A_body_over_the_route_limit_is_a_413_problem_declared_or_streamed(int size, bool declared)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("edge3");
        var before = await sandbox.Api.GetStringAsync("/api/shops/edge3");
        var body = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('n', size) + "\"}");
        HttpContent content = declared ? new ByteArrayContent(body) : new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/shops/edge3") { Content = content };
        if (!declared)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await sandbox.Api.SendAsync(request);

        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await sandbox.Api.GetStringAsync("/api/shops/edge3"));
    }

    [Fact]
    public async Task Every_shop_scoped_route_answers_404_for_a_shop_that_is_not_connected()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });

        foreach (var path in new[]
        {
            "/api/orders?shopId=nosuch", "/api/orders/summary?shopId=nosuch", "/api/shops/nosuch/sku-mappings", "/api/shops/nosuch/activity",
            "/api/shops/nosuch/dashboard", "/api/shops/nosuch", "/api/orders/fetch/m1?shopId=nosuch", "/api/orders/576?shopId=nosuch",
        })
        {
            using var response = await sandbox.Api.GetAsync(path);
            await ProblemAsync(response, HttpStatusCode.NotFound, path);
        }
    }

    [Fact]
    public async Task A_repeated_or_unknown_query_parameter_is_a_400_on_every_route_that_reads_the_query()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("edge4");

        foreach (var path in new[]
        {
            "/api/orders?shopId=edge4&shopId=edge4", "/api/orders/summary?shopId=edge4&shopId=other", "/api/orders/576?shopId=edge4&shopId=edge4",
            "/api/orders/fetch/m1?shopId=edge4&shopId=edge4", "/api/shops/edge4/activity?limit=1&limit=2",
            "/api/orders/summary?shopId=edge4&colour=red", "/api/shops/edge4/dashboard?shopId=edge4",
        })
        {
            using var response = await sandbox.Api.GetAsync(path);
            await ProblemAsync(response, HttpStatusCode.BadRequest, path);
        }

        using var retry = await sandbox.Api.PostAsync("/api/orders/retry?shopId=edge4&shopId=edge4", Json("{\"allFailed\":true}"));
        await ProblemAsync(retry, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("1' or RowKey ne '")]
    [InlineData("{\"x\":1}")]
    [InlineData("a/b#c?d\\e")]
    [InlineData("LONG")]
    public async Task A_signed_webhook_whose_order_id_is_not_tiktoks_is_acknowledged_and_never_reaches_the_grid(string orderId)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("edge5");
        await sandbox.SettleAsync();
        var sent = sandbox.Sent.Count;
        orderId = orderId == "LONG" ? new string('7', 3000) : orderId;
        var data = orderId.StartsWith('{') ? orderId : JsonSerializer.Serialize(orderId);

        using var response = await PostWebhookAsync(sandbox,
            $"{{\"type\":1,\"tts_notification_id\":\"n-{Guid.NewGuid():N}\",\"shop_id\":\"edge5\",\"timestamp\":1700000000,\"data\":{{\"order_id\":{data},\"order_status\":\"AWAITING_SHIPMENT\",\"update_time\":1700000000}}}}");
        await sandbox.SettleAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not a TikTok order id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(sent, sandbox.Sent.Count);
        var summary = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/orders/summary?shopId=edge5");
        Assert.Equal(0, summary.GetProperty("all").GetInt32());
    }

    [Theory]
    [InlineData("{\"type\":1,\"tts_notification_id\":\"LONG\",\"shop_id\":\"edge6\",\"timestamp\":1,\"data\":{\"order_id\":\"576\"}}")]
    [InlineData("{\"type\":1,\"tts_notification_id\":\"n1\",\"shop_id\":\"edge6\",\"timestamp\":1,\"data\":{\"order_id\":\"576\",\"update_time\":\"soon\"}}")]
    [InlineData("{\"type\":\"one\",\"tts_notification_id\":\"n1\",\"shop_id\":\"edge6\",\"timestamp\":1,\"data\":{}}")]
    [InlineData("{\"type\":1,\"tts_notification_id\":\"n1\",\"shop_id\":\"edge6\",\"timestamp\":1,\"data\":[1]}")]
    public async Task A_signed_webhook_with_a_malformed_field_is_a_400_and_queues_nothing(string body)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("edge6");
        await sandbox.SettleAsync();
        var sent = sandbox.Sent.Count;

        using var response = await PostWebhookAsync(sandbox, body.Replace("\"LONG\"", $"\"{new string('n', 2000)}\"", StringComparison.Ordinal));

        await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(sent, sandbox.Sent.Count);
    }

    [Fact]
    public async Task A_wrongly_typed_field_is_named_without_any_dotnet_type()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });

        using var response = await sandbox.Api.PostAsync("/api/orders/fetch", Json("{\"shopId\":12}"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("shopId", out _), problem.ToString());
        Assert.DoesNotContain("Connector.", problem.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", problem.ToString(), StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> PostWebhookAsync(TestSandbox sandbox, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/tiktok") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", TikTokSigner.SignWebhook(TestSandbox.AppKey, TestSandbox.AppSecret, bytes));
        return await sandbox.Api.SendAsync(request);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string? what = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{what} answered {(int)response.StatusCode}, not {(int)expected}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
