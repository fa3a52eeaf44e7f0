using Azure;
using Azure.Data.Tables;
using Connector.TikTok;

namespace Connector.State;

/// <summary>
/// Builds and queries <see cref="OrderIndexEntity"/> pointers. They sit in the Orders table next to their order rows
/// (<see cref="OrderPartition"/>): <see cref="OrderStore"/> writes them in the same transaction as the row.
/// </summary>
public sealed class OrderIndexStore(StateTables tables)
{
    /// <summary>The pointers for the row's current state ("All" and its status tab).</summary>
    public static IReadOnlyList<OrderIndexEntity> PointersFor(OrderEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
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

        var pointers = new List<OrderIndexEntity>
        {
            Pointer(OrderIndexEntity.AllKey(row.CreatedAt, row.OrderId)),
            Pointer(OrderIndexEntity.StatusKey(status, row.CreatedAt, row.OrderId)),
        };
        if (ReturnKeyOf(row) is { } returnKey)
        {
            pointers.Add(Pointer(returnKey));
        }

        return pointers;
    }

    /// <summary>The Returns view pointer's key: the return's tab, newest update first; null for an order without a return.</summary>
    public static string? ReturnKeyOf(OrderEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.ReturnTab is { } tab ? OrderIndexEntity.ReturnKey(tab, row.ReturnUpdateTime, row.OrderId) : null;
    }

    /// <summary>The row's state as its pointers show it (after a read or a save).</summary>
    public static StoredOrderState StateOf(OrderEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var returnKey = ReturnKeyOf(row);
        return new StoredOrderState(row.CreatedAt, row.MerchantStatus(), PointersFor(row)[0].Signature() + "\u001e" + returnKey, row.StoreOrderId is not null, returnKey);
    }

    /// <summary>Drops a pointer that no longer matches its order (found while listing).</summary>
    public async Task RemoveStaleAsync(string shopId, string rowKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Orders, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(shopId, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Pointers in RowKey order within [from, to), filtered server-side on exact-match fields, one page at a time.
    /// </summary>
    public async Task<(List<OrderIndexEntity> Items, string? Continuation)> PageAsync(
        string shopId, string from, string to, string? extraFilter, string? continuation, int take, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Orders, cancellationToken);
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
        var table = await tables.GetAsync(StateTables.Orders, cancellationToken);
        var prefix = OrderIndexEntity.StatusPrefix(status);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and RowKey ge {prefix} and RowKey lt {OrderPartition.End(prefix)}");
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
        var statuses = TikTokStatus.All.Concat(TikTokStatus.MerchantOnly).ToList();
        var counts = await Task.WhenAll(statuses.Select(s => CountAsync(shopId, OrderIndexEntity.StatusPrefix(s), cancellationToken)));
        return statuses.Zip(counts).ToDictionary(p => p.First, p => p.Second);
    }

    /// <summary>The count of every Returns view tab, counted the same way (keys only, in parallel).</summary>
    public async Task<Dictionary<string, int>> CountByReturnTabAsync(string shopId, IReadOnlyList<string> tabs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tabs);
        var counts = await Task.WhenAll(tabs.Select(t => CountAsync(shopId, OrderIndexEntity.ReturnPrefix(t), cancellationToken)));
        return tabs.Zip(counts).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
    }

    /// <summary>How many rows of the shop's partition have keys starting with <paramref name="prefix"/>; reads keys only.</summary>
    public async Task<int> CountAsync(string shopId, string prefix, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Orders, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and RowKey ge {prefix} and RowKey lt {OrderPartition.End(prefix)}");
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            count++;
        }

        return count;
    }
}
