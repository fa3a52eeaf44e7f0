using Connector.Diagnostics;
using Connector.State;
using Connector.Stores;
using Connector.TikTok;

namespace Connector.Orders.Actions;

/// <summary>
/// TikTok shows the store order number (order API 202406 AddExternalOrderReferences): once an order is in the store, its store
/// order id goes to TikTok as the external order reference, once (the row remembers it; TikTok keeps one per platform, so a
/// repeat after a crash only replaces it with the same).
/// </summary>
public sealed class ExternalReferences(
    ShopStore shops, OrderStore orders, TikTokClient tiktok, StoreClients stores, ExternalReferences.Settled settled, TimeProvider time,
    ILogger<ExternalReferences> logger)
{
    /// <summary>
    /// Orders this instance saw settled (sent or refused for good), so a later status message of the same order costs no row
    /// read for it (Table cost per message). Bounded: a full set starts over, which only costs reads again.
    /// </summary>
    public sealed class Settled
    {
        private const int Capacity = 100_000;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _orders = new(StringComparer.Ordinal);

        public bool Contains(string shopId, string orderId) => _orders.ContainsKey($"{shopId}|{orderId}");

        public void Add(string shopId, string orderId)
        {
            if (_orders.Count >= Capacity)
            {
                _orders.Clear();
            }

            _orders[$"{shopId}|{orderId}"] = 0;
        }
    }

    /// <summary>Marks a reference TikTok refused for good, so it is not tried again with every later status change.</summary>
    public const string RefusedPrefix = "refused:";

    public static bool IsDue(OrderEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.StoreOrderId is { Length: > 0 } id && row.ExternalRefSent != id && row.ExternalRefSent != RefusedPrefix + id;
    }

    /// <summary>Sends the reference when the order is in the store and TikTok does not have it yet; a no-op otherwise.</summary>
    public async Task EnsureAsync(string shopId, string orderId, CancellationToken cancellationToken)
    {
        if (settled.Contains(shopId, orderId))
        {
            return;
        }

        var row = await orders.GetAsync(shopId, orderId, cancellationToken);
        if (row is null || !IsDue(row))
        {
            if (row?.StoreOrderId is { Length: > 0 })
            {
                settled.Add(shopId, orderId);
            }

            return;
        }

        var shop = await shops.GetRecentAsync(shopId, cancellationToken);
        if (shop is null || stores.ChangeFeed(shop.Platform) is null)
        {
            return; // a store without store orders (Etsy: the stock is taken from the listings) has no number to show
        }

        var storeOrderId = row.StoreOrderId!;

        // The number the merchant knows the order by in the store (Shopify "#1001", PrestaShop's reference), else its id.
        var reference = string.IsNullOrWhiteSpace(row.StoreOrderName) ? storeOrderId : row.StoreOrderName.Trim();
        string? refusal;
        try
        {
            var errors = await tiktok.AddExternalOrderReferenceAsync(shop, orderId, StorePlatforms.TikTokExternalPlatform(shop.Platform), reference, cancellationToken);
            refusal = errors.Count == 0 ? null : $"{errors[0].Message} (code {errors[0].Code})";
        }
        catch (TikTokApiException e) when (!e.IsTransient && e.Code != TikTokErrorCodes.ExpiredAccessToken)
        {
            refusal = $"{e.TikTokMessage} (code {e.Code})";
        }

        var marker = refusal is null ? storeOrderId : RefusedPrefix + storeOrderId;
        var update = await ConditionalUpdate.RunAsync(
            row,
            ct => orders.GetAsync(shopId, orderId, ct),
            current =>
            {
                if (current.StoreOrderId != storeOrderId || current.ExternalRefSent == marker)
                {
                    return RowChange.None;
                }

                current.ExternalRefSent = marker;
                current.UpdatedAt = time.GetUtcNow();
                current.AddActivity(refusal is null ? ActivityKinds.Action : ActivityKinds.Failed, refusal is null
                    ? $"TikTok now shows {stores.DisplayName(shop.Platform)} order {reference} on order {orderId}."
                    : $"TikTok did not take {stores.DisplayName(shop.Platform)} order {reference} as the reference of order {orderId}: {refusal}",
                    current.UpdatedAt);
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        if (!update.ThrowIfContended($"Order {orderId} (external reference)").IsWritten)
        {
            return;
        }

        settled.Add(shopId, orderId);

        Log.ExternalReferenceSent(logger, shopId, orderId, storeOrderId, refusal);
    }
}
