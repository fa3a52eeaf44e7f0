namespace Connector.State;

/// <summary>
/// The Orders table's shop partition (PK = shop id) holds, next to each order's row, everything written with it, so one
/// save is one entity group transaction (same table, same partition): the grid's pointers, the plan usage record and the
/// activity rows. Their row keys start with <c>~</c>, which an order's key never does (<see cref="OrderKey"/>).
/// </summary>
public static class OrderPartition
{
    /// <summary>Grid pointer, all orders: <c>~c|{newest-first create time}|{order id}</c>.</summary>
    public const string IndexAll = "~c|";

    /// <summary>Grid pointer, one status tab: <c>~s|{status}|{newest-first create time}|{order id}</c>.</summary>
    public const string IndexStatus = "~s|";

    /// <summary>Returns view pointer: <c>~r|{tab}|{newest-first return update time}|{order id}</c>, one per order with a return.</summary>
    public const string IndexReturns = "~r|";

    /// <summary>Plan usage: <c>~u|{yyyyMM}|{order id}</c>, one per order whose store order was recorded that month (UTC).</summary>
    public const string Usage = "~u|";

    /// <summary>The shop's activity feed: <c>~a|{inverted ticks}-{guid}</c>.</summary>
    public const string Feed = "~a|";

    /// <summary>An order's timeline: <c>~o|{order id}|{inverted ticks}-{guid}</c>.</summary>
    public const string Timeline = "~o|";

    // ~v|layout: the marker of LegacyStateUpgrade (the shop's state is in this layout).

    /// <summary>The end of a prefix's key range (exclusive): '}' sorts after every character the keys use.</summary>
    public static string End(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix[..^1] + "}";
    }

    /// <summary>An order's row key: its id, encoded; a leading '~' (never a TikTok order id) is escaped so it cannot meet the rows above.</summary>
    public static string OrderKey(string orderId)
    {
        var key = KeyEncoding.Encode(orderId);
        return key.StartsWith('~') ? string.Concat("%7E", key.AsSpan(1)) : key;
    }
}
