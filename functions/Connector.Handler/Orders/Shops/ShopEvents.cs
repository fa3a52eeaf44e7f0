using Connector.Diagnostics;
using Connector.Messaging;
using Connector.State;

namespace Connector.Orders.Shops;

/// <summary>
/// Authorisation events from TikTok (webhook types 6 and 7, reference/tiktok-shop-api.md §7.3): a deauthorised shop
/// shows as disconnected and is no longer fetched; an expiring authorisation is shown with its date.
/// </summary>
public sealed class ShopEvents(ShopStore shops, ActivityStore activity, ILogger<ShopEvents> logger)
{
    public async Task<string> ApplyAsync(ShopEvent shopEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shopEvent);
        var update = await ConditionalUpdate.RunAsync(
            ct => shops.GetAsync(shopEvent.ShopId, ct),
            shop =>
            {
                (shop.ConnectionStatus, shop.ConnectionMessage) = shopEvent.Event switch
                {
                    "deauthorized" => ("disconnected", "The seller removed Connector's authorisation on TikTok Shop. Authorise the app again to resume syncing."),
                    "authorization_expiring" when shop.ConnectionStatus != "disconnected" => ("expiring",
                        $"The TikTok Shop authorisation expires {(shopEvent.ExpiresAt is { } at ? $"on {DateTimeOffset.FromUnixTimeSeconds(at):yyyy-MM-dd}" : "soon")}; ask the seller to authorise the app again."),
                    _ => (shop.ConnectionStatus, shop.ConnectionMessage),
                };

                // Written even when unchanged: every event is logged and shown once.
                return RowChange.Write;
            },
            shops.TryReplaceAsync,
            cancellationToken);

        // Lost every race: transient, so the message is delivered again rather than failing with a 500.
        update.ThrowIfContended($"Shop {shopEvent.ShopId} ({shopEvent.Event})");
        if (!update.IsWritten)
        {
            return $"Shop {shopEvent.ShopId} unknown; {shopEvent.Event} ignored.";
        }

        var shop = update.Row;
        Log.ShopAuthorizationEvent(logger, shop.ShopId, shopEvent.Event, shopEvent.Message);
        await activity.AddAsync(shop.ShopId, "connection", null, shop.ConnectionMessage ?? shopEvent.Event, cancellationToken);
        return $"Shop {shop.ShopId}: {shop.ConnectionStatus}.";
    }
}
