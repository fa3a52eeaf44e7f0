using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>Order webhooks delivered to a local receiver: topics per change, REST body, headers and HMAC, retries, loss, duplicates.</summary>
public sealed class WebhookDeliveryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static async Task<(TestShop Shop, WebhookReceiver Receiver, string OrderId)> StartAsync(ShopifySimulatorOptions? options = null, params string[] topics)
    {
        var shop = await TestShop.StartAsync(options);
        var receiver = await WebhookReceiver.StartAsync();
        foreach (var topic in topics)
        {
            var created = await WebhookSubscriptionTests.SubscribeAsync(shop, topic, receiver.Url("/shopify/" + topic.ToLowerInvariant()));
            Assert.Empty(created["userErrors"]!.AsArray());
        }

        var variants = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 10), ("CAP-2", 14.5m, 10));
        var order = new JsonObject
        {
            ["email"] = "buyer@tiktok.example",
            ["sourceName"] = "tiktok_shop",
            ["sourceIdentifier"] = "576-1",
            ["tags"] = new JsonArray("TikTok Shop", "Express"),
            ["lineItems"] = new JsonArray(
                new JsonObject { ["variantId"] = variants[0], ["quantity"] = 3 },
                new JsonObject { ["variantId"] = variants[1], ["quantity"] = 1 }),
        };
        var orderId = (string)(await shop.DataAsync(TestShop.OrderCreate, new { order }))["orderCreate"]!["order"]!["id"]!;
        return (shop, receiver, orderId);
    }

    [Fact]
    public async Task Fulfilments_send_orders_updated_and_partially_fulfilled_then_fulfilled_with_the_REST_shape_and_a_valid_hmac()
    {
        var (shop, receiver, orderId) = await StartAsync(null, "ORDERS_UPDATED", "ORDERS_PARTIALLY_FULFILLED", "ORDERS_FULFILLED", "ORDERS_CANCELLED");
        await using var shopScope = shop;
        await using var receiverScope = receiver;

        shop.Shop.FulfillAsMerchant(orderId, "1Z999AA10000000001", "UPS", new Dictionary<string, int> { ["CAP-1"] = 2 });
        shop.Shop.FulfillAsMerchant(orderId, "1Z999AA10000000002", "UPS");
        await shop.Simulator.WaitForWebhooksAsync(Wait);

        var updated = receiver.At("/shopify/orders_updated");
        Assert.Equal(2, updated.Count);
        Assert.Single(receiver.At("/shopify/orders_partially_fulfilled"));
        Assert.Single(receiver.At("/shopify/orders_fulfilled"));
        Assert.Empty(receiver.At("/shopify/orders_cancelled"));
        Assert.All(receiver.All, r => Assert.True(r.HmacValid(shop.Shop.ApiSecretKey)));
        Assert.All(receiver.All, r => Assert.False(r.HmacValid("wrong-secret")));

        // Change order: the partial fulfilment's webhooks first.
        Assert.Equal("partial", (string?)updated[0].Json["fulfillment_status"]);
        var body = updated[1].Json;
        var headers = updated[1].Headers;
        Assert.Equal("orders/updated", headers["X-Shopify-Topic"]);
        Assert.Equal("test-shop.myshopify.com", headers["X-Shopify-Shop-Domain"]);
        Assert.Equal("2026-01", headers["X-Shopify-API-Version"]);
        Assert.StartsWith("application/json", headers["Content-Type"], StringComparison.Ordinal);
        Assert.True(Guid.TryParse(headers["X-Shopify-Webhook-Id"], out _));
        Assert.True(Guid.TryParse(headers["X-Shopify-Event-Id"], out _));
        Assert.True(DateTimeOffset.TryParse(headers["X-Shopify-Triggered-At"], CultureInfo.InvariantCulture, out _));
        Assert.Equal("orders/partially_fulfilled", receiver.At("/shopify/orders_partially_fulfilled")[0].Topic);
        Assert.Equal("orders/fulfilled", receiver.At("/shopify/orders_fulfilled")[0].Topic);

        var order = shop.Shop.FindOrder(orderId)!;
        Assert.Equal(long.Parse(orderId.Split('/')[^1], CultureInfo.InvariantCulture), (long)body["id"]!);
        Assert.Equal(orderId, (string?)body["admin_graphql_api_id"]);
        Assert.Equal("#1001", (string?)body["name"]);
        Assert.Equal("buyer@tiktok.example", (string?)body["email"]);
        Assert.Equal("tiktok_shop", (string?)body["source_name"]);
        Assert.Equal("576-1", (string?)body["source_identifier"]);
        Assert.Equal("TikTok Shop, Express", (string?)body["tags"]);
        Assert.Equal("USD", (string?)body["currency"]);
        Assert.Equal("50.50", (string?)body["total_price"]);
        Assert.Equal("pending", (string?)body["financial_status"]);
        Assert.Equal("fulfilled", (string?)body["fulfillment_status"]);
        Assert.Null(body["cancelled_at"]);
        Assert.Null(body["cancel_reason"]);
        Assert.Null(body["closed_at"]);
        Assert.Equal(Seconds(order.UpdatedAt), DateTimeOffset.Parse((string)body["updated_at"]!, CultureInfo.InvariantCulture));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", (string)body["created_at"]!);

        var lines = body["line_items"]!.AsArray();
        Assert.Equal(["CAP-1", "CAP-2"], lines.Select(l => (string)l!["sku"]!));
        Assert.Equal(order.LineItems[0].Id, (string?)lines[0]!["admin_graphql_api_id"]);
        Assert.Equal(long.Parse(order.LineItems[0].VariantId!.Split('/')[^1], CultureInfo.InvariantCulture), (long)lines[0]!["variant_id"]!);
        Assert.Equal(3, (int)lines[0]!["quantity"]!);
        Assert.Equal(0, (int)lines[0]!["fulfillable_quantity"]!);
        Assert.Equal("Cap", (string?)lines[0]!["title"]);
        Assert.Equal("12.00", (string?)lines[0]!["price"]);

        var fulfillments = body["fulfillments"]!.AsArray();
        Assert.Equal(2, fulfillments.Count);
        var first = fulfillments[0]!;
        Assert.Equal(order.Fulfillments[0].Id, (string?)first["admin_graphql_api_id"]);
        Assert.Equal("success", (string?)first["status"]);
        Assert.Equal("UPS", (string?)first["tracking_company"]);
        Assert.Equal("1Z999AA10000000001", (string?)first["tracking_number"]);
        Assert.Equal(["1Z999AA10000000001"], first["tracking_numbers"]!.AsArray().Select(n => (string)n!));
        Assert.Empty(first["tracking_urls"]!.AsArray());
        Assert.NotNull((string?)first["created_at"]);
        var shipped = Assert.Single(first["line_items"]!.AsArray())!;
        Assert.Equal("CAP-1", (string?)shipped["sku"]);
        Assert.Equal(2, (int)shipped["quantity"]!);
        Assert.Equal((long)lines[0]!["id"]!, (long)shipped["id"]!);
        Assert.Equal((long)lines[0]!["variant_id"]!, (long)shipped["variant_id"]!);
        Assert.Equal(["CAP-1", "CAP-2"], fulfillments[1]!["line_items"]!.AsArray().Select(l => (string)l!["sku"]!));
    }

    [Fact]
    public async Task A_cancel_sends_orders_cancelled_and_orders_updated_and_nothing_to_other_topics()
    {
        var (shop, receiver, orderId) = await StartAsync(null, "ORDERS_CANCELLED", "ORDERS_UPDATED", "ORDERS_FULFILLED", "ORDERS_PARTIALLY_FULFILLED");
        await using var shopScope = shop;
        await using var receiverScope = receiver;
        await WebhookSubscriptionTests.SubscribeAsync(shop, "ORDERS_CREATE", receiver.Url("/shopify/orders_create"));
        await WebhookSubscriptionTests.SubscribeAsync(shop, "PRODUCTS_UPDATE", receiver.Url("/shopify/products_update"));

        shop.Shop.CancelAsMerchant(orderId, reason: "INVENTORY", restock: true, staffNote: "Out of stock");
        await shop.Simulator.WaitForWebhooksAsync(Wait);

        var cancelled = Assert.Single(receiver.At("/shopify/orders_cancelled"));
        var updated = Assert.Single(receiver.At("/shopify/orders_updated"));
        Assert.Equal(2, receiver.All.Count);
        Assert.Equal("orders/cancelled", cancelled.Topic);
        Assert.True(cancelled.HmacValid(shop.Shop.ApiSecretKey));
        Assert.NotEqual(cancelled.Headers["X-Shopify-Webhook-Id"], updated.Headers["X-Shopify-Webhook-Id"]);
        var body = cancelled.Json;
        var order = shop.Shop.FindOrder(orderId)!;
        Assert.Equal(Seconds(order.CancelledAt!.Value), DateTimeOffset.Parse((string)body["cancelled_at"]!, CultureInfo.InvariantCulture));
        Assert.Equal("inventory", (string?)body["cancel_reason"]);
        Assert.Null(body["fulfillment_status"]);
        Assert.Empty(body["fulfillments"]!.AsArray());
        Assert.All(body["line_items"]!.AsArray(), l => Assert.Equal(0, (int)l!["fulfillable_quantity"]!));
        Assert.Equal(body.ToJsonString(), updated.Json.ToJsonString());
    }

    [Fact]
    public async Task Order_creation_sends_orders_create_only()
    {
        await using var shop = await TestShop.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await WebhookSubscriptionTests.SubscribeAsync(shop, "ORDERS_CREATE", receiver.Url("/create"));
        await WebhookSubscriptionTests.SubscribeAsync(shop, "ORDERS_UPDATED", receiver.Url("/updated"));
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 10))[0];

        var orderId = (string)(await shop.CreateOrderAsync(variant, 1, "576-9"))["order"]!["id"]!;
        await shop.Simulator.WaitForWebhooksAsync(Wait);

        var created = Assert.Single(receiver.All);
        Assert.Equal("/create", created.Path);
        Assert.Equal("orders/create", created.Topic);
        Assert.Equal(orderId, (string?)created.Json["admin_graphql_api_id"]);
    }

    [Fact]
    public async Task A_500_is_retried_with_the_same_webhook_id_and_body()
    {
        var (shop, receiver, orderId) = await StartAsync(null, "ORDERS_UPDATED");
        await using var shopScope = shop;
        await using var receiverScope = receiver;
        receiver.Answer(500, 2);

        shop.Shop.FulfillAsMerchant(orderId, "1Z1", "UPS");
        await shop.Simulator.WaitForWebhooksAsync(Wait);

        var received = receiver.At("/shopify/orders_updated");
        Assert.Equal([500, 500, 200], received.Select(r => r.AnsweredStatus));
        Assert.Single(received.Select(r => r.Headers["X-Shopify-Webhook-Id"]).Distinct());
        Assert.Single(received.Select(r => Convert.ToBase64String(r.Body)).Distinct());
        Assert.All(received, r => Assert.True(r.HmacValid(shop.Shop.ApiSecretKey)));

        var deliveries = shop.Simulator.WebhookDeliveries;
        Assert.Equal([0, 1, 2], deliveries.Select(d => d.Attempt));
        Assert.Equal([500, 500, 200], deliveries.Select(d => d.ResponseStatus ?? 0));
        Assert.All(deliveries, d => Assert.Equal("orders/updated", d.Topic));
        Assert.All(deliveries, d => Assert.Equal(orderId, d.OrderId));
        Assert.True(deliveries[^1].Succeeded);
        Assert.Equal(received[0].Headers["X-Shopify-Webhook-Id"], deliveries[0].WebhookId);
        Assert.Equal(deliveries[0].Headers["X-Shopify-Hmac-Sha256"], received[0].Headers["X-Shopify-Hmac-Sha256"]);
        Assert.Equal(shop.Simulator.WebhookDeliveries, shop.Shop.WebhookDeliveries);
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_gets_the_whole_schedule_then_nothing()
    {
        var options = new ShopifySimulatorOptions { WebhookRetrySchedule = [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20)] };
        var (shop, receiver, orderId) = await StartAsync(options, "ORDERS_UPDATED");
        await using var shopScope = shop;
        await using var receiverScope = receiver;
        receiver.Answer(503, 10);

        shop.Shop.CancelAsMerchant(orderId);
        await shop.Simulator.WaitForWebhooksAsync(Wait);

        Assert.Equal(3, receiver.All.Count);
        Assert.All(shop.Simulator.WebhookDeliveries, d => Assert.Equal(503, d.ResponseStatus));
    }

    [Fact]
    public async Task Dropped_webhooks_are_recorded_not_sent_and_duplicates_share_their_ids()
    {
        var (dropShop, dropReceiver, dropOrder) = await StartAsync(new ShopifySimulatorOptions { WebhookDropProbability = 1 }, "ORDERS_UPDATED");
        await using (dropShop)
        await using (dropReceiver)
        {
            dropShop.Shop.CancelAsMerchant(dropOrder);
            await dropShop.Simulator.WaitForWebhooksAsync(Wait);

            Assert.Empty(dropReceiver.All);
            var dropped = Assert.Single(dropShop.Simulator.WebhookDeliveries);
            Assert.True(dropped.Dropped);
            Assert.Null(dropped.ResponseStatus);
        }

        var (shop, receiver, orderId) = await StartAsync(new ShopifySimulatorOptions { WebhookDuplicateProbability = 1 }, "ORDERS_UPDATED");
        await using var shopScope = shop;
        await using var receiverScope = receiver;
        shop.Shop.CancelAsMerchant(orderId);
        await shop.Simulator.WaitForWebhooksAsync(Wait);

        Assert.Equal(2, receiver.All.Count);
        Assert.Single(receiver.All.Select(r => (r.Headers["X-Shopify-Webhook-Id"], r.Headers["X-Shopify-Event-Id"])).Distinct());
        Assert.Equal([false, true], shop.Simulator.WebhookDeliveries.Select(d => d.IsDuplicate));
    }

    [Fact]
    public async Task Include_fields_trims_the_body()
    {
        var (shop, receiver, orderId) = await StartAsync(null);
        await using var shopScope = shop;
        await using var receiverScope = receiver;
        await WebhookSubscriptionTests.SubscribeAsync(shop, "ORDERS_UPDATED", receiver.Url("/trimmed"), new { includeFields = new[] { "id", "updated_at", "line_items.sku" } });

        shop.Shop.CancelAsMerchant(orderId);
        await shop.Simulator.WaitForWebhooksAsync(Wait);

        var body = Assert.Single(receiver.All).Json;
        Assert.Equal(["id", "updated_at", "line_items"], body.Select(p => p.Key));
        Assert.Equal("""[{"sku":"CAP-1"},{"sku":"CAP-2"}]""", body["line_items"]!.ToJsonString());
    }

    [Fact]
    public async Task Each_shop_signs_with_its_own_secret_and_the_control_plane_lists_webhooks()
    {
        var (shop, receiver, orderId) = await StartAsync(null, "ORDERS_UPDATED");
        await using var shopScope = shop;
        await using var receiverScope = receiver;
        var other = shop.Simulator.AddShop("other-shop");
        Assert.NotEqual(shop.Shop.ApiSecretKey, other.ApiSecretKey);

        shop.Shop.CancelAsMerchant(orderId);
        await shop.Simulator.WaitForWebhooksAsync(Wait);
        var webhooks = JsonNode.Parse(await shop.Http.GetStringAsync(new Uri(shop.Simulator.BaseUrl, "/_sim/stores/test-shop/webhooks")))!;

        Assert.False(Assert.Single(receiver.All).HmacValid(other.ApiSecretKey));
        Assert.Equal("ORDERS_UPDATED", (string?)webhooks["subscriptions"]![0]!["topic"]);
        Assert.Equal(200, (int)webhooks["deliveries"]![0]!["responseStatus"]!);
        Assert.Empty(other.WebhookDeliveries);
    }

    /// <summary>REST times, like the Admin API's DateTime, have whole seconds.</summary>
    private static DateTimeOffset Seconds(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);
}
