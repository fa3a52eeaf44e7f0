using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>webhookSubscriptionCreate/Delete and webhookSubscription(s), over HTTP and validated against the schema.</summary>
public sealed class WebhookSubscriptionTests
{
    internal const string Create = """
        mutation Subscribe($topic: WebhookSubscriptionTopic!, $input: WebhookSubscriptionInput!) {
          webhookSubscriptionCreate(topic: $topic, webhookSubscription: $input) {
            webhookSubscription { id legacyResourceId topic uri callbackUrl format createdAt updatedAt includeFields filter apiVersion { handle } }
            userErrors { field message }
          }
        }
        """;

    private const string List = """
        query Subscriptions($topics: [WebhookSubscriptionTopic!], $uri: String, $after: String) {
          webhookSubscriptions(first: 2, after: $after, topics: $topics, uri: $uri) {
            nodes { id topic uri }
            edges { cursor node { id } }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    private const string Delete = """
        mutation Unsubscribe($id: ID!) {
          webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
        }
        """;

    internal static async Task<JsonObject> SubscribeAsync(TestShop shop, string topic, string uri, object? extra = null)
    {
        var input = new JsonObject { ["uri"] = uri, ["format"] = "JSON" };
        foreach (var (key, value) in extra is null ? [] : System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject())
        {
            input[key] = value?.DeepClone();
        }

        return (await shop.DataAsync(Create, new { topic, input }))["webhookSubscriptionCreate"]!.AsObject();
    }

    [Fact]
    public async Task Create_list_read_and_delete_a_subscription()
    {
        await using var shop = await TestShop.StartAsync();

        var created = await SubscribeAsync(shop, "ORDERS_UPDATED", "https://connector.example/webhooks/shopify");
        await SubscribeAsync(shop, "ORDERS_CANCELLED", "https://connector.example/webhooks/shopify");
        await SubscribeAsync(shop, "ORDERS_FULFILLED", "https://connector.example/webhooks/shopify");
        await SubscribeAsync(shop, "ORDERS_UPDATED", "https://other.example/hooks");

        Assert.Empty(created["userErrors"]!.AsArray());
        var subscription = created["webhookSubscription"]!;
        var id = (string)subscription["id"]!;
        Assert.StartsWith("gid://shopify/WebhookSubscription/", id, StringComparison.Ordinal);
        Assert.Equal(id.Split('/')[^1], (string?)subscription["legacyResourceId"]);
        Assert.Equal("ORDERS_UPDATED", (string?)subscription["topic"]);
        Assert.Equal("https://connector.example/webhooks/shopify", (string?)subscription["uri"]);
        Assert.Equal("https://connector.example/webhooks/shopify", (string?)subscription["callbackUrl"]);
        Assert.Equal("JSON", (string?)subscription["format"]);
        Assert.Empty(subscription["includeFields"]!.AsArray());
        Assert.Null(subscription["filter"]);
        Assert.Equal("2026-01", (string?)subscription["apiVersion"]!["handle"]);
        Assert.NotNull((string?)subscription["createdAt"]);

        var page1 = (await shop.DataAsync(List, new { uri = "https://connector.example/webhooks/shopify" }))["webhookSubscriptions"]!;
        Assert.Equal(["ORDERS_UPDATED", "ORDERS_CANCELLED"], page1["nodes"]!.AsArray().Select(n => (string)n!["topic"]!));
        Assert.Equal(id, (string?)page1["edges"]![0]!["node"]!["id"]);
        Assert.True((bool)page1["pageInfo"]!["hasNextPage"]!);
        var page2 = (await shop.DataAsync(List, new { uri = "https://connector.example/webhooks/shopify", after = (string)page1["pageInfo"]!["endCursor"]! }))["webhookSubscriptions"]!;
        Assert.Equal(["ORDERS_FULFILLED"], page2["nodes"]!.AsArray().Select(n => (string)n!["topic"]!));

        var byTopic = (await shop.DataAsync(List, new { topics = new[] { "ORDERS_UPDATED" } }))["webhookSubscriptions"]!;
        Assert.Equal(["https://connector.example/webhooks/shopify", "https://other.example/hooks"], byTopic["nodes"]!.AsArray().Select(n => (string)n!["uri"]!));

        var read = await shop.DataAsync("query($id: ID!) { webhookSubscription(id: $id) { id topic uri } }", new { id });
        Assert.Equal("ORDERS_UPDATED", (string?)read["webhookSubscription"]!["topic"]);

        var deleted = (await shop.DataAsync(Delete, new { id }))["webhookSubscriptionDelete"]!;
        Assert.Equal(id, (string?)deleted["deletedWebhookSubscriptionId"]);
        Assert.Empty(deleted["userErrors"]!.AsArray());
        Assert.Null((await shop.DataAsync("query($id: ID!) { webhookSubscription(id: $id) { id } }", new { id }))["webhookSubscription"]);
        Assert.Equal(3, shop.Shop.WebhookSubscriptions.Count);

        var again = (await shop.DataAsync(Delete, new { id }))["webhookSubscriptionDelete"]!;
        Assert.Null(again["deletedWebhookSubscriptionId"]);
        Assert.Equal("Webhook subscription does not exist", (string?)again["userErrors"]![0]!["message"]);
    }

    [Fact]
    public async Task The_same_topic_and_uri_twice_is_a_user_error()
    {
        await using var shop = await TestShop.StartAsync();
        await SubscribeAsync(shop, "ORDERS_UPDATED", "https://connector.example/webhooks/shopify");

        var second = await SubscribeAsync(shop, "ORDERS_UPDATED", "https://connector.example/webhooks/shopify");
        var otherTopic = await SubscribeAsync(shop, "ORDERS_CANCELLED", "https://connector.example/webhooks/shopify");

        Assert.Null(second["webhookSubscription"]);
        var error = Assert.Single(second["userErrors"]!.AsArray())!;
        Assert.Equal("Address for this topic has already been taken", (string?)error["message"]);
        Assert.Equal(["webhookSubscription", "callbackUrl"], error["field"]!.AsArray().Select(f => (string)f!));
        Assert.Empty(otherTopic["userErrors"]!.AsArray());
        Assert.Equal(2, shop.Shop.WebhookSubscriptions.Count);
    }

    [Theory]
    [InlineData("http://connector.example/webhooks", "Address protocol http:// is not supported")]
    [InlineData("ftp://connector.example/webhooks", "Address is invalid")]
    [InlineData("not a url", "Address is invalid")]
    [InlineData("", "Address can't be blank")]
    public async Task A_bad_uri_is_a_user_error_on_uri(string uri, string message)
    {
        await using var shop = await TestShop.StartAsync();

        var payload = await SubscribeAsync(shop, "ORDERS_UPDATED", uri);

        Assert.Null(payload["webhookSubscription"]);
        var error = Assert.Single(payload["userErrors"]!.AsArray())!;
        Assert.Equal(message, (string?)error["message"]);
        Assert.Equal(["webhookSubscription", "uri"], error["field"]!.AsArray().Select(f => (string)f!));
        Assert.Empty(shop.Shop.WebhookSubscriptions);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/hooks")]
    [InlineData("http://localhost:5000/hooks")]
    [InlineData("http://[::1]:5000/hooks")]
    public async Task Http_is_accepted_on_loopback_only(string uri)
    {
        await using var shop = await TestShop.StartAsync();

        var payload = await SubscribeAsync(shop, "ORDERS_UPDATED", uri);

        Assert.Empty(payload["userErrors"]!.AsArray());
        Assert.Equal(uri, (string?)payload["webhookSubscription"]!["uri"]);
    }

    [Fact]
    public async Task Xml_format_is_a_user_error_and_a_filter_is_not_simulated()
    {
        await using var shop = await TestShop.StartAsync();

        var xml = (await shop.DataAsync(Create, new { topic = "ORDERS_UPDATED", input = new { uri = "https://connector.example/h", format = "XML" } }))["webhookSubscriptionCreate"]!;
        var (_, filtered) = await shop.PostAsync(Create, new { topic = "ORDERS_UPDATED", input = new { uri = "https://connector.example/h", filter = "source_name:tiktok_shop" } });

        Assert.Equal(["webhookSubscription", "format"], xml["userErrors"]![0]!["field"]!.AsArray().Select(f => (string)f!));
        Assert.Equal("SIMULATOR_NOT_IMPLEMENTED", (string?)filtered["errors"]![0]!["extensions"]!["code"]);
        Assert.Empty(shop.Shop.WebhookSubscriptions);
    }

    [Fact]
    public async Task A_topic_missing_from_the_schema_fails_validation()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync(Create, new { topic = "ORDERS_UPDATE", input = new { uri = "https://connector.example/h" } });

        Assert.Null(body["data"]);
        Assert.NotEmpty(body["errors"]!.AsArray());
    }
}
