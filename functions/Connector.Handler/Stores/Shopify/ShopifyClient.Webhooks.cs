namespace Connector.Stores.Shopify;

/// <summary>Connector's one webhook subscription per shop: orders/updated to its own webhook route.</summary>
public sealed partial class ShopifyClient
{
    /// <summary>Subscribes the shop's orders/updated to <paramref name="uri"/> unless it already is; returns the subscription id.</summary>
    public async Task<string> EnsureOrdersWebhookAsync(StoreAccess shop, Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var existing = await QueryAsync(shop, ShopifyQueries.WebhookSubscriptions, new { uri = uri.ToString() }, cancellationToken);
        var found = (existing?["webhookSubscriptions"]?["nodes"]?.AsArray() ?? [])
            .FirstOrDefault(n => string.Equals((string?)n?["uri"], uri.ToString(), StringComparison.Ordinal));
        if (found is not null)
        {
            return (string)found["id"]!;
        }

        var data = await QueryAsync(shop, ShopifyQueries.WebhookSubscriptionCreate, new { uri = uri.ToString() }, cancellationToken);
        var payload = data?["webhookSubscriptionCreate"];
        var errors = payload?["userErrors"]?.AsArray() ?? [];
        if (errors.Count > 0)
        {
            throw new StoreRejectedException($"Shopify refused the orders/updated webhook: {string.Join("; ", errors.Select(e => (string?)e?["message"]))}");
        }

        return (string?)payload?["webhookSubscription"]?["id"]
            ?? throw new StoreRejectedException("Shopify answered the webhook subscription without an id.");
    }
}
