using Connector.Diagnostics;
using Connector.Messaging;
using Connector.State;

namespace Connector.Orders;

/// <summary>
/// Authorisation events from TikTok (webhook types 6 and 7, reference/tiktok-shop-api.md §7.3): a deauthorised shop
/// shows as disconnected and is no longer fetched; an expiring authorisation is shown with its date.
/// </summary>
public sealed class ShopEvents(ShopStore shops, ActivityStore activity, ILogger<ShopEvents> logger)
{
    public async Task<string> ApplyAsync(ShopEvent shopEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shopEvent);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var shop = await shops.GetAsync(shopEvent.ShopId, cancellationToken);
            if (shop is null)
            {
                return $"Shop {shopEvent.ShopId} unknown; {shopEvent.Event} ignored.";
            }

            (shop.ConnectionStatus, shop.ConnectionMessage) = shopEvent.Event switch
            {
                "deauthorized" => ("disconnected", "The seller removed Connector's authorisation on TikTok Shop. Authorise the app again to resume syncing."),
                "authorization_expiring" when shop.ConnectionStatus != "disconnected" => ("expiring",
                    $"The TikTok Shop authorisation expires {(shopEvent.ExpiresAt is { } at ? $"on {DateTimeOffset.FromUnixTimeSeconds(at):yyyy-MM-dd}" : "soon")}; ask the seller to authorise the app again."),
                _ => (shop.ConnectionStatus, shop.ConnectionMessage),
            };
            if (await shops.TryReplaceAsync(shop, cancellationToken))
            {
                Log.ShopAuthorizationEvent(logger, shop.ShopId, shopEvent.Event, shopEvent.Message);
                await activity.AddAsync(shop.ShopId, "connection", null, shop.ConnectionMessage ?? shopEvent.Event, cancellationToken);
                return $"Shop {shop.ShopId}: {shop.ConnectionStatus}.";
            }
        }

        throw new InvalidOperationException($"Shop {shopEvent.ShopId} kept changing while recording {shopEvent.Event}.");
    }
}
