namespace Connector.Stores;

/// <summary>
/// The store's catalogue with its sellable stock, for linking store products to TikTok products and pushing stock to TikTok.
/// Optional: a platform without it is linked and pushed by nothing (StoreClients.Stock answers null).
/// </summary>
public interface IStoreStock
{
    /// <summary>One page of the catalogue (every variant, with or without a SKU), in a stable order.</summary>
    Task<StoreStockPage> ListStockAsync(StoreAccess shop, string? pageToken, CancellationToken cancellationToken);

    /// <summary>The current stock of the variant a store stock webhook names (Shopify: the inventory item's gid); null when there is none.</summary>
    Task<StoreStockItem?> GetStockOfItemAsync(StoreAccess shop, string itemId, CancellationToken cancellationToken);
}

/// <summary>
/// A sellable store variant: <paramref name="Available"/> is what the store can still sell (Shopify: available over all
/// locations; PrestaShop: stock_availables quantity; Etsy: the offering's quantity). <paramref name="UpdatedAt"/> orders levels.
/// </summary>
public sealed record StoreStockItem(string ProductId, string VariantId, string? Sku, string Title, int Available, DateTimeOffset UpdatedAt, decimal? Price = null);

public sealed record StoreStockPage(IReadOnlyList<StoreStockItem> Items, string? NextPageToken);
