using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Connector.Messaging;
using Connector.State;

namespace Connector.Web;

/// <summary>
/// Shopify's <c>inventory_levels/update</c> on the shop's webhook route (signature already checked): the inventory item
/// whose stock changed becomes a <see cref="StoreStockChange"/> on the waiting lane. No Shopify or TikTok call here.
/// </summary>
public static class ShopifyStockWebhook
{
    public const string Topic = "inventory_levels/update";

    public static async Task<IResult> ReceiveAsync(
        string shopId, byte[] body, HttpRequest request, DedupeStore dedupe, IQueueSender sender, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        InventoryLevelWebhook? level;
        try
        {
            level = JsonSerializer.Deserialize<InventoryLevelWebhook>(body);
        }
        catch (JsonException e)
        {
            return Problems.JsonProblem(e);
        }

        var webhookId = request.Headers["X-Shopify-Webhook-Id"].ToString();
        if (webhookId.Length > ShopifyWebhookEndpoint.MaxWebhookIdLength || !webhookId.All(c => c is > ' ' and < '\u007f'))
        {
            return Problems.Invalid("X-Shopify-Webhook-Id", $"At most {ShopifyWebhookEndpoint.MaxWebhookIdLength} visible ASCII characters.");
        }

        if (level is not { InventoryItemId: > 0 })
        {
            return Problems.Invalid("inventory_item_id", "A positive integer.");
        }

        var changedAt = DateTimeOffset.TryParse(level.UpdatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var updated)
            ? updated.ToUnixTimeMilliseconds() : 0;
        var itemId = "gid://shopify/InventoryItem/" + level.InventoryItemId.ToString(CultureInfo.InvariantCulture);
        var dedupeKey = $"shopify-stock:{(webhookId.Length > 0 ? webhookId : $"{itemId}:{changedAt}")}";
        if (await dedupe.SeenAsync(shopId, dedupeKey, cancellationToken))
        {
            return TypedResults.Ok(new { received = true, outcome = "duplicate" });
        }

        await sender.SendAsync(new StoreStockChange { ShopId = shopId, ItemId = itemId, ChangedAt = changedAt, ReceivedAt = time.GetUtcNow() }, cancellationToken);
        await dedupe.RememberAsync(shopId, dedupeKey, 0, cancellationToken);
        return TypedResults.Ok(new { received = true, outcome = "queued" });
    }

    private sealed record InventoryLevelWebhook(
        [property: JsonPropertyName("inventory_item_id")] long InventoryItemId,
        [property: JsonPropertyName("location_id")] long LocationId,
        [property: JsonPropertyName("available")] int? Available,
        [property: JsonPropertyName("updated_at")] string? UpdatedAt);
}
