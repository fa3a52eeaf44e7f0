using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify;

/// <summary>
/// Stock at the shop's single location (store-apis.md §2, Shopify inventory): every change of a variant's available
/// quantity — the merchant's, an order claiming stock, a cancellation restocking — is one <c>inventory_levels/update</c>
/// webhook to each INVENTORY_LEVELS_UPDATE subscription, with Shopify's REST inventory_level payload.
/// </summary>
public sealed partial class SimShopifyShop
{
    private long _graphQLRequests;

    /// <summary>GraphQL requests this shop received with a valid address (benchmarks count store calls with it).</summary>
    public long GraphQLRequests => Interlocked.Read(ref _graphQLRequests);

    internal void CountRequest() => Interlocked.Increment(ref _graphQLRequests);

    /// <summary>The shop's one location (<c>gid://shopify/Location/&lt;n&gt;</c>).</summary>
    public const long LocationNumber = 60_000_001;

    public static string LocationId => Gid.Create("Location", LocationNumber);

    /// <summary>The variant whose inventory item is <paramref name="inventoryItemGid"/>, or null (also for a gid of another type).</summary>
    public SimShopifyVariant? FindByInventoryItem(string? inventoryItemGid) =>
        Gid.TryParse(inventoryItemGid, "InventoryItem", out _)
            ? Volatile.Read(ref _variants).Values.FirstOrDefault(v => v.InventoryItemId == inventoryItemGid)
            : null;

    /// <summary>Stores a variant whose stock changed (caller holds the lock) and queues its inventory_levels/update webhooks.</summary>
    private void SaveVariantStock(long number, SimShopifyVariant variant)
    {
        var previous = _variants.GetValueOrDefault(number);
        _variants = _variants.SetItem(number, variant);
        if (previous is not null && previous.Inventory == variant.Inventory)
        {
            return;
        }

        var subscriptions = _webhookSubscriptions.Where(s => s.Topic == "INVENTORY_LEVELS_UPDATE").ToList();
        if (subscriptions.Count == 0)
        {
            return;
        }

        var item = Gid.Number(variant.InventoryItemId);
        var payload = new JsonObject
        {
            ["inventory_item_id"] = item,
            ["location_id"] = LocationNumber,
            ["available"] = variant.Inventory,
            ["updated_at"] = variant.UpdatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            ["admin_graphql_api_id"] = $"gid://shopify/InventoryLevel/{LocationNumber}?inventory_item_id={item}",
        };
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var eventId = Guid.NewGuid().ToString();
        foreach (var subscription in subscriptions)
        {
            var webhookId = Guid.NewGuid().ToString();
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Content-Type"] = "application/json",
                ["X-Shopify-Topic"] = subscription.TopicHeader,
                ["X-Shopify-Hmac-Sha256"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ApiSecretKey), body)),
                ["X-Shopify-Shop-Domain"] = MyshopifyDomain,
                ["X-Shopify-API-Version"] = _options.ApiVersion,
                ["X-Shopify-Webhook-Id"] = webhookId,
                ["X-Shopify-Event-Id"] = eventId,
                ["X-Shopify-Triggered-At"] = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            };
            _webhooks.Publish(new Webhooks.WebhookDispatcher.Webhook(Name, subscription.Id, subscription.TopicHeader, subscription.Uri, webhookId, eventId, variant.InventoryItemId, body, headers));
        }
    }
}
