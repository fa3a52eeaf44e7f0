using System.Globalization;

namespace Connector.State;

/// <summary>
/// Orders synced per shop and calendar month (UTC), for the plan limit on the dashboard. There is no counter: the save
/// that records an order's store order adds that order's usage record (<c>~u|{yyyyMM}|{order id}</c>) in the same
/// transaction (<see cref="OrderStore"/>), so the figure is exact at any concurrency and an order counts once; the
/// dashboard counts the month's key range, reading keys only.
/// </summary>
public sealed class UsageStore(OrderIndexStore index, TimeProvider time)
{
    public static string MonthPrefix(DateTimeOffset at) => $"{OrderPartition.Usage}{at.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture)}|";

    public static string Key(DateTimeOffset at, string orderId) => MonthPrefix(at) + KeyEncoding.Encode(orderId);

    public Task<int> ThisMonthAsync(string shopId, CancellationToken cancellationToken) =>
        index.CountAsync(shopId, MonthPrefix(time.GetUtcNow()), cancellationToken);
}
