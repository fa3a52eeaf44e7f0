using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

public sealed partial class TikTokSimulator
{
    /// <summary>Every webhook attempt so far (dropped notifications included, with <see cref="SimWebhookDelivery.Dropped"/>).</summary>
    public IReadOnlyList<SimWebhookDelivery> WebhookDeliveries => _webhooks.Deliveries;

    public Uri? WebhookUrl => _webhooks.Url;

    /// <summary>Where later notifications go; null stops sending. Notifications already queued keep their URL.</summary>
    public void SetWebhookUrl(Uri? url) => _webhooks.Url = url;

    /// <summary>Waits until every notification has been acknowledged (2xx) or has used up its retries; throws <see cref="TimeoutException"/>.</summary>
    public Task WaitForWebhooksIdleAsync(TimeSpan timeout) => _webhooks.WaitForIdleAsync(timeout);

    /// <summary>Sends any webhook type with the §7.2 envelope; returns its tts_notification_id (null when no URL is set).</summary>
    public string? SendWebhook(int type, string shopId, JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(data);
        lock (_gate)
        {
            Shop(shopId);
            return PublishLocked(type, shopId, data);
        }
    }

    /// <summary>Type 3 RECIPIENT_ADDRESS_UPDATE for the order as it is (see <see cref="UpdateRecipientAddress"/> to also change it).</summary>
    public string? SendRecipientAddressUpdate(string orderId)
    {
        lock (_gate)
        {
            var order = Order(orderId);
            return PublishLocked(3, order.ShopId, new JsonObject { ["order_id"] = orderId, ["update_time"] = order.UpdateTime });
        }
    }

    /// <summary>Type 6 SELLER_DEAUTHORIZATION; by default also revokes the shop's tokens.</summary>
    public string? SendSellerDeauthorization(string shopId, bool revokeTokens = true)
    {
        if (revokeTokens)
        {
            RevokeTokens(shopId);
        }

        return SendWebhook(6, shopId, new JsonObject
        {
            ["message"] = $"Shop_id {shopId} is deauthorized from your APP by merchant.",
        });
    }

    /// <summary>Type 7 UPCOMING_AUTHORIZATION_EXPIRATION; expiration_time is a string timestamp (the refresh token's expiry), as in the sample.</summary>
    public string? SendUpcomingAuthorizationExpiration(string shopId)
    {
        var shop = GetShop(shopId);
        var days = Math.Max(0, (shop.RefreshTokenExpiresAt - Now()) / 86400);
        return SendWebhook(7, shopId, new JsonObject
        {
            ["message"] = $"Authorization of shop_id {shopId} is expirating in {days} days. Please direct the merchant to re-authorize.",
            ["expiration_time"] = shop.RefreshTokenExpiresAt.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Type 11 CANCELLATION_STATUS_CHANGE for an order.</summary>
    public string? SendCancellationStatusChange(string orderId, string cancelStatus = "CANCELLATION_REQUEST_PENDING", string role = "BUYER", string? cancelId = null)
    {
        lock (_gate)
        {
            var order = Order(orderId);
            return PublishLocked(11, order.ShopId, CancellationData(orderId, role, cancelStatus, cancelId ?? _ids.Digits("40", 19), Now()));
        }
    }
}
