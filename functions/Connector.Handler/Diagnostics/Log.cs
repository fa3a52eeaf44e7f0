namespace Connector.Diagnostics;

/// <summary>All log events, source-generated, with shop and order ids as structured fields. Never log tokens or secrets.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Access token of shop {ShopId} refreshed; valid until {ExpiresAt}")]
    public static partial void TokenRefreshed(ILogger logger, string shopId, DateTimeOffset expiresAt);

    [LoggerMessage(2, LogLevel.Warning, "Service Bus send to {QueueName} failed ({Count} messages, reason {Reason}, transient {IsTransient}): {Error}")]
    public static partial void QueueSendFailed(ILogger logger, string queueName, int count, string reason, bool isTransient, string error);

    [LoggerMessage(3, LogLevel.Information, "Shopify throttled shop {ShopId}; waiting {Delay}")]
    public static partial void StoreThrottled(ILogger logger, string shopId, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Warning, "Order {OrderId} of unknown shop {ShopId} ignored")]
    public static partial void ShopUnknown(ILogger logger, string shopId, string orderId);

    [LoggerMessage(5, LogLevel.Information, "Order {OrderId} of shop {ShopId} already existed in the store as {StoreOrderId}; adopted")]
    public static partial void StoreOrderAdopted(ILogger logger, string shopId, string orderId, string storeOrderId);

    [LoggerMessage(6, LogLevel.Information, "Order {OrderId} of shop {ShopId} imported as {StoreOrderId}")]
    public static partial void OrderImported(ILogger logger, string shopId, string orderId, string storeOrderId);

    [LoggerMessage(7, LogLevel.Warning, "Order {OrderId} of shop {ShopId} failed: {FailureCode} {FailureReason}")]
    public static partial void OrderFailed(ILogger logger, string shopId, string orderId, string failureCode, string failureReason);

    [LoggerMessage(8, LogLevel.Information, "Timer queued {Count} fetch jobs (run {RunId})")]
    public static partial void FanOut(ILogger logger, int count, string runId);

    [LoggerMessage(9, LogLevel.Information, "Fetch {RunId} of shop {ShopId} done: {Seen} orders seen, {Queued} queued, cursor moved {CursorMoved}")]
    public static partial void FetchCompleted(ILogger logger, string shopId, string runId, int seen, int queued, bool cursorMoved);

    [LoggerMessage(10, LogLevel.Warning, "Invocation of {FunctionName} failed transiently (delivery {DeliveryCount}); the host will retry: {Error}")]
    public static partial void TransientFailure(ILogger logger, string functionName, int deliveryCount, string error);

    [LoggerMessage(11, LogLevel.Error, "Discarded a queue message that can never be processed (message {MessageId}): {Error}")]
    public static partial void PoisonMessage(ILogger logger, string messageId, string error);

    [LoggerMessage(12, LogLevel.Warning, "Fetch for shop {ShopId} stopped: {Error}")]
    public static partial void FetchFailed(ILogger logger, string shopId, string error);

    [LoggerMessage(13, LogLevel.Warning, "Webhook type {Type} for unknown shop {ShopId} acknowledged and ignored")]
    public static partial void WebhookForUnknownShop(ILogger logger, string shopId, int type);

    [LoggerMessage(14, LogLevel.Information, "Webhook type {Type} ({NotificationId}) of shop {ShopId} is not a topic Connector uses; acknowledged")]
    public static partial void WebhookIgnored(ILogger logger, string shopId, int type, string notificationId);

    [LoggerMessage(15, LogLevel.Warning, "Shop {ShopId}: {Event} ({Message})")]
    public static partial void ShopAuthorizationEvent(ILogger logger, string shopId, string @event, string? message);

    [LoggerMessage(16, LogLevel.Information, "Store order of {OrderId} (shop {ShopId}) updated: {Action}")]
    public static partial void StoreSynced(ILogger logger, string shopId, string orderId, string action);

    [LoggerMessage(17, LogLevel.Information, "Store scan {RunId} of shop {ShopId} finished: {Orders} changed order(s) queued; cursor moved: {Moved}")]
    public static partial void StoreScanCompleted(ILogger logger, string shopId, string runId, int orders, bool moved);

    [LoggerMessage(18, LogLevel.Information, "Order {OrderId} (shop {ShopId}) store change sent to TikTok: {Action}")]
    public static partial void WrittenBack(ILogger logger, string shopId, string orderId, string action);

    [LoggerMessage(19, LogLevel.Warning, "Order {OrderId} (shop {ShopId}) store change not sent to TikTok: {Issue}")]
    public static partial void WriteBackIssue(ILogger logger, string shopId, string orderId, string issue);

    [LoggerMessage(20, LogLevel.Warning, "Shop {ShopId}: {Kind} rescheduled, attempt {Attempt} at {At}: {Error}")]
    public static partial void WorkRescheduled(ILogger logger, string shopId, string kind, int attempt, DateTimeOffset at, string error);

    [LoggerMessage(21, LogLevel.Information, "Order {OrderId} of shop {ShopId} queued without its search snapshot ({Bytes} bytes would not fit in a Service Bus message); it is re-read when processed")]
    public static partial void SnapshotDropped(ILogger logger, string shopId, string orderId, long bytes);

    [LoggerMessage(22, LogLevel.Error, "Message {MessageId} of shop {ShopId} cannot be queued: {Bytes} bytes is over the Service Bus message limit")]
    public static partial void QueueMessageTooLarge(ILogger logger, string shopId, string messageId, long bytes);

    [LoggerMessage(23, LogLevel.Warning, "Shop {ShopId}: {Kind} rescheduled, but its waiting note was not recorded: {Error}")]
    public static partial void WaitingNotRecorded(ILogger logger, string shopId, string kind, string error);

    [LoggerMessage(40, LogLevel.Warning, "Webhook type {Type} of shop {ShopId} names an order id that is not a TikTok order id ({Length} characters); acknowledged and ignored")]
    public static partial void WebhookOrderIdInvalid(ILogger logger, string shopId, int type, int length);

    [LoggerMessage(100, LogLevel.Information, "Order {OrderId} (shop {ShopId}) action {Action}: {Outcome}")]
    public static partial void OrderActionRun(ILogger logger, string shopId, string orderId, string action, string outcome);

    [LoggerMessage(101, LogLevel.Information, "Order {OrderId} (shop {ShopId}) buyer cancellation request now {Status}")]
    public static partial void CancellationRequestSeen(ILogger logger, string shopId, string orderId, string status);

    [LoggerMessage(102, LogLevel.Information, "Order {OrderId} (shop {ShopId}) external reference {StoreOrderId} sent to TikTok; refused: {Refusal}")]
    public static partial void ExternalReferenceSent(ILogger logger, string shopId, string orderId, string storeOrderId, string? refusal);

    [LoggerMessage(103, LogLevel.Information, "Order {OrderId} (shop {ShopId}) action {Action} queued by the merchant")]
    public static partial void OrderActionQueued(ILogger logger, string shopId, string orderId, string action);

    [LoggerMessage(104, LogLevel.Information, "Order {OrderId} (shop {ShopId}) return now {Status}")]
    public static partial void ReturnSeen(ILogger logger, string shopId, string orderId, string status);
}
