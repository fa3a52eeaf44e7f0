using System.Net;
using System.Net.Http.Json;
using System.Text;
using Connector.Testing;
using Connector.TikTok;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Access as deployed: the merchant API needs a function key (authLevel function in every function.json), while the
/// TikTok webhook, the OAuth callback and the page's static files are anonymous (the webhook checks its signature).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class FunctionKeyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Merchant_api_needs_the_function_key_and_the_webhook_does_not()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output, RequireFunctionKeys = true });
        var key = new Connector.Sandbox.Functions.FunctionsHostOptions { ScriptRoot = "." }.FunctionKey;

        using var withoutKey = await sandbox.Api.GetAsync("/api/orders?shopId=keys1");
        using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/api/orders?shopId=keys1");
        withHeader.Headers.Add("x-functions-key", key);
        using var headerAnswer = await sandbox.Api.SendAsync(withHeader);
        using var withQuery = await sandbox.Api.GetAsync($"/api/orders/summary?shopId=keys1&code={key}");
        using var page = await sandbox.Api.GetAsync("/api/app");
        var body = "{\"type\":99,\"tts_notification_id\":\"k1\",\"shop_id\":\"keys1\",\"timestamp\":1,\"data\":{}}";
        using var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/tiktok") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        webhook.Headers.TryAddWithoutValidation("Authorization", TikTokSigner.SignWebhook(TestSandbox.AppKey, TestSandbox.AppSecret, Encoding.UTF8.GetBytes(body)));
        using var webhookAnswer = await sandbox.Api.SendAsync(webhook);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);

        // With the key the request reaches the route, which answers for itself: shop keys1 is not connected.
        Assert.Equal(HttpStatusCode.NotFound, headerAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, withQuery.StatusCode);
        Assert.Equal("application/problem+json", withQuery.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, webhookAnswer.StatusCode);
    }
}
