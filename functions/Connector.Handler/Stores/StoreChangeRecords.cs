namespace Connector.Stores;

public sealed record StoreChangePage(IReadOnlyList<StoreOrderChange> Orders, string? NextPageToken);

/// <summary>A store order Connector created (so it knows the TikTok order id) and when the store last changed it.</summary>
public sealed record StoreOrderChange(string StoreOrderId, string TikTokOrderId, DateTimeOffset UpdatedAt);

public sealed record StoreOrderState(DateTimeOffset? CancelledAt, string? CancelReason, IReadOnlyList<StoreShipment> Shipments);

/// <summary>One shipment the merchant recorded in the store (a Shopify fulfillment, a PrestaShop order carrier).</summary>
public sealed record StoreShipment(string Id, string? TrackingNumber, string? Carrier, IReadOnlyList<StoreShippedLine> Lines);

/// <summary>Units of one store product in a shipment; <see cref="ProductId"/> is the id Connector matched the TikTok SKU to.</summary>
public sealed record StoreShippedLine(string? ProductId, string? Sku, int Quantity);
