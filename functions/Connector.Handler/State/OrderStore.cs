using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>Orders table, partitioned by shop. Every write is conditional: add-if-absent or replace-if-unchanged.</summary>
public sealed class OrderStore(StateTables tables, OrderIndexStore index)
{
    public async Task<OrderEntity?> GetAsync(string shopId, string orderId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Orders, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<OrderEntity>(shopId, KeyEncoding.Encode(orderId), cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var row = response.Value!;
        row.LoadedStatus = row.MerchantStatus();
        return row;
    }

    /// <summary>Adds a new row, or replaces the row read earlier; false when another writer got there first (409/412).</summary>
    public async Task<bool> TrySaveAsync(OrderEntity order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var table = await tables.GetAsync(StateTables.Orders, cancellationToken);
        await index.WritePointersAsync(order, cancellationToken);
        try
        {
            var response = order.ETag == default
                ? await table.AddEntityAsync(order, cancellationToken)
                : await table.UpdateEntityAsync(order, order.ETag, TableUpdateMode.Replace, cancellationToken);
            order.ETag = response.Headers.ETag ?? order.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }

        var status = order.MerchantStatus();
        if (order.LoadedStatus is { Length: > 0 } previous && previous != status)
        {
            await index.RemoveStatusPointerAsync(order, previous, cancellationToken);
        }

        order.LoadedStatus = status;
        return true;
    }

    /// <summary>Stored orders among <paramref name="orderIds"/> (point reads, a few at a time).</summary>
    public async Task<Dictionary<string, OrderEntity>> GetManyAsync(string shopId, IEnumerable<string> orderIds, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, OrderEntity>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(orderIds, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                if (await GetAsync(shopId, id, ct) is { } order)
                {
                    found[id] = order;
                }
            });
        return new Dictionary<string, OrderEntity>(found, StringComparer.Ordinal);
    }
}
