using System.Globalization;
using System.Text.Json;
using Connector.Functions;
using Connector.Messaging;
using Connector.Orders;
using Connector.State;
using Connector.Stores.Shopify;
using Microsoft.Extensions.Options;

namespace Connector.Web;

/// <summary>
/// <c>POST /api/webhooks/shopify/{shopId}</c> (anonymous, proxied): Shopify's orders/updated for one shop. The signature
/// is checked with the shop's app secret; an order Connector created becomes a <see cref="StoreChangeWork"/> at once
/// (no Shopify or TikTok call in the request: Shopify wants a quick 200). Webhooks are a hint; the fetch runs' store scan
/// still catches what a lost webhook missed.
/// </summary>
public static class ShopifyWebhookEndpoint
{
    /// <summary>An order payload with many lines and fulfilments stays far below this.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Shopify's webhook ids are UUIDs (36 characters) and order gids about 40; anything longer is not Shopify's.</summary>
    public const int MaxWebhookIdLength = 128;

    public static void MapShopifyWebhookEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/webhooks/shopify/{shopId}", ReceiveAsync).ForFunction("ShopifyWebhook").WithInput(RouteInput.Body(MaxBodyBytes));

    private static async Task<IResult> ReceiveAsync(
        string shopId, HttpRequest request, ShopStore shops, DedupeStore dedupe, IQueueSender sender, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!ShopIds.IsValid(shopId))
        {
            return ShopIds.Problem();
        }

        var body = await RequestBodies.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large.", detail: $"Webhook bodies are at most {MaxBodyBytes} bytes.");
        }

        // An unknown shop and a wrong signature look the same from outside: nothing tells a prober which shops exist.
        var shop = await shops.GetAsync(shopId, cancellationToken);
        if (shop is null || !ShopifyWebhooks.SignatureMatches(shop.StoreWebhookSecret, body, request.Headers["X-Shopify-Hmac-Sha256"].ToString()))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Signature mismatch.",
                detail: "X-Shopify-Hmac-Sha256 must be the base64 HMAC-SHA256 of the body with the shop's Shopify app secret.");
        }

        if (request.Headers["X-Shopify-Topic"].ToString() == ShopifyStockWebhook.Topic)
        {
            return await ShopifyStockWebhook.ReceiveAsync(shopId, body, request, dedupe, sender, time, cancellationToken);
        }

        ShopifyOrderWebhook? order;
        try
        {
            order = JsonSerializer.Deserialize<ShopifyOrderWebhook>(body);
        }
        catch (JsonException e)
        {
            return Problems.JsonProblem(e);
        }

        // Checked before anything is queued or remembered: the id becomes a table key and a message id.
        var webhookId = request.Headers["X-Shopify-Webhook-Id"].ToString();
        if (webhookId.Length > MaxWebhookIdLength || !webhookId.All(c => c is > ' ' and < '\u007f'))
        {
            return Problems.Invalid("X-Shopify-Webhook-Id", $"At most {MaxWebhookIdLength} visible ASCII characters.");
        }

        if (order is null || !string.Equals(order.SourceName, "tiktok_shop", StringComparison.Ordinal) || !TikTok.TikTokIds.IsOrderId(order.SourceIdentifier)
            || order.AdminGraphqlApiId is not { Length: > 0 and <= MaxWebhookIdLength } || !order.AdminGraphqlApiId.StartsWith("gid://shopify/Order/", StringComparison.Ordinal))
        {
            return TypedResults.Ok(new { received = true, outcome = "not an order Connector created" });
        }

        var dedupeKey = $"shopify:{(webhookId.Length > 0 ? webhookId : $"{order.AdminGraphqlApiId}:{order.UpdatedAt}")}";
        if (await dedupe.SeenAsync(shopId, dedupeKey, cancellationToken))
        {
            return TypedResults.Ok(new { received = true, outcome = "duplicate" });
        }

        var changedAt = DateTimeOffset.TryParse(order.UpdatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var updated)
            ? updated.ToUnixTimeMilliseconds() : 0;
        await sender.SendAsync(new StoreChangeWork
        {
            ShopId = shopId,
            OrderId = order.SourceIdentifier!,
            StoreOrderId = order.AdminGraphqlApiId!,
            ChangedAt = changedAt,
            RunId = "w" + (webhookId.Length > 0 ? webhookId : changedAt.ToString(CultureInfo.InvariantCulture)),
            FromWebhook = true,
        }, cancellationToken);

        // Enqueue first, remember second: a failure in between repeats harmlessly instead of losing the change.
        await dedupe.RememberAsync(shopId, dedupeKey, 0, cancellationToken);
        return TypedResults.Ok(new { received = true, outcome = "queued" });
    }

    /// <summary>The few fields of Shopify's REST order payload Connector reads.</summary>
    private sealed record ShopifyOrderWebhook(
        [property: System.Text.Json.Serialization.JsonPropertyName("admin_graphql_api_id")] string? AdminGraphqlApiId,
        [property: System.Text.Json.Serialization.JsonPropertyName("source_name")] string? SourceName,
        [property: System.Text.Json.Serialization.JsonPropertyName("source_identifier")] string? SourceIdentifier,
        [property: System.Text.Json.Serialization.JsonPropertyName("updated_at")] string? UpdatedAt);
}
