using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Connector.Sandbox.Shopify;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Shopify's orders/updated webhook carries the merchant's changes to TikTok in seconds, without a fetch run
/// (X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body with the app's API secret key).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ShopifyWebhookTests(ITestOutputHelper output)
{
    private const string Tracking = "1Z999AA10123456784";

    private Task<TestSandbox> StartAsync() => TestSandbox.StartAsync(new SandboxOptions { Output = output });

    private static async Task<SimShopifyShop> ConnectWithWebhooksAsync(TestSandbox sandbox, string shopId)
    {
        var store = sandbox.Shopify.AddShop($"store-{shopId}");
        await SaveStoreAsync(sandbox, sandbox.TikTok.AddShop(shopId), store);
        return store;
    }

    private static async Task SaveStoreAsync(TestSandbox sandbox, Connector.Sandbox.TikTok.SimShop tiktokShop, SimShopifyShop store)
    {
        using var put = await sandbox.PutShopAsync(tiktokShop,
            new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken, webhookSecret = store.ApiSecretKey });
        var body = await put.Content.ReadAsStringAsync();
        Assert.True(put.IsSuccessStatusCode, body);
        Assert.DoesNotContain(store.ApiSecretKey, body, StringComparison.Ordinal);
        var view = JsonDocument.Parse(body).RootElement.GetProperty("store");
        Assert.True(view.GetProperty("hasWebhookSecret").GetBoolean());
        Assert.StartsWith("On: orders/updated", view.GetProperty("webhooks").GetString(), StringComparison.Ordinal);
    }

    private static string Sign(string secret, string body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static async Task<HttpResponseMessage> PostAsync(TestSandbox sandbox, string shopId, string body, string? signature, string webhookId = "wh-1")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/shopify/{shopId}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Shopify-Topic", "orders/updated");
        request.Headers.TryAddWithoutValidation("X-Shopify-Webhook-Id", webhookId);
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Shopify-Hmac-Sha256", signature);
        }

        return await sandbox.Api.SendAsync(request);
    }

    [Fact]
    public async Task A_shipment_in_shopify_reaches_tiktok_through_the_webhook_without_any_fetch()
    {
        await using var sandbox = await StartAsync();
        var tiktokShop = sandbox.TikTok.AddShop("shwh");
        var store = sandbox.Shopify.AddShop("store-shwh");
        await SaveStoreAsync(sandbox, tiktokShop, store);
        // orders/updated for order changes, inventory_levels/update for stock (issue 14), both to the shop's route.
        Assert.Equal(["INVENTORY_LEVELS_UPDATE", "ORDERS_UPDATED"], store.WebhookSubscriptions.Select(s => s.Topic).Order());
        Assert.All(store.WebhookSubscriptions, s => Assert.Equal(new Uri(sandbox.Host.BaseUrl, "/api/webhooks/shopify/shwh").ToString(), s.Uri));
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        sandbox.EnableWebhooks();
        var order = sandbox.TikTok.CreateOrder("shwh", TestOrders.Spec(("MUG-1", 2, 9m)));
        await sandbox.SettleAsync(); // imported from TikTok's webhook

        store.FulfillAsMerchant(Assert.Single(store.Orders).Id, Tracking, "USPS");
        await sandbox.Shopify.WaitForWebhooksAsync(TimeSpan.FromSeconds(30));
        await sandbox.SettleAsync();

        var shipped = sandbox.TikTok.GetOrder(order.Id);
        Assert.Equal("AWAITING_COLLECTION", shipped.Status);
        Assert.All(shipped.LineItems, l => Assert.Equal(Tracking, l.TrackingNumber));
        Assert.DoesNotContain(sandbox.TikTok.Requests, r => r.Path == "/order/202309/orders/search");
        Assert.Contains(store.WebhookDeliveries, d => d.Topic == "orders/updated" && d.ResponseStatus == 200);

        // Saving the store again keeps the one subscription per topic.
        await SaveStoreAsync(sandbox, tiktokShop, store);
        Assert.Equal(2, store.WebhookSubscriptions.Count);
    }

    [Fact]
    public async Task Forged_unsigned_and_unknown_shop_webhooks_are_401_and_queue_nothing()
    {
        await using var sandbox = await StartAsync();
        var store = await ConnectWithWebhooksAsync(sandbox, "shforge");
        const string body = """{"admin_graphql_api_id":"gid://shopify/Order/1","source_name":"tiktok_shop","source_identifier":"576","updated_at":"2026-11-22T10:00:00Z"}""";
        var sentBefore = sandbox.Sent.Count;

        using var forged = await PostAsync(sandbox, "shforge", body, Sign("not-the-secret", body));
        using var unsigned = await PostAsync(sandbox, "shforge", body, null);
        using var unknown = await PostAsync(sandbox, "nosuchshop", body, Sign(store.ApiSecretKey, body));
        using var tampered = await PostAsync(sandbox, "shforge", body.Replace("576", "577", StringComparison.Ordinal), Sign(store.ApiSecretKey, body));

        Assert.All([forged, unsigned, unknown, tampered], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Equal(sentBefore, sandbox.Sent.Count);
    }

    [Fact]
    public async Task A_signed_webhook_with_an_overlong_webhook_id_or_a_foreign_order_id_queues_nothing()
    {
        await using var sandbox = await StartAsync();
        var store = await ConnectWithWebhooksAsync(sandbox, "shlong");
        const string own = """{"admin_graphql_api_id":"gid://shopify/Order/9","source_name":"tiktok_shop","source_identifier":"576001","updated_at":"2026-11-22T10:00:00Z"}""";
        const string junk = """{"admin_graphql_api_id":"gid://shopify/Order/9","source_name":"tiktok_shop","source_identifier":"1' or RowKey ne '","updated_at":"2026-11-22T10:00:00Z"}""";
        var sentBefore = sandbox.Sent.Count;

        using var longId = await PostAsync(sandbox, "shlong", own, Sign(store.ApiSecretKey, own), new string('w', 2000));
        using var foreignId = await PostAsync(sandbox, "shlong", junk, Sign(store.ApiSecretKey, junk), "wh-junk");

        // Checked before anything is queued (it used to fail after the message was already on its way).
        Assert.Equal(HttpStatusCode.BadRequest, longId.StatusCode);
        Assert.Equal("application/problem+json", longId.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, foreignId.StatusCode);
        Assert.Contains("not an order Connector created", await foreignId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(sentBefore, sandbox.Sent.Count);
    }

    [Fact]
    public async Task A_store_order_connector_did_not_create_is_ignored_and_a_repeated_webhook_is_queued_once()
    {
        await using var sandbox = await StartAsync();
        var store = await ConnectWithWebhooksAsync(sandbox, "shdup");
        const string own = """{"admin_graphql_api_id":"gid://shopify/Order/9","source_name":"tiktok_shop","source_identifier":"576001","updated_at":"2026-11-22T10:00:00Z"}""";
        const string foreign = """{"admin_graphql_api_id":"gid://shopify/Order/8","source_name":"web","source_identifier":null,"updated_at":"2026-11-22T10:00:00Z"}""";
        var sentBefore = sandbox.Sent.Count;

        using var ignored = await PostAsync(sandbox, "shdup", foreign, Sign(store.ApiSecretKey, foreign), "wh-foreign");
        using var first = await PostAsync(sandbox, "shdup", own, Sign(store.ApiSecretKey, own), "wh-own");
        using var again = await PostAsync(sandbox, "shdup", own, Sign(store.ApiSecretKey, own), "wh-own");
        using var broken = await PostAsync(sandbox, "shdup", "{\"admin", Sign(store.ApiSecretKey, "{\"admin"), "wh-broken");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { ignored.StatusCode, first.StatusCode, again.StatusCode });
        Assert.Contains("not an order Connector created", await ignored.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("duplicate", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var queued = Assert.Single(sandbox.Sent.Skip(sentBefore));
        Assert.Contains("\"kind\":\"storechange\"", queued.Body, StringComparison.Ordinal);
        Assert.Contains("576001", queued.Body, StringComparison.Ordinal);
    }
}
