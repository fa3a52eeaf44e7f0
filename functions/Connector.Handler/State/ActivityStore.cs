using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>
/// What happened, per shop, newest first: fetch runs, imports, failures, status syncs. Each event is one row in the
/// shop feed (RK <c>~a|{inverted ticks}</c>) and, when it concerns an order, one in that order's timeline
/// (RK <c>~o|{order id}|{inverted ticks}</c>), so both read as a range query instead of a partition scan. The rows sit in
/// the Orders table's shop partition (<see cref="OrderPartition"/>), so an order's events are written with its row.
/// </summary>
public sealed class ActivityEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Kind { get; set; } = "";
    public string? OrderId { get; set; }
    public string Message { get; set; } = "";
    public DateTimeOffset At { get; set; }

    /// <summary>Where the shop feed's rows from <paramref name="at"/> and older start (the feed runs newest first).</summary>
    public static string FeedKeyFrom(DateTimeOffset at) => $"{OrderPartition.Feed}{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}";
}

public sealed class ActivityStore(StateTables tables, TimeProvider time)
{
    /// <summary>The rows of one event: the feed's and, for an order, the order timeline's.</summary>
    public static IReadOnlyList<ActivityEntity> Rows(string shopId, string kind, string? orderId, string message, DateTimeOffset at)
    {
        var suffix = $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{Guid.NewGuid():N}";
        ActivityEntity Row(string rowKey) => new()
        {
            PartitionKey = shopId,
            RowKey = rowKey,
            Kind = kind,
            OrderId = orderId,
            Message = TableLimits.Fit(message) ?? "",
            At = at,
        };
        return orderId is null
            ? [Row(OrderPartition.Feed + suffix)]
            : [Row(OrderPartition.Feed + suffix), Row($"{OrderPartition.Timeline}{KeyEncoding.Encode(orderId)}|{suffix}")];
    }

    /// <summary>
    /// Records an event on its own (one transaction). Events about an order being saved go with the save instead
    /// (<see cref="OrderEntity.AddActivity"/>). Activity is a log, so a failure to write it never fails the work itself.
    /// </summary>
    public async Task AddAsync(string shopId, string kind, string? orderId, string message, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Orders, cancellationToken);
        try
        {
            await table.SubmitTransactionAsync(
                Rows(shopId, kind, orderId, message, time.GetUtcNow()).Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)),
                cancellationToken);
        }
        catch (RequestFailedException)
        {
            // Best effort by design (see summary); a failed transaction is a RequestFailedException too.
        }
    }

    public async Task<IReadOnlyList<ActivityEntity>> ListAsync(string shopId, string? orderId, int max, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Orders, cancellationToken);
        var prefix = orderId is null ? OrderPartition.Feed : $"{OrderPartition.Timeline}{KeyEncoding.Encode(orderId)}|";
        var end = OrderPartition.End(prefix);
        var query = table.QueryAsync<ActivityEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and RowKey gt {prefix} and RowKey lt {end}"),
            maxPerPage: Math.Min(max, 1000),
            cancellationToken: cancellationToken);
        var result = new List<ActivityEntity>();
        await foreach (var item in query)
        {
            result.Add(item);
            if (result.Count >= max)
            {
                break;
            }
        }

        return result;
    }
}
