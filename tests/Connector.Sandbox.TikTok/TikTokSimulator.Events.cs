using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// §7.5 Events API: GET/PUT/DELETE /event/202309/webhooks keep per-shop subscriptions (event_type → address). A shop's
/// subscription for a topic takes precedence over the app-wide <see cref="TikTokSimulatorOptions.WebhookUrl"/>.
/// </summary>
public sealed partial class TikTokSimulator
{
    /// <summary>§7.3: numeric webhook type ↔ event_type.</summary>
    private static readonly Dictionary<int, string> EventTypes = new()
    {
        [1] = "ORDER_STATUS_CHANGE",
        [2] = "REVERSE_STATUS_UPDATE",
        [3] = "RECIPIENT_ADDRESS_UPDATE",
        [4] = "PACKAGE_UPDATE",
        [5] = "PRODUCT_STATUS_CHANGE",
        [6] = "SELLER_DEAUTHORIZATION",
        [7] = "UPCOMING_AUTHORIZATION_EXPIRATION",
        [11] = "CANCELLATION_STATUS_CHANGE",
        [12] = "RETURN_STATUS_CHANGE",
        [15] = "PRODUCT_INFORMATION_CHANGE",
        [37] = "PRODUCT_AUDIT_STATUS_CHANGE",
    };

    /// <summary>§7.3: the event_type values PUT /event/202309/webhooks accepts (OAS).</summary>
    private static readonly HashSet<string> KnownEventTypes = new(StringComparer.Ordinal)
    {
        "ORDER_STATUS_CHANGE", "RECIPIENT_ADDRESS_UPDATE", "PACKAGE_UPDATE", "PRODUCT_STATUS_CHANGE", "SELLER_DEAUTHORIZATION",
        "UPCOMING_AUTHORIZATION_EXPIRATION", "CANCELLATION_STATUS_CHANGE", "RETURN_STATUS_CHANGE", "NEW_CONVERSATION", "NEW_MESSAGE",
        "PRODUCT_INFORMATION_CHANGE", "PRODUCT_CREATION", "PRODUCT_CATEGORY_CHANGE", "NEW_MESSAGE_LISTENER", "INVOICE_STATUS_CHANGE",
        "PRODUCT_AUDIT_STATUS_CHANGE", "REVERSE_STATUS_UPDATE",
    };

    private sealed record Subscription(Uri Address, long CreateTime, long UpdateTime);

    /// <summary>A shop's Events API subscriptions (event_type → address).</summary>
    public IReadOnlyDictionary<string, Uri> GetWebhookSubscriptions(string shopId)
    {
        lock (_gate)
        {
            return Shop(shopId).Subscriptions.ToDictionary(kv => kv.Key, kv => kv.Value.Address, StringComparer.Ordinal);
        }
    }

    /// <summary>Publishes with the shop's subscription for the topic, else the app-wide URL. Caller holds <see cref="_gate"/>.</summary>
    private string? PublishLocked(int type, string shopId, JsonObject data)
    {
        Uri? subscribed = null;
        if (EventTypes.TryGetValue(type, out var eventType) &&
            _shops.TryGetValue(shopId, out var shop) &&
            shop.Subscriptions.TryGetValue(eventType, out var subscription))
        {
            subscribed = subscription.Address;
        }

        return _webhooks.Publish(type, shopId, data, subscribed);
    }

    private async Task<ApiResult> GetShopWebhooksAsync(ApiCall call, CancellationToken cancellationToken)
    {
        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            var webhooks = new JsonArray();
            foreach (var (eventType, s) in call.Shop.Subscriptions.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                webhooks.Add(new JsonObject
                {
                    ["address"] = s.Address.ToString(),
                    ["create_time"] = s.CreateTime,
                    ["event_type"] = eventType,
                    ["update_time"] = s.UpdateTime,
                });
            }

            return ApiResult.Ok(new JsonObject { ["total_count"] = webhooks.Count, ["webhooks"] = webhooks });
        }
    }

    private async Task<ApiResult> UpdateShopWebhookAsync(ApiCall call, CancellationToken cancellationToken)
    {
        string eventType;
        Uri address;
        try
        {
            var body = ObjectBody(call.Body);
            eventType = EventType(body);

            // §7.5: "param body.address is missing" when the body lacks it (EcomPHP #27).
            var text = body.TryGetProperty("address", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (string.IsNullOrEmpty(text))
            {
                throw new ParamException("param body.address is missing");
            }

            if (text.Length > 255 || !Uri.TryCreate(text, UriKind.Absolute, out address!) || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
            {
                throw new ParamException("param body.address is invalid");
            }
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            var now = Now();
            var created = call.Shop.Subscriptions.TryGetValue(eventType, out var old) ? old.CreateTime : now;
            call.Shop.Subscriptions[eventType] = new Subscription(address, created, now);
            return ApiResult.Ok(new JsonObject());
        }
    }

    private async Task<ApiResult> DeleteShopWebhookAsync(ApiCall call, CancellationToken cancellationToken)
    {
        string eventType;
        try
        {
            eventType = EventType(ObjectBody(call.Body));
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            // "Regardless of whether webhook is configured or not, the result will return success."
            call.Shop.Subscriptions.Remove(eventType);
            return ApiResult.Ok(new JsonObject());
        }
    }

    private static string EventType(JsonElement body)
    {
        var eventType = body.TryGetProperty("event_type", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        if (string.IsNullOrEmpty(eventType))
        {
            throw new ParamException("param body.event_type is missing");
        }

        return KnownEventTypes.Contains(eventType) ? eventType : throw new ParamException("param body.event_type is invalid");
    }
}
