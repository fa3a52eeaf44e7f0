namespace Connector.Diagnostics;

/// <summary>Shipping from the order page (issue 13 item 4): event ids 220–239.</summary>
internal static partial class Log
{
    [LoggerMessage(220, LogLevel.Information, "Order {OrderId} (shop {ShopId}) package {TrackingNumber} queued from the order page")]
    public static partial void PageShipmentQueued(ILogger logger, string shopId, string orderId, string trackingNumber);

    [LoggerMessage(221, LogLevel.Information, "Order {OrderId} (shop {ShopId}) package {TrackingNumber} from the order page: {Outcome}")]
    public static partial void PageShipmentRun(ILogger logger, string shopId, string orderId, string trackingNumber, string outcome);

    [LoggerMessage(222, LogLevel.Warning, "Shop {ShopId} shipping providers not read from TikTok: {Reason}")]
    public static partial void ShippingProvidersUnavailable(ILogger logger, string shopId, string reason);
}
