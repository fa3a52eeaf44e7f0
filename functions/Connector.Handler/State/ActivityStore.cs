using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>
/// What happened, per shop, newest first: fetch runs, imports, failures, status syncs. Each event is one row in the
/// shop feed (RK <c>a|{inverted ticks}</c>) and, when it concerns an order, one in that order's timeline
/// (RK <c>o|{order id}|{inverted ticks}</c>), so both read as a range query instead of a partition scan.
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
}

public sealed class ActivityStore(StateTables tables, TimeProvider time)
{
    /// <summary>Records an event; activity is a log, so a failure to write it never fails the work itself.</summary>
    public async Task AddAsync(string shopId, string kind, string? orderId, string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var suffix = $"{DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks:D19}-{Guid.NewGuid():N}";
        ActivityEntity Row(string rowKey) => new()
        {
            PartitionKey = shopId,
            RowKey = rowKey,
            Kind = kind,
            OrderId = orderId,
            Message = message,
            At = now,
        };
        var table = await tables.GetAsync(StateTables.Activity, cancellationToken);
        try
        {
            await table.AddEntityAsync(Row($"a|{suffix}"), cancellationToken);
            if (orderId is not null)
            {
                await table.AddEntityAsync(Row($"o|{KeyEncoding.Encode(orderId)}|{suffix}"), cancellationToken);
            }
        }
        catch (RequestFailedException)
        {
            // Best effort by design (see summary).
        }
    }

    public async Task<IReadOnlyList<ActivityEntity>> ListAsync(string shopId, string? orderId, int max, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Activity, cancellationToken);
        var prefix = orderId is null ? "a|" : $"o|{KeyEncoding.Encode(orderId)}|";
        var end = prefix[..^1] + "}";
        var query = table.QueryAsync<ActivityEntity>(
            a => a.PartitionKey == shopId && a.RowKey.CompareTo(prefix) > 0 && a.RowKey.CompareTo(end) < 0,
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
