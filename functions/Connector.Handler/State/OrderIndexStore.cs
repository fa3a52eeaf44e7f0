using Azure;
using Azure.Data.Tables;
using Connector.TikTok;

namespace Connector.State;

/// <summary>Maintains and queries <see cref="OrderIndexEntity"/> pointers.</summary>
public sealed class OrderIndexStore(StateTables tables)
{
    public const string Table = "OrderIndex";

    /// <summary>Writes the pointers for the row's current state (before the row itself, so an order is never unlisted).</summary>
    public async Task WritePointersAsync(OrderEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var table = await tables.GetAsync(Table, cancellationToken);
        var status = row.MerchantStatus();
        OrderIndexEntity Pointer(string rowKey) => new()
        {
            PartitionKey = row.PartitionKey,
            RowKey = rowKey,
            OrderId = row.OrderId,
            Status = status,
            CreatedAt = row.CreatedAt,
            CustomerName = row.CustomerName?.ToLowerInvariant(),
            FulfilledBy = row.FulfilledBy,
            LogisticMode = row.LogisticMode,
            ProductNames = row.ProductNames?.ToLowerInvariant(),
            ProductIds = row.ProductIds,
            Skus = row.Skus,
        };

        await table.UpsertEntityAsync(Pointer(OrderIndexEntity.AllKey(row.CreatedAt, row.OrderId)), TableUpdateMode.Replace, cancellationToken);
        await table.UpsertEntityAsync(Pointer(OrderIndexEntity.StatusKey(status, row.CreatedAt, row.OrderId)), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>After the row moved to another status: drop the old tab's pointer (best effort; listing repairs leftovers).</summary>
    public async Task RemoveStatusPointerAsync(OrderEntity row, string previousStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var table = await tables.GetAsync(Table, cancellationToken);
        try
        {
            await DeleteAsync(table, row.PartitionKey, OrderIndexEntity.StatusKey(previousStatus, row.CreatedAt, row.OrderId), cancellationToken);
        }
        catch (RequestFailedException)
        {
            // A leftover pointer is harmless: the grid checks each order row and removes pointers that no longer match.
        }
    }

    /// <summary>Drops a pointer that no longer matches its order (found while listing).</summary>
    public async Task RemoveStaleAsync(string shopId, string rowKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        await DeleteAsync(table, shopId, rowKey, cancellationToken);
    }

    /// <summary>
    /// Pointers in RowKey order within [from, to), filtered server-side on exact-match fields, one page at a time.
    /// </summary>
    public async Task<(List<OrderIndexEntity> Items, string? Continuation)> PageAsync(
        string shopId, string from, string to, string? extraFilter, string? continuation, int take, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and RowKey ge {from} and RowKey lt {to}");
        if (!string.IsNullOrEmpty(extraFilter))
        {
            filter += $" and {extraFilter}";
        }

        var pages = table.QueryAsync<OrderIndexEntity>(filter, maxPerPage: take, cancellationToken: cancellationToken).AsPages(continuation, take);
        await foreach (var page in pages)
        {
            return (page.Values.ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>Every pointer of one status tab (used for bulk actions on failed orders).</summary>
    public async Task<List<OrderIndexEntity>> ListStatusAsync(string shopId, string status, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var prefix = $"s|{status}|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "}"}");
        var result = new List<OrderIndexEntity>();
        await foreach (var entry in table.QueryAsync<OrderIndexEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            result.Add(entry);
        }

        return result;
    }

    /// <summary>The count of every status tab (TikTok's statuses and FAILED), counted in parallel.</summary>
    public async Task<Dictionary<string, int>> CountByStatusAsync(string shopId, CancellationToken cancellationToken)
    {
        var statuses = TikTokStatus.All.Append(TikTokStatus.Failed).ToList();
        var counts = await Task.WhenAll(statuses.Select(s => CountAsync(shopId, s, cancellationToken)));
        return statuses.Zip(counts).ToDictionary(p => p.First, p => p.Second);
    }

    /// <summary>How many pointers a status has (the tab count); reads keys only.</summary>
    public async Task<int> CountAsync(string shopId, string status, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var prefix = $"s|{status}|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "}"}");
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            count++;
        }

        return count;
    }

    private static async Task DeleteAsync(TableClient table, string shopId, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(shopId, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }
}
