namespace Connector.Stores.PrestaShop;

/// <summary>PrestaShop log events (ids 300–349), with shop and order ids; never the webservice key.</summary>
internal static partial class PrestaShopLog
{
    [LoggerMessage(300, LogLevel.Information, "PrestaShop configuration of shop {ShopId} read: round type {RoundType}, round mode {RoundMode}, {StateCount} order states")]
    public static partial void ConfigRead(ILogger logger, string shopId, int roundType, int roundMode, int stateCount);

    [LoggerMessage(301, LogLevel.Information, "Order {OrderId} of shop {ShopId}: reusing PrestaShop cart {CartId} from an earlier attempt")]
    public static partial void CartReused(ILogger logger, string shopId, string orderId, long cartId);

    [LoggerMessage(302, LogLevel.Information, "Order {OrderId} of shop {ShopId} created in PrestaShop as order {PsOrderId} (cart {CartId}, total {Total})")]
    public static partial void OrderCreated(ILogger logger, string shopId, string orderId, long psOrderId, long cartId, decimal total);

    [LoggerMessage(303, LogLevel.Warning, "Order {OrderId} of shop {ShopId} landed in Payment error as PrestaShop order {PsOrderId}: PrestaShop computed {ShopTotal}, TikTok paid {Paid}")]
    public static partial void PaymentError(ILogger logger, string shopId, string orderId, long psOrderId, decimal shopTotal, decimal paid);

    [LoggerMessage(304, LogLevel.Information, "PrestaShop order {PsOrderId} of shop {ShopId} moved to state {StateKey} ({StateId})")]
    public static partial void StateChanged(ILogger logger, string shopId, long psOrderId, string stateKey, int stateId);

    [LoggerMessage(305, LogLevel.Warning, "PrestaShop shop {ShopId} answered HTTP {Status} to {Method} {Resource}")]
    public static partial void Unavailable(ILogger logger, string shopId, int status, string method, string resource);

    [LoggerMessage(306, LogLevel.Information, "Tracking number set on PrestaShop order {PsOrderId} of shop {ShopId}")]
    public static partial void TrackingSet(ILogger logger, string shopId, long psOrderId);
}
