namespace Connector.Diagnostics;

/// <summary>Log events of the cost-per-order work (issue 12): store budgets, deferred steps, fan-out (event ids 240–269).</summary>
internal static partial class CostLog
{
    [LoggerMessage(240, LogLevel.Warning, "{Platform} budget of shop {ShopId} is booked for more than {MaxWait}; work given back to the queue")]
    public static partial void BudgetBooked(ILogger logger, string shopId, string platform, TimeSpan maxWait);

    [LoggerMessage(241, LogLevel.Warning, "Order {OrderId} (shop {ShopId}): external reference not sent now, left for a later message: {Error}")]
    public static partial void ExternalReferenceDeferred(ILogger logger, string shopId, string orderId, string error);
}
