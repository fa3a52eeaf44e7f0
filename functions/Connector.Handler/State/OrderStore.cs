using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>
/// Orders table, partitioned by shop. Every save is one entity group transaction: the order's row (add-if-absent or
/// replace-if-unchanged), the grid pointers that changed, the plan usage record when the row first records its store
/// order, and the activity noted on the row. The row's condition decides for all of them: a lost race writes nothing.
/// </summary>
public sealed class OrderStore(StateTables tables, TimeProvider time)
{
    public async Task<OrderEntity?> GetAsync(string shopId, string orderId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Orders, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<OrderEntity>(shopId, OrderPartition.OrderKey(orderId), cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var row = response.Value!;
        row.Stored = OrderIndexStore.StateOf(row);
        return row;
    }

    /// <summary>
    /// Adds a new row, or replaces the row read earlier; false when another writer got there first (409/412), and then
    /// nothing of the transaction was written (the noted activity is dropped: whoever applies the change again notes it again).
    /// </summary>
    public async Task<bool> TrySaveAsync(OrderEntity order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var table = await tables.GetAsync(StateTables.Orders, cancellationToken);
        var state = OrderIndexStore.StateOf(order);
        var rowAction = order.ETag == default
            ? new TableTransactionAction(TableTransactionActionType.Add, order)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, order, order.ETag);
        var others = OtherActions(order, state);
        try
        {
            try
            {
                await SubmitAsync(table, order, [rowAction, .. others], cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex is int i && i > 0
                && others[i - 1].ActionType == TableTransactionActionType.Delete)
            {
                // A pointer already removed (the grid drops stale ones): write the rest without the deletes.
                await SubmitAsync(table, order, [rowAction, .. others.Where(a => a.ActionType != TableTransactionActionType.Delete)], cancellationToken);
            }
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && e.FailedTransactionActionIndex is null or 0)
        {
            order.PendingActivity.Clear();
            return false;
        }

        order.Stored = state;
        order.PendingActivity.Clear();
        return true;
    }

    private static async Task SubmitAsync(TableClient table, OrderEntity order, List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var response = await table.SubmitTransactionAsync(actions, cancellationToken);
        order.ETag = response.Value[0].Headers.ETag ?? order.ETag;
    }

    /// <summary>Everything written with the row: changed pointers (and the deletion of moved ones), usage, activity.</summary>
    private List<TableTransactionAction> OtherActions(OrderEntity order, StoredOrderState state)
    {
        var actions = new List<TableTransactionAction>();
        var stored = order.Stored;
        if (order.ETag == default || stored is null || stored.IndexSignature != state.IndexSignature)
        {
            var pointers = OrderIndexStore.PointersFor(order);
            actions.AddRange(pointers.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace, p)));
            if (stored is not null)
            {
                var keep = pointers.Select(p => p.RowKey).ToHashSet(StringComparer.Ordinal);
                foreach (var moved in new[] { OrderIndexEntity.AllKey(stored.CreatedAt, order.OrderId), OrderIndexEntity.StatusKey(stored.Status, stored.CreatedAt, order.OrderId), stored.ReturnKey })
                {
                    if (moved is not null && !keep.Contains(moved))
                    {
                        actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(order.PartitionKey, moved), ETag.All));
                    }
                }
            }
        }

        if (order.StoreOrderId is not null && stored?.HasStoreOrder != true)
        {
            // The save that records the store order counts it for the plan, in the month it was recorded (UTC).
            var at = order.ImportedAt ?? time.GetUtcNow();
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(order.PartitionKey, UsageStore.Key(at, order.OrderId)) { ["OrderId"] = order.OrderId, ["At"] = at }));
        }

        foreach (var entry in order.PendingActivity)
        {
            actions.AddRange(ActivityStore.Rows(order.PartitionKey, entry.Kind, order.OrderId, entry.Message, entry.At)
                .Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
        }

        return actions;
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
