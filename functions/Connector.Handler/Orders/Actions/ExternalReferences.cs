using Connector.Diagnostics;
using Connector.State;
using Connector.Stores;
using Connector.TikTok;

namespace Connector.Orders.Actions;

/// <summary>
/// TikTok shows the store order number (order API 202406 AddExternalOrderReferences): once an order is in the store, its store
/// order id goes to TikTok as the external order reference, once (the row remembers it; TikTok keeps one per platform, so a
/// repeat after a crash only replaces it with the same). The importer sends it right after the store order is created and
/// records it in the same write as the store order (<see cref="SendAsync"/>, <see cref="Mark"/>); a later message of the
/// order finishes a reference that could not be sent then (<see cref="EnsureAsync"/>), deciding from the row it already has.
/// </summary>
public sealed class ExternalReferences(OrderStore orders, TikTokClient tiktok, StoreClients stores, TimeProvider time, ILogger<ExternalReferences> logger)
{
    /// <summary>What TikTok answered for one reference: the row's marker and the timeline line.</summary>
    public sealed record Sent(string StoreOrderId, string Marker, string ActivityKind, string Activity, string? Refusal);

    /// <summary>Marks a reference TikTok refused for good, so it is not tried again with every later status change.</summary>
    public const string RefusedPrefix = "refused:";

    public static bool IsDue(OrderEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.StoreOrderId is { Length: > 0 } id && row.ExternalRefSent != id && row.ExternalRefSent != RefusedPrefix + id;
    }

    /// <summary>
    /// Sends the store order's number to TikTok. Null when the store has no store orders (Etsy: the stock is taken from the
    /// listings) or TikTok could not be reached: the reference is then left due, for a later message of the order.
    /// </summary>
    public async Task<Sent?> SendAsync(ShopEntity shop, string orderId, string storeOrderId, string? storeOrderName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        if (stores.ChangeFeed(shop.Platform) is null)
        {
            return null;
        }

        // The number the merchant knows the order by in the store (Shopify "#1001", PrestaShop's reference), else its id.
        var reference = string.IsNullOrWhiteSpace(storeOrderName) ? storeOrderId : storeOrderName.Trim();
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
        catch (Exception e) when (e is TikTokApiException or HttpRequestException or TimeoutException or OperationCanceledException
                                   && !cancellationToken.IsCancellationRequested)
        {
            // The store order exists and must be recorded whatever TikTok says now; the reference stays due.
            CostLog.ExternalReferenceDeferred(logger, shop.ShopId, orderId, e.Message);
            return null;
        }

        var store = stores.DisplayName(shop.Platform);
        return refusal is null
            ? new Sent(storeOrderId, storeOrderId, ActivityKinds.Action, $"TikTok now shows {store} order {reference} on order {orderId}.", null)
            : new Sent(storeOrderId, RefusedPrefix + storeOrderId, ActivityKinds.Failed,
                $"TikTok did not take {store} order {reference} as the reference of order {orderId}: {refusal}", refusal);
    }

    /// <summary>Records what TikTok answered on the row about to be written; false when the row has nothing to record.</summary>
    public static bool Mark(OrderEntity row, Sent sent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(sent);
        if (row.StoreOrderId != sent.StoreOrderId || row.ExternalRefSent == sent.Marker)
        {
            return false;
        }

        row.ExternalRefSent = sent.Marker;
        row.AddActivity(sent.ActivityKind, sent.Activity, now);
        return true;
    }

    /// <summary>
    /// Sends the reference of an order whose row (as the caller just read or wrote it) still owes one; costs nothing
    /// otherwise — no read, no write.
    /// </summary>
    public async Task EnsureAsync(ShopEntity shop, OrderEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(row);
        if (!IsDue(row))
        {
            return;
        }

        var storeOrderId = row.StoreOrderId!;
        var sent = await SendAsync(shop, row.OrderId, storeOrderId, row.StoreOrderName, cancellationToken);
        if (sent is null)
        {
            return;
        }

        var update = await ConditionalUpdate.RunAsync(
            row,
            ct => orders.GetAsync(shop.ShopId, row.OrderId, ct),
            current =>
            {
                var now = time.GetUtcNow();
                if (!Mark(current, sent, now))
                {
                    return RowChange.None;
                }

                current.UpdatedAt = now;
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);
        if (update.ThrowIfContended($"Order {row.OrderId} (external reference)").IsWritten)
        {
            Log.ExternalReferenceSent(logger, shop.ShopId, row.OrderId, storeOrderId, sent.Refusal);
        }
    }
}
