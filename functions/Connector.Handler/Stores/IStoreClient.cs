using Connector.State;

namespace Connector.Stores;

/// <summary>One store platform's API (Shopify, PrestaShop, Etsy): the real boundary behind order import.</summary>
public interface IStoreClient
{
    string Platform { get; }

    /// <summary>The connection fields this platform needs (field → messages); <paramref name="isNew"/>: no stored values to fall back on.</summary>
    IReadOnlyDictionary<string, string[]> ValidateConnection(StoreConnection connection, bool isNew);

    /// <summary>
    /// Checks the stored connection works (credentials, API enabled, required configuration), throwing
    /// <see cref="StoreRejectedException"/> with a message naming the fix, or <see cref="StoreUnavailableException"/>.
    /// </summary>
    Task VerifyConnectionAsync(ShopEntity shop, CancellationToken cancellationToken);

    /// <summary>Products whose SKU is exactly <paramref name="sku"/> (the caller decides what 0 or several means).</summary>
    Task<IReadOnlyList<StoreProduct>> FindProductsBySkuAsync(ShopEntity shop, string sku, CancellationToken cancellationToken);

    /// <summary>The store order already created for this TikTok order, if any (covers "created but the answer was lost").</summary>
    Task<StoreOrderRef?> FindImportedOrderAsync(ShopEntity shop, string tiktokOrderId, CancellationToken cancellationToken);

    Task<StoreOrderRef> CreateOrderAsync(ShopEntity shop, StoreOrderDraft draft, CancellationToken cancellationToken);

    /// <summary>Cancels the store order and gives its stock back; an order the store already shows as cancelled is left alone.</summary>
    Task CancelOrderAsync(ShopEntity shop, string storeOrderId, string reason, bool byBuyer, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the order fulfilled with TikTok's tracking (orders TikTok ships); nothing left to fulfil is success.
    /// With <paramref name="shippedUnits"/> (seller SKU → units TikTok has shipped) only those are fulfilled: partial shipping.
    /// </summary>
    Task FulfillAsync(ShopEntity shop, string storeOrderId, string? trackingNumber, string? carrier, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, int>? shippedUnits = null);

    /// <summary>The store's closing status for a delivered/completed order, where the platform has one.</summary>
    Task CompleteAsync(ShopEntity shop, string storeOrderId, CancellationToken cancellationToken);

    /// <summary>The buyer changed the delivery address on TikTok before shipping (webhook type 3): carry it to the store order.</summary>
    Task UpdateShippingAddressAsync(ShopEntity shop, string storeOrderId, StoreAddress address, CancellationToken cancellationToken);

    /// <summary>
    /// Store → TikTok: Connector's orders that changed in the store since <paramref name="since"/> (the merchant shipped or
    /// cancelled them there), oldest change first, one page at a time. A platform without store orders has none.
    /// </summary>
    Task<StoreChangePage> ListChangedOrdersAsync(ShopEntity shop, DateTimeOffset since, string? pageToken, CancellationToken cancellationToken);

    /// <summary>What the merchant did to the store order: cancelled it, shipped (part of) it with tracking. Null when the store has no such order.</summary>
    Task<StoreOrderState?> GetOrderStateAsync(ShopEntity shop, string storeOrderId, CancellationToken cancellationToken);
}

public sealed record StoreChangePage(IReadOnlyList<StoreOrderChange> Orders, string? NextPageToken);

/// <summary>A store order Connector created (so it knows the TikTok order id) and when the store last changed it.</summary>
public sealed record StoreOrderChange(string StoreOrderId, string TikTokOrderId, DateTimeOffset UpdatedAt);

public sealed record StoreOrderState(DateTimeOffset? CancelledAt, string? CancelReason, IReadOnlyList<StoreShipment> Shipments);

/// <summary>One shipment the merchant recorded in the store (a Shopify fulfillment, a PrestaShop order carrier).</summary>
public sealed record StoreShipment(string Id, string? TrackingNumber, string? Carrier, IReadOnlyList<StoreShippedLine> Lines);

/// <summary>Units of one store product in a shipment; <see cref="ProductId"/> is the id Connector matched the TikTok SKU to.</summary>
public sealed record StoreShippedLine(string? ProductId, string? Sku, int Quantity);

public sealed record StoreProduct(string Id, string Sku, string? Title);

public sealed record StoreOrderRef(string Id, string? Name, string? AdminUrl);

/// <summary>A store order built from a TikTok order: lines grouped by SKU and price (one TikTok line item is one unit).</summary>
public sealed record StoreOrderDraft
{
    public required string TikTokOrderId { get; init; }
    public required string Currency { get; init; }
    public required IReadOnlyList<StoreOrderLine> Lines { get; init; }
    public required string Email { get; init; }
    public StoreAddress? ShippingAddress { get; init; }
    public required string ShippingTitle { get; init; }
    public decimal ShippingPrice { get; init; }
    public decimal TotalPaid { get; init; }
    public DateTimeOffset ProcessedAt { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Note { get; init; }
    public required string InventoryBehaviour { get; init; }
}

public sealed record StoreOrderLine(string ProductId, string Sku, string Title, int Quantity, decimal UnitPrice);

public sealed record StoreAddress(
    string? FirstName, string? LastName, string? Address1, string? Address2, string? City, string? Province,
    string? ProvinceCode, string? Zip, string? CountryCode, string? Phone);

/// <summary>The store refused the order for a reason a retry will not fix (validation, missing stock, ...).</summary>
public sealed class StoreRejectedException(string message) : Exception(message);

/// <summary>The store is throttling or unavailable: redeliver later.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
