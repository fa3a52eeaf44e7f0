namespace Connector.Sandbox.Shopify;

/// <summary>A shop-scoped webhook subscription made with webhookSubscriptionCreate (immutable; deleted, never changed).</summary>
public sealed record SimShopifyWebhookSubscription(
    string Id,
    string Topic,
    string Uri,
    string Format,
    IReadOnlyList<string> IncludeFields,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The header form of <see cref="Topic"/>: ORDERS_PARTIALLY_FULFILLED → <c>orders/partially_fulfilled</c>.</summary>
    public string TopicHeader => ToHeader(Topic);

    /// <summary>
    /// WebhookSubscriptionTopic → X-Shopify-Topic, lower case: the first '_' becomes '/' for the order topics
    /// (ORDERS_UPDATED → orders/updated), the last for the inventory ones (INVENTORY_LEVELS_UPDATE → inventory_levels/update).
    /// </summary>
    public static string ToHeader(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var underscore = topic.StartsWith("INVENTORY_", StringComparison.Ordinal) ? topic.LastIndexOf('_') : topic.IndexOf('_', StringComparison.Ordinal);
        var header = underscore < 0 ? topic : topic[..underscore] + "/" + topic[(underscore + 1)..];
        return header.ToLowerInvariant();
    }
}

/// <summary>
/// One webhook attempt (or a dropped webhook, never sent). Retries of a webhook share <see cref="WebhookId"/> and
/// <see cref="Body"/>; <see cref="Attempt"/> is 0 for the first try.
/// </summary>
public sealed record ShopifyWebhookDelivery
{
    public required string ShopName { get; init; }

    public required string SubscriptionId { get; init; }

    /// <summary>The X-Shopify-Topic value, e.g. <c>orders/updated</c>.</summary>
    public required string Topic { get; init; }

    public required string Uri { get; init; }

    /// <summary>X-Shopify-Webhook-Id: one per webhook, the same on its retries and duplicates.</summary>
    public required string WebhookId { get; init; }

    /// <summary>X-Shopify-Event-Id: one per event (order change and topic), the same for every subscription.</summary>
    public required string EventId { get; init; }

    /// <summary>The order gid the webhook is about.</summary>
    public required string OrderId { get; init; }

    /// <summary>The exact body sent (UTF-8 JSON).</summary>
    public required string Body { get; init; }

    /// <summary>Every X-Shopify-* header and Content-Type, as sent.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required int Attempt { get; init; }

    public bool IsDuplicate { get; init; }

    /// <summary>Lost by <see cref="ShopifySimulatorOptions.WebhookDropProbability"/>: recorded, never sent.</summary>
    public bool Dropped { get; init; }

    /// <summary>The receiver's status code; null when dropped or on a transport error/timeout.</summary>
    public int? ResponseStatus { get; init; }

    public string? Error { get; init; }

    public required DateTimeOffset Time { get; init; }

    public bool Succeeded => ResponseStatus is >= 200 and < 300;
}
