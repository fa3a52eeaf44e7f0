namespace Connector.Stores;

/// <summary>
/// Store → TikTok: what the merchant did in the store to the orders Connector created (shipped, cancelled). Optional:
/// a platform that holds no orders (Etsy) has none, and its shops are never scanned.
/// </summary>
public interface IStoreChangeFeed
{
    /// <summary>Connector's orders that changed in the store since <paramref name="since"/>, oldest change first, one page at a time.</summary>
    Task<StoreChangePage> ListChangedOrdersAsync(StoreAccess shop, DateTimeOffset since, string? pageToken, CancellationToken cancellationToken);

    /// <summary>What the merchant did to the store order: cancelled it, shipped (part of) it with tracking. Null when the store has no such order.</summary>
    Task<StoreOrderState?> GetOrderStateAsync(StoreAccess shop, string storeOrderId, CancellationToken cancellationToken);
}
