using Connector.Diagnostics;
using Connector.State;
using Connector.Stores;

using Connector.TikTok;
using Connector.Orders.Import;

namespace Connector.Orders.StatusSync;

/// <summary>
/// Carries TikTok's status into the store, each effect once (issue "webhooks and the order status lifecycle"):
/// CANCELLED cancels the store order (stock back); TikTok-shipped orders in transit or later are fulfilled with
/// TikTok's tracking; DELIVERED/COMPLETED close the order where the store has a closing status.
/// Each effect is recorded on the order row once done; the store calls themselves are idempotent (they look first),
/// so a crash between the call and the record repeats a harmless check, not the effect.
/// </summary>
public sealed class StoreStatusSync(OrderStore orders, StoreClients stores, TimeProvider time, ILogger<StoreStatusSync> logger)
{
    /// <summary>The store effects of TikTok's status, in the order they are carried out.</summary>
    public enum Action
    {
        Address,
        Cancel,
        PartialFulfil,
        Fulfil,
        Complete,
    }

    public static bool HasPending(OrderEntity row, bool partialShipping = true) => Next(row, partialShipping) is not null;

    /// <summary>The decision table: the next effect the store still needs for this row, or null when it is in step.</summary>
    public static Action? Next(OrderEntity row, bool partialShipping)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.StoreOrderId is null)
        {
            return null;
        }

        var status = row.TikTokStatus;
        if (row.StoreAddressPending && status != TikTokStatus.Cancelled)
        {
            return Action.Address;
        }

        if (status == TikTokStatus.Cancelled)
        {
            return row.StoreCancelledAt is null ? Action.Cancel : null;
        }

        // TikTok's shipments reach the store when TikTok ships, or when the merchant shipped from the order page (nothing in
        // the store shows it otherwise); such a package left with its carrier, so Awaiting Collection fulfils it already.
        var follows = row.ShippedByTikTok || row.ShippedFromPage;
        if (follows && row.StoreFulfilledAt is null && status == TikTokStatus.PartiallyShipping && partialShipping
            && OrderSnapshot.ShippedUnits(row).Values.Sum() > row.StoreShippedUnits)
        {
            return Action.PartialFulfil;
        }

        if (follows && row.StoreFulfilledAt is null
            && (status is TikTokStatus.InTransit or TikTokStatus.Delivered or TikTokStatus.Completed
                || (row.ShippedFromPage && status == TikTokStatus.AwaitingCollection)))
        {
            return Action.Fulfil;
        }

        return row.StoreCompletedAt is null && status is TikTokStatus.Delivered or TikTokStatus.Completed ? Action.Complete : null;
    }

    /// <summary>Runs every pending effect; returns the row as last saved.</summary>
    public async Task<OrderEntity> SyncAsync(ShopEntity shop, OrderEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var store = stores.Orders(shop.Platform);
        var access = StoreAccess.From(shop);
        var partialShipping = ShopSettings.Parse(shop.SettingsJson).PartialShipping;
        if (Next(row, partialShipping) is null)
        {
            return row;
        }

        row = await ClaimAsync(shop, row, partialShipping, cancellationToken);
        if (Next(row, partialShipping) is null)
        {
            return row;
        }

        try
        {
            return await RunClaimedAsync(shop, row, store, access, partialShipping, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store or Azure did not answer: the work comes back (TransientRetries) and must find the claim free.
            await ReleaseAsync(shop, row.OrderId, cancellationToken);
            throw;
        }
    }

    private async Task<OrderEntity> RunClaimedAsync(
        ShopEntity shop, OrderEntity row, IStoreOrderWriter store, StoreAccess access, bool partialShipping, CancellationToken cancellationToken)
    {
        for (var guard = 0; guard < 4 && Next(row, partialShipping) is { } action; guard++)
        {
            string? failure = null;
            try
            {
                switch (action)
                {
                    case Action.Address:
                        var address = row.AddressJson is null ? null
                            : StoreOrderDrafts.Address(System.Text.Json.JsonSerializer.Deserialize<TikTok.TikTokAddress>(row.AddressJson));
                        if (address is not null)
                        {
                            await store.UpdateShippingAddressAsync(access, row.StoreOrderId!, address, cancellationToken);
                        }

                        break;
                    case Action.Cancel:
                        await store.CancelOrderAsync(access, row.StoreOrderId!, row.CancelReason ?? "cancelled on TikTok Shop",
                            string.Equals(row.CancellationInitiator, "BUYER", StringComparison.Ordinal), cancellationToken);
                        break;
                    case Action.PartialFulfil:
                        await store.FulfillAsync(access, row.StoreOrderId!, row.TrackingNumber, row.ShippingProvider, cancellationToken, OrderSnapshot.ShippedUnits(row));
                        break;
                    case Action.Fulfil:
                        await store.FulfillAsync(access, row.StoreOrderId!, row.TrackingNumber, row.ShippingProvider, cancellationToken);
                        break;
                    default:
                        await store.CompleteAsync(access, row.StoreOrderId!, cancellationToken);
                        break;
                }
            }
            catch (StoreRejectedException e)
            {
                // The store will not do it (e.g. an order fulfilled there cannot be cancelled): show it, don't loop on it.
                failure = e.Message;
            }

            var name = stores.DisplayName(shop.Platform);
            string Message(OrderEntity r) => failure is null
                ? action switch
                {
                    Action.Address => $"Order {r.OrderId}: the buyer's new delivery address was copied to {name}.",
                    Action.PartialFulfil => $"Order {r.OrderId}: {r.StoreShippedUnits} of {r.Quantity} units shipped by TikTok marked fulfilled in {name}.",
                    Action.Cancel => $"Order {r.OrderId} cancelled in {name} (stock returned).",
                    Action.Fulfil => $"Order {r.OrderId} marked fulfilled in {name}{(r.TrackingNumber is null ? "" : $" with tracking {r.TrackingNumber}")}.",
                    _ => $"Order {r.OrderId} closed in {name}.",
                }
                : $"Order {r.OrderId}: could not {Verb(action)} in {name}: {failure}";

            // The activity is written with the record of the effect, in one transaction.
            row = await RecordAsync(shop, row, action, failure, r => (failure is null ? ActivityKinds.Status : ActivityKinds.Failed, Message(r)), cancellationToken);
            Log.StoreSynced(logger, shop.ShopId, row.OrderId, Message(row));
        }

        return row;
    }

    private static string Verb(Action action) => action switch
    {
        Action.Address => "update the delivery address",
        Action.Cancel => "cancel the order",
        Action.PartialFulfil or Action.Fulfil => "mark the shipped units fulfilled",
        _ => "close the order",
    };

    /// <summary>
    /// One delivery carries an order's store effects at a time: several deliveries of the same order (the merchant's action
    /// re-read, TikTok's webhooks of the same change) each see the effect pending; only the one whose conditional write takes
    /// the claim calls the store, so the store and the timeline see the effect once. Null: nothing left, or another holds it.
    /// </summary>
    /// <returns>The claimed row, or the row with nothing left to do (another delivery did it meanwhile).</returns>
    /// <exception cref="StateContendedException">Another delivery still holds the claim after a short wait: the work comes back later.</exception>
    private async Task<OrderEntity> ClaimAsync(ShopEntity shop, OrderEntity row, bool partialShipping, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + WaitForOtherSync;
        OrderEntity? current = row;
        while (true)
        {
            var busy = false;
            var update = await ConditionalUpdate.RunAsync(
                current,
                ct => orders.GetAsync(shop.ShopId, row.OrderId, ct),
                candidate =>
                {
                    var now = time.GetUtcNow();
                    busy = candidate.StoreSyncClaimUntil > now;
                    if (Next(candidate, partialShipping) is null || busy)
                    {
                        return RowChange.None;
                    }

                    candidate.StoreSyncClaimUntil = now + ClaimLifetime;
                    return RowChange.Write;
                },
                orders.TrySaveAsync,
                cancellationToken);
            var result = update.ThrowIfContended($"Order {row.OrderId} (store sync claim)");
            if (result.Row is null)
            {
                throw new InvalidOperationException($"Order {row.OrderId} disappeared while its store sync was claimed.");
            }

            if (result.IsWritten || !busy)
            {
                return result.Row;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new StateContendedException($"Order {row.OrderId}: another delivery is updating the store order", 1);
            }

            await Task.Delay(PollInterval, time, cancellationToken);
            current = null;
        }
    }

    private async Task ReleaseAsync(ShopEntity shop, string orderId, CancellationToken cancellationToken)
    {
        try
        {
            await ConditionalUpdate.RunAsync(
                ct => orders.GetAsync(shop.ShopId, orderId, ct),
                current =>
                {
                    if (current.StoreSyncClaimUntil is null)
                    {
                        return RowChange.None;
                    }

                    current.StoreSyncClaimUntil = null;
                    return RowChange.Write;
                },
                orders.TrySaveAsync,
                cancellationToken);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or StateContendedException or HttpRequestException or TimeoutException)
        {
            // Azure does not answer either: the claim runs out by itself.
        }
    }

    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WaitForOtherSync = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private async Task<OrderEntity> RecordAsync(
        ShopEntity shop, OrderEntity row, Action action, string? failure, Func<OrderEntity, (string Kind, string Message)> activity, CancellationToken cancellationToken)
    {
        var update = await ConditionalUpdate.RunAsync(
            row,
            // A row gone meanwhile is tried as read: its write then fails loudly instead of adding it again.
            async ct => await orders.GetAsync(shop.ShopId, row.OrderId, ct) ?? row,
            current =>
            {
                var now = time.GetUtcNow();
                switch (action)
                {
                    case Action.Address:
                        current.StoreAddressPending = false;
                        break;
                    case Action.PartialFulfil:
                        current.StoreShippedUnits = OrderSnapshot.ShippedUnits(current).Values.Sum();
                        break;
                    case Action.Cancel:
                        current.StoreCancelledAt ??= now;
                        break;
                    case Action.Fulfil:
                        current.StoreFulfilledAt ??= now;
                        break;
                    default:
                        current.StoreCompletedAt ??= now;
                        break;
                }

                current.LastError = failure ?? current.LastError;
                current.UpdatedAt = now;
                var (kind, message) = activity(current);
                current.AddActivity(kind, message, now);

                // Done with the store, or stopped by it: the claim goes (a failure is not retried by this delivery anyway).
                if (failure is not null || Next(current, ShopSettings.Parse(shop.SettingsJson).PartialShipping) is null)
                {
                    current.StoreSyncClaimUntil = null;
                }
                return RowChange.Write;
            },
            orders.TrySaveAsync,
            cancellationToken);

        // The read never answers "not found", so a row comes back unless every attempt lost its race.
        return update.ThrowIfContended($"Order {row.OrderId} (store sync of {action})").Row
            ?? throw new InvalidOperationException($"Could not record the store sync of order {row.OrderId}.");
    }
}
