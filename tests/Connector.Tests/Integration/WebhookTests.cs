using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Connector.TikTok;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>Webhooks and the status lifecycle: TikTok → Connector → store (reference/tiktok-shop-api.md §7).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class WebhookTests(ITestOutputHelper output)
{
    private static readonly TimeSpan[] FastRetries = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800)];

    private Task<TestSandbox> StartAsync(Action<TikTokSimulatorOptions>? tiktok = null) => TestSandbox.StartAsync(new SandboxOptions
    {
        Output = output,
        ConfigureTikTok = o =>
        {
            o.WebhookRetrySchedule = FastRetries;
            tiktok?.Invoke(o);
        },
    });

    private static async Task<HttpResponseMessage> PostWebhookAsync(TestSandbox sandbox, string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/tiktok") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", signature);
        }

        return await sandbox.Api.SendAsync(request);
    }

    private static string Sign(string body) => TikTokSigner.SignWebhook(TestSandbox.AppKey, TestSandbox.AppSecret, Encoding.UTF8.GetBytes(body));

    private static string StatusWebhook(string notificationId, string shopId, string orderId, string status, long updateTime) =>
        "{\"type\":1,\"tts_notification_id\":\"" + notificationId + "\",\"shop_id\":\"" + shopId + "\",\"timestamp\":" + updateTime
        + ",\"data\":{\"order_id\":\"" + orderId + "\",\"order_status\":\"" + status + "\",\"is_on_hold_order\":false,\"update_time\":" + updateTime + "}}";

    [Fact]
    public async Task Forged_or_missing_signatures_are_rejected_with_401()
    {
        await using var sandbox = await StartAsync();
        await sandbox.ConnectShopAsync("whsig");
        var body = StatusWebhook("n1", "whsig", "576000000000000001", "AWAITING_SHIPMENT", 1700000000);

        using var missing = await PostWebhookAsync(sandbox, body, null);
        using var forged = await PostWebhookAsync(sandbox, body, TikTokSigner.SignWebhook(TestSandbox.AppKey, "wrong-secret", Encoding.UTF8.GetBytes(body)));
        using var tampered = await PostWebhookAsync(sandbox, body.Replace("AWAITING_SHIPMENT", "CANCEL", StringComparison.Ordinal), Sign(body));
        using var valid = await PostWebhookAsync(sandbox, body, Sign(body));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Oversized_and_malformed_bodies_are_413_and_400()
    {
        await using var sandbox = await StartAsync();
        var huge = "{\"type\":1,\"pad\":\"" + new string('x', 70_000) + "\"}";
        const string broken = "{\"type\":1,";

        using var tooLarge = await PostWebhookAsync(sandbox, huge, Sign(huge));
        using var malformed = await PostWebhookAsync(sandbox, broken, Sign(broken));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task A_new_order_reaches_the_store_from_its_webhook_without_any_fetch()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("whnew");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.EnableWebhooks();

        var order = sandbox.TikTok.CreateOrder("whnew", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.SettleAsync();

        Assert.Equal(order.Id, Assert.Single(store.Orders).SourceIdentifier);
        Assert.DoesNotContain(sandbox.TikTok.Requests, r => r.Path == "/order/202309/orders/search");
        Assert.All(sandbox.TikTok.WebhookDeliveries.Where(d => !d.Dropped), d => Assert.Equal(200, d.ResponseStatus));
    }

    [Fact]
    public async Task The_same_notification_twice_has_one_effect()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("whdup");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("whdup", TestOrders.Spec(("CAP-1", 1, 12m)));
        var body = StatusWebhook("7327112393057371910", "whdup", order.Id, "AWAITING_SHIPMENT", order.UpdateTime);

        using var first = await PostWebhookAsync(sandbox, body, Sign(body));
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        using var second = await PostWebhookAsync(sandbox, body, Sign(body));
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(store.Orders);
        Assert.Single(sandbox.Sent, m => m.Body.Contains(order.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_webhooks_in_reverse_order_leave_the_newer_status()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("whrev");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("whrev", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("whrev");
        var inTransit = sandbox.TikTok.AdvanceTo(order.Id, "IN_TRANSIT");
        var delivered = sandbox.TikTok.AdvanceTo(order.Id, "DELIVERED");

        // DELIVERED arrives first, then the older IN_TRANSIT.
        foreach (var (id, status, time) in new[] { ("n-del", "DELIVERED", delivered.UpdateTime), ("n-tr", "IN_TRANSIT", inTransit.UpdateTime) })
        {
            var body = StatusWebhook(id, "whrev", order.Id, status, time);
            using var response = await PostWebhookAsync(sandbox, body, Sign(body));
            await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        }

        var view = await sandbox.GetOrderAsync("whrev", order.Id);
        Assert.Equal("DELIVERED", view.GetProperty("status").GetString());
        Assert.Equal(delivered.UpdateTime, view.GetProperty("updateTime").GetInt64());
        Assert.True(Assert.Single(store.Orders).Closed);
    }

    [Fact]
    public async Task An_older_snapshot_arriving_late_never_moves_the_status_back()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("whold");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("whold", TestOrders.Spec(("CAP-1", 1, 12m)));
        var oldSnapshot = JsonSerializer.Deserialize<JsonElement>(sandbox.TikTok.GetOrder(order.Id).ToApiJson().ToJsonString());
        await sandbox.FetchAndWaitAsync("whold");
        sandbox.TikTok.AdvanceTo(order.Id, "IN_TRANSIT");
        await TestWait.UntilPastAsync(sandbox.TikTok.GetOrder(order.Id).UpdateTime);
        await sandbox.FetchAndWaitAsync("whold");

        // A fetch message carrying the AWAITING_SHIPMENT snapshot is redelivered late.
        var late = JsonSerializer.Serialize(new { kind = "order", shopId = "whold", orderId = order.Id, updateTime = order.UpdateTime, reason = "fetch", order = oldSnapshot });
        sandbox.Queue.Send(new Connector.Sandbox.Functions.QueueMessage { Body = late, MessageId = "late-1" });
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("IN_TRANSIT", (await sandbox.GetOrderAsync("whold", order.Id)).GetProperty("status").GetString());
        Assert.Single(store.Orders);
    }

    [Fact]
    public async Task Cancellation_after_import_cancels_the_store_order_exactly_once()
    {
        await using var sandbox = await StartAsync(o => o.WebhookDuplicateProbability = 1.0);
        var (_, store) = await sandbox.ConnectShopAsync("whcan");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("whcan", TestOrders.Spec(("CAP-1", 2, 12m)));
        await sandbox.FetchAndWaitAsync("whcan");
        Assert.Equal(48, store.InventoryOf("CAP-1"));
        sandbox.EnableWebhooks();

        sandbox.TikTok.Cancel(order.Id, "BUYER", "No longer needed");
        await sandbox.SettleAsync();
        await TestWait.UntilPastAsync(sandbox.TikTok.GetOrder(order.Id).UpdateTime);
        await sandbox.FetchAndWaitAsync("whcan");

        var cancelled = Assert.Single(store.Orders);
        Assert.NotNull(cancelled.CancelledAt);
        Assert.Equal(50, store.InventoryOf("CAP-1"));
        var view = await sandbox.GetOrderAsync("whcan", order.Id);
        Assert.Equal("CANCELLED", view.GetProperty("status").GetString());
        Assert.Single(view.GetProperty("activity").EnumerateArray(), a => a.GetProperty("message").GetString()!.Contains("cancelled in Shopify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fifty_concurrent_webhooks_for_one_order_end_in_one_consistent_state()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("wh50");
        store.AddProduct("Cap", ("CAP-1", 12m, 500));
        var order = sandbox.TikTok.CreateOrder("wh50", TestOrders.Spec(("CAP-1", 1, 12m)) with { ShippingType = "TIKTOK" });
        var statuses = new[] { "AWAITING_SHIPMENT", "AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED" };
        var times = new List<long> { order.UpdateTime };
        foreach (var status in statuses.Skip(1))
        {
            times.Add(sandbox.TikTok.AdvanceTo(order.Id, status).UpdateTime);
        }

        var bodies = Enumerable.Range(0, 50).Select(i => StatusWebhook($"n50-{i}", "wh50", order.Id, statuses[i % 4], times[i % 4])).ToList();
        var answers = await Task.WhenAll(bodies.Select(b => PostWebhookAsync(sandbox, b, Sign(b))));
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(120));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var created = Assert.Single(store.Orders);
        var view = await sandbox.GetOrderAsync("wh50", order.Id);
        Assert.Equal("DELIVERED", view.GetProperty("status").GetString());
        Assert.Equal(sandbox.TikTok.GetOrder(order.Id).UpdateTime, view.GetProperty("updateTime").GetInt64());
        Assert.True(created.Closed);
        Assert.Empty(sandbox.DeadLetters);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task Lost_webhooks_are_caught_up_by_the_timer_fetch()
    {
        await using var sandbox = await StartAsync(o => o.WebhookDropProbability = 1.0);
        var (_, store) = await sandbox.ConnectShopAsync("whlost");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.EnableWebhooks();
        var order = sandbox.TikTok.CreateOrder("whlost", TestOrders.Spec(("CAP-1", 1, 12m)) with { ShippingType = "TIKTOK" });
        await sandbox.Host.TriggerTimerAsync("FetchOrdersTimer");
        await sandbox.SettleAsync();
        sandbox.TikTok.AdvanceTo(order.Id, "IN_TRANSIT");
        await sandbox.SettleAsync();
        Assert.Equal("AWAITING_SHIPMENT", (await sandbox.GetOrderAsync("whlost", order.Id)).GetProperty("status").GetString());

        await TestWait.UntilPastAsync(sandbox.TikTok.GetOrder(order.Id).UpdateTime);
        await sandbox.Host.TriggerTimerAsync("FetchOrdersTimer");
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        Assert.True(sandbox.TikTok.WebhookDeliveries.Count > 0 && sandbox.TikTok.WebhookDeliveries.All(d => d.Dropped));
        Assert.Equal("IN_TRANSIT", (await sandbox.GetOrderAsync("whlost", order.Id)).GetProperty("status").GetString());
        var created = Assert.Single(store.Orders);
        Assert.NotEmpty(created.Fulfillments);
    }

    [Fact]
    public async Task Deauthorised_shop_shows_disconnected_and_is_no_longer_fetched()
    {
        await using var sandbox = await StartAsync();
        await sandbox.ConnectShopAsync("whdeauth");
        sandbox.EnableWebhooks();

        sandbox.TikTok.SendSellerDeauthorization("whdeauth");
        await sandbox.SettleAsync();

        var shop = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/shops/whdeauth");
        Assert.Equal("disconnected", shop.GetProperty("connectionStatus").GetString());
        Assert.NotNull(shop.GetProperty("lastWebhookAt").GetString());
        using var fetch = await sandbox.FetchAsync("whdeauth");
        Assert.Equal(HttpStatusCode.Conflict, fetch.StatusCode);
        sandbox.TikTok.ClearRequests();
        await sandbox.Host.TriggerTimerAsync("FetchOrdersTimer");
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(sandbox.TikTok.Requests, r => r.Path.StartsWith("/order/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deauthorisation_whose_shop_row_keeps_changing_is_delivered_again_not_failed_with_a_500()
    {
        var fault = new RefuseShopWrites("\"ConnectionStatus\":\"disconnected\"", limit: Connector.State.ConditionalUpdate.MaxAttempts);
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            Output = output,
            StoragePolicy = fault,
            ConfigureTikTok = o => o.WebhookRetrySchedule = FastRetries,
        });
        await sandbox.ConnectShopAsync("whcontend");
        sandbox.EnableWebhooks();

        fault.Enabled = true;
        sandbox.TikTok.SendSellerDeauthorization("whcontend");
        await sandbox.SettleAsync();

        // The first delivery lost every race and answered 503 (transient); the next one recorded the event.
        Assert.Equal(Connector.State.ConditionalUpdate.MaxAttempts, fault.Refused);
        Assert.DoesNotContain(sandbox.Host.Invocations, i => i.StatusCode == 500);
        Assert.Contains(sandbox.Host.Invocations, i => i.StatusCode == 503 && i.Error?.Contains("kept changing", StringComparison.Ordinal) == true);
        var shop = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/shops/whcontend");
        Assert.Equal("disconnected", shop.GetProperty("connectionStatus").GetString());
        Assert.Empty(sandbox.Queue.DeadLetters);
    }

    [Fact]
    public async Task Expiring_authorisation_is_shown_on_the_shop()
    {
        await using var sandbox = await StartAsync();
        await sandbox.ConnectShopAsync("whexp");
        sandbox.EnableWebhooks();

        sandbox.TikTok.SendUpcomingAuthorizationExpiration("whexp");
        await sandbox.SettleAsync();

        var shop = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/shops/whexp");
        Assert.Equal("expiring", shop.GetProperty("connectionStatus").GetString());
        Assert.Contains("expires on", shop.GetProperty("connectionMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_changed_on_tiktok_before_shipping_reaches_the_store_order()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("whaddr");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("whaddr", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("whaddr");
        Assert.Equal("Culver City", Assert.Single(store.Orders).ShippingAddress?.City);
        sandbox.EnableWebhooks();

        sandbox.TikTok.UpdateRecipientAddress(order.Id, new SimAddressSpec { Name = "Jane Doe", AddressLine1 = "1 Market St", City = "San Francisco", County = "San Francisco County", PostalCode = "94105" });
        await sandbox.SettleAsync();

        var updated = Assert.Single(store.Orders);
        Assert.Equal("San Francisco", updated.ShippingAddress?.City);
        Assert.Equal("1 Market St", updated.ShippingAddress?.Address1);
        var view = await sandbox.GetOrderAsync("whaddr", order.Id);
        Assert.Contains(view.GetProperty("activity").EnumerateArray(), a => a.GetProperty("message").GetString()!.Contains("new delivery address", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_partial_shipment_by_tiktok_fulfils_the_shipped_units_when_partial_shipping_is_on(bool partialShipping)
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("whpart" + (partialShipping ? "on" : "off"), settings: new { partialShipping });
        var shopId = "whpart" + (partialShipping ? "on" : "off");
        store.AddProduct("Mug", ("MUG-1", 9m, 50), ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder(shopId, TestOrders.Spec(("MUG-1", 2, 9m), ("CAP-1", 2, 12m)) with { ShippingType = "TIKTOK" });
        await sandbox.FetchAndWaitAsync(shopId);
        sandbox.EnableWebhooks();

        sandbox.TikTok.AdvanceTo(order.Id, "PARTIALLY_SHIPPING");
        await sandbox.SettleAsync();

        var shipped = sandbox.TikTok.GetOrder(order.Id).LineItems.Count(l => !string.IsNullOrEmpty(l.TrackingNumber));
        Assert.InRange(shipped, 1, 3);
        var fulfilled = Assert.Single(store.Orders).Fulfillments.Sum(f => f.LineItems.Sum(l => l.Quantity));
        Assert.Equal(partialShipping ? shipped : 0, fulfilled);

        // When the rest ships, the whole order is fulfilled either way, and nothing twice.
        sandbox.TikTok.AdvanceTo(order.Id, "IN_TRANSIT");
        await sandbox.SettleAsync();
        Assert.Equal(4, Assert.Single(store.Orders).Fulfillments.Sum(f => f.LineItems.Sum(l => l.Quantity)));
    }
}
