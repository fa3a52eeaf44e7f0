namespace Connector.Stores;

/// <summary>Log events of the stores' rate budgets (event ids 240–269).</summary>
internal static partial class StoreBudgetLog
{
    [LoggerMessage(240, LogLevel.Warning, "{Platform} budget of shop {ShopId} is booked for more than {MaxWait}; work given back to the queue")]
    public static partial void BudgetBooked(ILogger logger, string shopId, string platform, TimeSpan maxWait);
}
