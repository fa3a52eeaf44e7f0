namespace Connector.Stores;

/// <summary>
/// TikTok → store: creates the store's record of a TikTok order and carries TikTok's later changes to it. For a
/// platform without orders (Etsy) the record is what it keeps instead (the stock taken), and steps it has nothing for succeed.
/// </summary>
public interface IStoreOrderWriter
{
    /// <summary>The store order already created for this TikTok order, if any (covers "created but the answer was lost").</summary>
    Task<StoreOrderRef?> FindImportedOrderAsync(StoreAccess shop, string tiktokOrderId, CancellationToken cancellationToken);

    Task<StoreOrderRef> CreateOrderAsync(StoreAccess shop, StoreOrderDraft draft, CancellationToken cancellationToken);

    /// <summary>Cancels the store order and gives its stock back; an order the store already shows as cancelled is left alone.</summary>
    Task CancelOrderAsync(StoreAccess shop, string storeOrderId, string reason, bool byBuyer, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the order fulfilled with TikTok's tracking (orders TikTok ships); nothing left to fulfil is success.
    /// With <paramref name="shippedUnits"/> (seller SKU → units TikTok has shipped) only those are fulfilled: partial shipping.
    /// </summary>
    Task FulfillAsync(StoreAccess shop, string storeOrderId, string? trackingNumber, string? carrier, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, int>? shippedUnits = null);

    /// <summary>The store's closing status for a delivered/completed order, where the platform has one.</summary>
    Task CompleteAsync(StoreAccess shop, string storeOrderId, CancellationToken cancellationToken);

    /// <summary>The buyer changed the delivery address on TikTok before shipping (webhook type 3): carry it to the store order.</summary>
    Task UpdateShippingAddressAsync(StoreAccess shop, string storeOrderId, StoreAddress address, CancellationToken cancellationToken);

    /// <summary>
    /// Carries a refund TikTok completed to the store order, once per <see cref="StoreRefund.Key"/>: a repeat of a refund the
    /// store already shows does nothing. Answers what the store now shows, in words for the order's timeline.
    /// </summary>
    Task<string> RefundAsync(StoreAccess shop, string storeOrderId, StoreRefund refund, CancellationToken cancellationToken);
}
