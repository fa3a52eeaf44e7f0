using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>
/// Pointers that make the order grid a range query instead of a scan. They live in the Orders table, in the shop's
/// partition next to the order rows (see <see cref="OrderPartition"/>), so an order and its pointers are written in one
/// entity group transaction: <c>~c|{newest-first create time}|{order id}</c> for "All" and date ranges, and
/// <c>~s|{status}|{newest-first create time}|{order id}</c> for each status tab. They carry the filterable fields;
/// the grid reads the order rows themselves, so a stale pointer is never shown.
/// </summary>
public sealed class OrderIndexEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string OrderId { get; set; } = "";
    public string Status { get; set; } = "";
    public long CreatedAt { get; set; }
    public string? CustomerName { get; set; }
    public string? FulfilledBy { get; set; }
    public string? LogisticMode { get; set; }
    public string? ProductNames { get; set; }
    public string? ProductIds { get; set; }

    /// <summary>Comma-joined seller SKUs (a SKU mapping retries the failed orders that contain it).</summary>
    public string? Skus { get; set; }

    /// <summary>Newest first: 11 digits of (max - create time), so ascending RowKeys run from the newest order.</summary>
    public static string NewestFirst(long createTime) => (99_999_999_999L - Math.Clamp(createTime, 0, 99_999_999_999L)).ToString("D11");

    public static long FromNewestFirst(string key) => 99_999_999_999L - long.Parse(key);

    public const string AllPrefix = OrderPartition.IndexAll;

    public static string StatusPrefix(string status) => $"{OrderPartition.IndexStatus}{status}|";

    public static string AllKey(long createTime, string orderId) => $"{AllPrefix}{NewestFirst(createTime)}|{KeyEncoding.Encode(orderId)}";

    public static string StatusKey(string status, long createTime, string orderId) => $"{StatusPrefix(status)}{NewestFirst(createTime)}|{KeyEncoding.Encode(orderId)}";

    public static string ReturnPrefix(string tab) => $"{OrderPartition.IndexReturns}{tab}|";

    public static string ReturnKey(string tab, long returnUpdateTime, string orderId) =>
        $"{ReturnPrefix(tab)}{NewestFirst(returnUpdateTime)}|{KeyEncoding.Encode(orderId)}";

    /// <summary>What the pointer says, to tell whether a save must rewrite it.</summary>
    public string Signature() => string.Join('\u001f', OrderId, Status, CreatedAt, CustomerName, FulfilledBy, LogisticMode, ProductNames, ProductIds, Skus);
}
