namespace Connector.Stores;

/// <summary>The store's products, as the SKU matcher looks them up.</summary>
public interface IStoreCatalog
{
    /// <summary>Products whose SKU is exactly <paramref name="sku"/> (the caller decides what 0 or several means).</summary>
    Task<IReadOnlyList<StoreProduct>> FindProductsBySkuAsync(StoreAccess shop, string sku, CancellationToken cancellationToken);
}
