namespace Connector.Diagnostics;

/// <summary>Returns and refunds (event ids 200–219).</summary>
public static partial class RefundLog
{
    [LoggerMessage(200, LogLevel.Information, "Order {OrderId} (shop {ShopId}) return {ReturnId} refunded on TikTok; store refund queued")]
    public static partial void RefundQueued(ILogger logger, string shopId, string orderId, string returnId);

    [LoggerMessage(201, LogLevel.Information, "Order {OrderId} (shop {ShopId}) return {ReturnId} refunded in the store: {Outcome}")]
    public static partial void StoreRefunded(ILogger logger, string shopId, string orderId, string returnId, string outcome);

    [LoggerMessage(202, LogLevel.Warning, "Order {OrderId} (shop {ShopId}) return {ReturnId}: the store refused the refund: {Reason}")]
    public static partial void StoreRefundRefused(ILogger logger, string shopId, string orderId, string returnId, string reason);

    [LoggerMessage(203, LogLevel.Information, "Order {OrderId} (shop {ShopId}) return {ReturnId}: nothing to refund in the store: {Reason}")]
    public static partial void StoreRefundSkipped(ILogger logger, string shopId, string orderId, string returnId, string reason);
}
