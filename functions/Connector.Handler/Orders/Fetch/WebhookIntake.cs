using System.Collections.Concurrent;
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
    ShopStore shops, DedupeStore dedupe, IQueueSender sender, WebhookIntake.InFlight inFlight, TimeProvider time, ILogger<WebhookIntake> logger)
{
    public async Task<string> AcceptAsync(TikTokWebhook webhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var shopId = webhook.ShopId!;
        if (TikTokWebhookTypes.IsAboutAnOrder(webhook.Type) && webhook.OrderId is { } orderId && !TikTokIds.IsOrderId(orderId))
        {
            // Not an id TikTok makes: nothing to re-read, and nothing the merchant should ever see in the grid.
            Log.WebhookOrderIdInvalid(logger, shopId, webhook.Type, orderId.Length);
            return "acknowledged (not a TikTok order id)";
        }

        var notificationId = webhook.NotificationId ?? $"{webhook.Type}-{webhook.OrderId}-{webhook.UpdateTime}";

        // TikTok re-sends what it does not see acknowledged in time; copies arriving together share one intake.
        return await inFlight.JoinAsync($"{shopId}|{notificationId}", () => IntakeAsync(webhook, shopId, notificationId, cancellationToken));
    }

    private async Task<string> IntakeAsync(TikTokWebhook webhook, string shopId, string notificationId, CancellationToken cancellationToken)
    {
        var shop = await shops.GetRecentAsync(shopId, cancellationToken);
        if (shop is null)
        {
            Log.WebhookForUnknownShop(logger, shopId, webhook.Type);
            return "unknown shop";
        }

        // A copy sent within Service Bus's duplicate-detection window is dropped by Service Bus itself (same MessageId):
        // only an older notification, a re-send after TikTok saw no acknowledgement, costs the look-up.
        if (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(webhook.Timestamp, 0, 253_402_300_799)) > QueueOptions.DuplicateDetectionWindow
            && await dedupe.SeenAsync(shopId, notificationId, cancellationToken))
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
            _ when TikTokWebhookTypes.IsAboutAProduct(webhook.Type) && webhook.Text("product_id") is { } productId && TikTokIds.IsProductId(productId) => new ProductChange
            {
                ShopId = shopId,
                ProductId = productId,
                UpdateTime = webhook.UpdateTime,
                Reason = webhook.Type == TikTokWebhookTypes.ProductStatusChange ? webhook.Text("suspended_reason") : null,
                NotificationId = notificationId,
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
        else if (TikTokWebhookTypes.IsAboutACancellation(webhook.Type) && message is OrderWork work)
        {
            // The order is re-read, and its buyer cancellation request too (SearchCancellations; see Orders/Actions).
            await sender.SendAsync([message, new ReverseWork { ShopId = shopId, OrderId = work.OrderId, Attempt = $"n{notificationId}" }], cancellationToken);
        }
        else
        {
            await sender.SendAsync(message, cancellationToken);
        }

        var first = await dedupe.RememberAsync(shopId, notificationId, webhook.Type, cancellationToken);
        await TouchLastWebhookAsync(shop, cancellationToken);
        return !first ? "duplicate" : message is null ? "acknowledged (topic not used)" : "queued";
    }

    /// <summary>Connection health shows when the last webhook came; written at most once a minute (per instance, whatever the burst).</summary>
    private async Task TouchLastWebhookAsync(ShopEntity shop, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if ((shop.LastWebhookAt is not { } last || now - last >= TouchInterval) && inFlight.ClaimTouch(shop.ShopId, now, TouchInterval))
        {
            await shops.TouchAsync(shop.ShopId, nameof(ShopEntity.LastWebhookAt), now, cancellationToken);
        }
    }

    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>The process-wide part of the intake: notifications being taken in now, and when each shop was last touched.</summary>
    public sealed class InFlight
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _running = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new(StringComparer.Ordinal);

        public async Task<string> JoinAsync(string key, Func<Task<string>> intake)
        {
            var mine = new Lazy<Task<string>>(intake);
            var running = _running.GetOrAdd(key, mine);
            try
            {
                var outcome = await running.Value;
                return ReferenceEquals(running, mine) ? outcome : "duplicate";
            }
            finally
            {
                if (ReferenceEquals(running, mine))
                {
                    _running.TryRemove(KeyValuePair.Create(key, mine));
                }
            }
        }

        /// <summary>True for the one caller per interval that should write the shop's last-webhook time.</summary>
        public bool ClaimTouch(string shopId, DateTimeOffset now, TimeSpan interval)
        {
            while (true)
            {
                if (!_touched.TryGetValue(shopId, out var last))
                {
                    if (_touched.TryAdd(shopId, now))
                    {
                        return true;
                    }

                    continue;
                }

                if (now - last < interval)
                {
                    return false;
                }

                if (_touched.TryUpdate(shopId, now, last))
                {
                    return true;
                }
            }
        }
    }
}
