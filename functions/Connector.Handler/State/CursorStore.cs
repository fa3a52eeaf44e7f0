using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>A shop's fetch cursor: the end of the last completed search window (TikTok <c>update_time</c>, Unix seconds).</summary>
public sealed class CursorEntity : ITableEntity
{
    public const string OrdersRow = "orders";

    /// <summary>The store → TikTok scan's cursor (<see cref="UpdateTime"/> in Unix seconds of the store's clock).</summary>
    public const string StoreRow = "store";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = OrdersRow;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public long UpdateTime { get; set; }
    public string? LastRunId { get; set; }
    public DateTimeOffset? LastRunAt { get; set; }
    public int LastRunOrders { get; set; }
}

public sealed class CursorStore(StateTables tables)
{
    public Task<CursorEntity?> GetAsync(string shopId, CancellationToken cancellationToken) => GetAsync(shopId, CursorEntity.OrdersRow, cancellationToken);

    public async Task<CursorEntity?> GetAsync(string shopId, string row, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Cursors, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<CursorEntity>(shopId, row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Moves the cursor only if it is still the version the run started from (<paramref name="expected"/>; null = it did not exist).
    /// False when another run moved it first: that run covered the window, so this one just stops.
    /// </summary>
    public async Task<bool> TryMoveAsync(CursorEntity cursor, ETag? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var table = await tables.GetAsync(StateTables.Cursors, cancellationToken);
        try
        {
            if (expected is { } etag)
            {
                await table.UpdateEntityAsync(cursor, etag, TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await table.AddEntityAsync(cursor, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}
