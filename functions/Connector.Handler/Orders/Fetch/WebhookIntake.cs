using Connector.Diagnostics;
using Connector.Messaging;
using Connector.State;
using Connector.TikTok;
using Microsoft.Extensions.Options;

namespace Connector.Orders.Fetch;

/// <summary>
/// Turns a verified webhook into queued work, fast (TikTok wants 200 within 3 s; no TikTok or store call here):
/// skip notifications already handled, enqueue (message id from the notification id), then remember it.
/// Enqueue comes before remember, so a failure in between means a harmless repeat, never a lost notification.
/// </summary>
public sealed class WebhookIntake(
    ShopStore shops, DedupeStore dedupe, IQueueSender sender, TimeProvider time, ILogger<WebhookIntake> logger)
{
    public async Task<string> AcceptAsync(TikTokWebhook webhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var shopId = webhook.ShopId!;
        var notificationId = webhook.NotificationId ?? $"{webhook.Type}-{webhook.OrderId}-{webhook.UpdateTime}";
        var shop = await shops.GetAsync(shopId, cancellationToken);
        if (shop is null)
        {
            Log.WebhookForUnknownShop(logger, shopId, webhook.Type);
            return "unknown shop";
        }

        if (await dedupe.SeenAsync(shopId, notificationId, cancellationToken))
        {
            return "duplicate";
        }

        QueueMessage? message = webhook.Type switch
        {
            _ when TikTokWebhookTypes.IsAboutAnOrder(webhook.Type) && !string.IsNullOrEmpty(webhook.OrderId) => new OrderWork
            {
                ShopId = shopId,
                OrderId = webhook.OrderId!,
                UpdateTime = webhook.UpdateTime,
                Reason = "webhook",
                Attempt = $"n{notificationId}",
                ReceivedAt = time.GetUtcNow(),
            },
            TikTokWebhookTypes.SellerDeauthorization => new ShopEvent
            {
                ShopId = shopId, Event = "deauthorized", NotificationId = notificationId, Message = webhook.Text("message"),
            },
            TikTokWebhookTypes.UpcomingAuthorizationExpiration => new ShopEvent
            {
                ShopId = shopId,
                Event = "authorization_expiring",
                NotificationId = notificationId,
                Message = webhook.Text("message"),
                ExpiresAt = long.TryParse(webhook.Text("expiration_time"), out var expires) ? expires : null,
            },
            _ => null,
        };

        if (message is null)
        {
            Log.WebhookIgnored(logger, shopId, webhook.Type, notificationId);
        }
        else
        {
            await sender.SendAsync(message, cancellationToken);
        }

        await dedupe.RememberAsync(shopId, notificationId, webhook.Type, cancellationToken);
        await TouchLastWebhookAsync(shop, cancellationToken);
        return message is null ? "acknowledged (topic not used)" : "queued";
    }

    /// <summary>Connection health shows when the last webhook came; written at most once a minute.</summary>
    private async Task TouchLastWebhookAsync(ShopEntity shop, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (shop.LastWebhookAt is not { } last || now - last >= TimeSpan.FromMinutes(1))
        {
            await shops.TouchAsync(shop.ShopId, nameof(ShopEntity.LastWebhookAt), now, cancellationToken);
        }
    }
}
