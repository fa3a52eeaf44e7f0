using System.Text.Json;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>§7 webhooks: envelope, Authorization signature, retries, duplicates, drops, spelling, topics.</summary>
public sealed class WebhookTests
{
    private const string ShopId = "7494049642642441621";
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    private static TikTokSimulatorOptions Options(WebhookReceiver receiver) => new()
    {
        AppKey = "68xu9ks5p4i8",
        AppSecret = "e59af819cc",
        Seed = 1,
        WebhookUrl = receiver.Url,
        WebhookRetrySchedule = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)],
    };

    [Fact]
    public async Task S7_order_creation_and_each_status_change_send_a_signed_ORDER_STATUS_CHANGE()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await TikTokSimulator.StartAsync(Options(receiver));
        sim.AddShop(ShopId);

        var order = sim.CreateOrder(ShopId, new SimOrderSpec { Status = "UNPAID" });
        sim.SetStatus(order.Id, "ON_HOLD");
        sim.SetStatus(order.Id, "CANCELLED");
        await sim.WaitForWebhooksIdleAsync(Idle);

        var received = receiver.Received.ToList();
        Assert.Equal(3, received.Count);
        foreach (var (body, authorization, contentType) in received)
        {
            // §7.1: Authorization = hex HMAC-SHA256(app_secret, app_key + raw body), verified with the test's own signer.
            Assert.Equal(TestSigner.WebhookSign("68xu9ks5p4i8", "e59af819cc", body), authorization);
            Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        }

        var payloads = received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["type", "tts_notification_id", "shop_id", "timestamp", "data"], payloads[0].EnumerateObject().Select(p => p.Name));
        Assert.All(payloads, p => Assert.Equal(1, p.GetProperty("type").GetInt32()));
        Assert.All(payloads, p => Assert.Equal(ShopId, p.GetProperty("shop_id").GetString()));
        Assert.Equal(3, payloads.Select(p => p.GetProperty("tts_notification_id").GetString()).Distinct().Count());
        var data = payloads.Select(p => p.GetProperty("data")).ToList();
        Assert.Equal(["order_id", "order_status", "is_on_hold_order", "update_time"], data[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["UNPAID", "ON_HOLD", "CANCEL"], data.Select(d => d.GetProperty("order_status").GetString()));
        Assert.True(data[1].GetProperty("is_on_hold_order").GetBoolean());
        Assert.Equal(sim.GetOrder(order.Id).UpdateTime, data[2].GetProperty("update_time").GetInt64());
        Assert.All(sim.WebhookDeliveries, d => Assert.True(d.Succeeded));
    }

    [Fact]
    public async Task S5_1_status_spelling_CANCELLED_is_configurable()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = Options(receiver);
        options.WebhookStatusSpelling = "CANCELLED";
        await using var sim = await TikTokSimulator.StartAsync(options);
        sim.AddShop(ShopId);

        sim.CreateOrder(ShopId, new SimOrderSpec { Status = "CANCELLED" });
        await sim.WaitForWebhooksIdleAsync(Idle);

        var body = Assert.Single(receiver.Received).Body;
        Assert.Equal("CANCELLED", JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("order_status").GetString());
    }

    [Fact]
    public async Task S7_1_a_non_2xx_answer_is_retried_on_the_schedule_with_the_same_notification()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Script(500, 503);
        await using var sim = await TikTokSimulator.StartAsync(Options(receiver));
        sim.AddShop(ShopId);

        sim.CreateOrder(ShopId, new SimOrderSpec());
        await sim.WaitForWebhooksIdleAsync(Idle);

        var deliveries = sim.WebhookDeliveries;
        Assert.Equal([0, 1, 2], deliveries.Select(d => d.Attempt));
        Assert.Equal([500, 503, 200], deliveries.Select(d => d.ResponseStatus ?? 0));
        Assert.Single(deliveries.Select(d => d.NotificationId).Distinct());
        Assert.Single(receiver.Received.Select(r => r.Body).Distinct());
        Assert.True(deliveries[1].Time - deliveries[0].Time >= TimeSpan.FromMilliseconds(90));
    }

    [Fact]
    public async Task S7_1_retries_stop_after_the_last_scheduled_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Script(500, 500, 500, 500);
        await using var sim = await TikTokSimulator.StartAsync(Options(receiver));
        sim.AddShop(ShopId);

        sim.CreateOrder(ShopId, new SimOrderSpec());
        await sim.WaitForWebhooksIdleAsync(Idle);

        Assert.Equal(3, sim.WebhookDeliveries.Count);
        Assert.All(sim.WebhookDeliveries, d => Assert.False(d.Succeeded));
    }

    [Fact]
    public async Task S7_1_duplicates_repeat_the_notification_id_and_drops_send_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var duplicating = Options(receiver);
        duplicating.WebhookDuplicateProbability = 1;
        await using (var sim = await TikTokSimulator.StartAsync(duplicating))
        {
            sim.AddShop(ShopId);
            sim.CreateOrder(ShopId, new SimOrderSpec());
            await sim.WaitForWebhooksIdleAsync(Idle);

            Assert.Equal(2, receiver.Received.Count);
            Assert.Single(receiver.Received.Select(r => r.Body).Distinct());
            Assert.Equal([false, true], sim.WebhookDeliveries.Select(d => d.IsDuplicate));
        }

        receiver.Received.Clear();
        var dropping = Options(receiver);
        dropping.WebhookDropProbability = 1;
        await using (var sim = await TikTokSimulator.StartAsync(dropping))
        {
            sim.AddShop(ShopId);
            sim.CreateOrder(ShopId, new SimOrderSpec());
            await sim.WaitForWebhooksIdleAsync(Idle);

            Assert.Empty(receiver.Received);
            Assert.True(Assert.Single(sim.WebhookDeliveries).Dropped);
        }
    }

    [Fact]
    public async Task S7_1_reordering_still_delivers_everything_and_the_url_can_be_changed_at_runtime()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = Options(receiver);
        options.WebhookUrl = null;
        options.WebhookReorder = true;
        options.WebhookReorderMaxDelay = TimeSpan.FromMilliseconds(50);
        await using var sim = await TikTokSimulator.StartAsync(options);
        sim.AddShop(ShopId);

        sim.CreateOrder(ShopId, new SimOrderSpec());
        sim.SetWebhookUrl(receiver.Url);
        sim.CreateOrders(ShopId, 10, _ => new SimOrderSpec());
        await sim.WaitForWebhooksIdleAsync(Idle);

        Assert.Equal(10, receiver.Received.Count);
    }

    [Fact]
    public async Task S7_3_address_deauthorization_expiration_and_cancellation_topics()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await TikTokSimulator.StartAsync(Options(receiver));
        var shop = sim.AddShop(ShopId);
        var order = sim.CreateOrder(ShopId, new SimOrderSpec());
        await sim.WaitForWebhooksIdleAsync(Idle);
        receiver.Received.Clear();

        sim.UpdateRecipientAddress(order.Id, new SimAddressSpec { Name = "John Smith" });
        await sim.WaitForWebhooksIdleAsync(Idle);
        var cancelId = sim.RequestBuyerCancellation(order.Id);
        await sim.WaitForWebhooksIdleAsync(Idle);
        sim.SendUpcomingAuthorizationExpiration(ShopId);
        await sim.WaitForWebhooksIdleAsync(Idle);
        sim.SendSellerDeauthorization(ShopId);
        await sim.WaitForWebhooksIdleAsync(Idle);

        var payloads = receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal([3, 11, 7, 6], payloads.Select(p => p.GetProperty("type").GetInt32()));
        Assert.Equal(order.Id, payloads[0].GetProperty("data").GetProperty("order_id").GetString());
        Assert.Equal(JsonValueKind.Number, payloads[1].GetProperty("data").GetProperty("create_time").ValueKind);
        Assert.Equal(cancelId, payloads[1].GetProperty("data").GetProperty("cancel_id").GetString());
        Assert.Equal("CANCELLATION_REQUEST_PENDING", payloads[1].GetProperty("data").GetProperty("cancel_status").GetString());
        Assert.Equal(shop.RefreshTokenExpiresAt.ToString(System.Globalization.CultureInfo.InvariantCulture), payloads[2].GetProperty("data").GetProperty("expiration_time").GetString());
        Assert.Contains(ShopId, payloads[3].GetProperty("data").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(sim.GetOrder(order.Id).IsBuyerRequestCancel);
        Assert.True(sim.GetOrder(order.Id).HasUpdatedRecipientAddress);

        // Deauthorization revokes the tokens.
        var client = new TikTokTestClient(TikTokTestClient.Http, sim);
        Assert.Equal(36009004, (await client.ShopsAsync(shop.AccessToken)).Code);
    }

    [Fact]
    public async Task S7_5_events_api_subscription_routes_the_shops_webhooks_and_delete_always_succeeds()
    {
        await using var appWide = await WebhookReceiver.StartAsync();
        await using var shopHook = await WebhookReceiver.StartAsync();
        await using var sim = await TikTokSimulator.StartAsync(Options(appWide));
        var shop = sim.AddShop(ShopId);
        var client = new TikTokTestClient(TikTokTestClient.Http, sim);
        Task<ApiResponse> Call(HttpMethod method, string body) => client.SendAsync(new ApiCall
        {
            Method = method, Path = "/event/202309/webhooks", Query = [new("shop_cipher", shop.Cipher)], Body = body, AccessToken = shop.AccessToken,
        });

        var missing = await Call(HttpMethod.Put, """{"event_type":"ORDER_STATUS_CHANGE"}""");
        var put = await Call(HttpMethod.Put, $$"""{"address":"{{shopHook.Url}}","event_type":"ORDER_STATUS_CHANGE"}""");
        var order = sim.CreateOrder(ShopId, new SimOrderSpec());
        await sim.WaitForWebhooksIdleAsync(Idle);
        var delete = await Call(HttpMethod.Delete, """{"event_type":"ORDER_STATUS_CHANGE"}""");
        var deleteAgain = await Call(HttpMethod.Delete, """{"event_type":"ORDER_STATUS_CHANGE"}""");
        sim.SetStatus(order.Id, "AWAITING_COLLECTION");
        await sim.WaitForWebhooksIdleAsync(Idle);

        Assert.Equal((36009004, "param body.address is missing"), (missing.Code, missing.Message));
        Assert.Equal(0, put.Code);
        Assert.Equal((0, 0), (delete.Code, deleteAgain.Code));
        Assert.Single(shopHook.Received);
        Assert.Single(appWide.Received);
        Assert.Contains("AWAITING_COLLECTION", appWide.Received.Single().Body, StringComparison.Ordinal);
        Assert.Empty(sim.GetWebhookSubscriptions(ShopId));
    }
}
