using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Connector.State;

/// <summary>
/// Brings a shop's state written by builds before the one-partition layout into it. Those builds kept the grid pointers
/// in table <c>OrderIndex</c> (RK <c>c|…</c>, <c>s|…</c>), the activity in table <c>Activity</c> (RK <c>a|…</c>,
/// <c>o|{order}|…</c>) and plan usage as a counter row (<c>Cursors</c>, RK <c>usage|yyyyMM</c>); the order rows are where
/// they were. Without this, their orders would be missing from the grid, their timelines empty, and a status change of
/// such an order would fail (its save deletes a pointer that is not there).
/// Pointers and usage records are rebuilt from the order rows (the current rules, not the old rows' copies); activity is
/// copied under the new keys. Every write is an upsert, so a run cut short is simply run again; a marker row
/// (<c>~v|layout</c>) in the shop's partition says it is done. When neither old table exists — every deployment since —
/// this costs one table query per process and nothing per shop.
/// </summary>
public sealed partial class LegacyStateUpgrade(TableServiceClient service, StateTables tables, IOptions<StateOptions> options, ILogger<LegacyStateUpgrade> logger)
{
    public const string OldIndexTable = "OrderIndex";
    public const string OldActivityTable = "Activity";
    public const string MarkerKey = "~v|layout";
    private const int Layout = 2;

    private readonly ConcurrentDictionary<string, Task> _shops = new(StringComparer.Ordinal);
    private readonly Lazy<Task<bool>> _legacyTablesExist = new(() => AnyTableAsync(service, options.Value.TablePrefix));

    public sealed record Result(int Pointers, int UsageRecords, int ActivityRows);

    /// <summary>Upgrades the shop once (per process: one run at a time; across processes: upserts meet harmlessly).</summary>
    public async Task EnsureAsync(string shopId, CancellationToken cancellationToken)
    {
        if (!await _legacyTablesExist.Value)
        {
            return;
        }

        var run = _shops.GetOrAdd(shopId, id => EnsureOnceAsync(id, cancellationToken));
        try
        {
            await run;
        }
        catch
        {
            // Not done: the next fetch of this shop tries again.
            _shops.TryRemove(new KeyValuePair<string, Task>(shopId, run));
            throw;
        }
    }

    /// <summary>Runs the upgrade of one shop now, marker or not (the operator's and the tests' entry).</summary>
    public async Task<Result> UpgradeAsync(string shopId, CancellationToken cancellationToken)
    {
        var orders = await tables.GetAsync(StateTables.Orders, cancellationToken);
        var (pointers, usage) = await RebuildPointersAsync(orders, shopId, cancellationToken);
        var activity = await CopyActivityAsync(orders, shopId, cancellationToken);
        await orders.UpsertEntityAsync(new TableEntity(shopId, MarkerKey) { ["Layout"] = Layout }, TableUpdateMode.Replace, cancellationToken);
        var result = new Result(pointers, usage, activity);
        Upgraded(logger, shopId, result.Pointers, result.UsageRecords, result.ActivityRows);
        return result;
    }

    private async Task EnsureOnceAsync(string shopId, CancellationToken cancellationToken)
    {
        var orders = await tables.GetAsync(StateTables.Orders, cancellationToken);
        var marker = await orders.GetEntityIfExistsAsync<TableEntity>(shopId, MarkerKey, select: ["Layout"], cancellationToken: cancellationToken);
        if (marker.HasValue && marker.Value!.GetInt32("Layout") >= Layout)
        {
            return;
        }

        await UpgradeAsync(shopId, cancellationToken);
    }

    /// <summary>Pointers (and the usage record of an order with a store order) for every order row that has no "All" pointer.</summary>
    private static async Task<(int Pointers, int Usage)> RebuildPointersAsync(TableClient orders, string shopId, CancellationToken cancellationToken)
    {
        var indexed = new HashSet<string>(StringComparer.Ordinal);
        var allPrefix = OrderIndexEntity.AllPrefix;
        await foreach (var pointer in orders.QueryAsync<OrderIndexEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and RowKey ge {allPrefix} and RowKey lt {OrderPartition.End(allPrefix)}"),
            maxPerPage: 1000, select: [nameof(OrderIndexEntity.OrderId)], cancellationToken: cancellationToken))
        {
            indexed.Add(pointer.OrderId);
        }

        var pointers = 0;
        var usage = 0;
        var batch = new Batch(orders);
        // Order rows are the keys below '~' (OrderPartition.OrderKey never starts with it).
        await foreach (var row in orders.QueryAsync<OrderEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and RowKey lt {"~"}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (indexed.Contains(row.OrderId))
            {
                continue;
            }

            var actions = OrderIndexStore.PointersFor(row).Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace, p)).ToList();
            pointers += actions.Count;
            if (row.StoreOrderId is not null)
            {
                var at = row.ImportedAt ?? row.Timestamp ?? DateTimeOffset.UnixEpoch;
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new TableEntity(shopId, UsageStore.Key(at, row.OrderId)) { ["OrderId"] = row.OrderId, ["At"] = at }));
                usage++;
            }

            await batch.AddAsync(actions, cancellationToken);
        }

        await batch.FlushAsync(cancellationToken);
        return (pointers, usage);
    }

    /// <summary>The old Activity table's rows of the shop under the new keys (<c>a|</c> → <c>~a|</c>, <c>o|</c> → <c>~o|</c>).</summary>
    private async Task<int> CopyActivityAsync(TableClient orders, string shopId, CancellationToken cancellationToken)
    {
        var old = service.GetTableClient(options.Value.TablePrefix + OldActivityTable);
        var copied = 0;
        var batch = new Batch(orders);
        try
        {
            await foreach (var row in old.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {shopId}"), maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                if (!row.RowKey.StartsWith("a|", StringComparison.Ordinal) && !row.RowKey.StartsWith("o|", StringComparison.Ordinal))
                {
                    continue;
                }

                var copy = new TableEntity(shopId, "~" + row.RowKey);
                foreach (var (name, value) in row)
                {
                    if (name is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
                    {
                        copy[name] = value;
                    }
                }

                await batch.AddAsync([new TableTransactionAction(TableTransactionActionType.UpsertReplace, copy)], cancellationToken);
                copied++;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No Activity table (only OrderIndex was left): nothing to copy.
        }

        await batch.FlushAsync(cancellationToken);
        return copied;
    }

    private static async Task<bool> AnyTableAsync(TableServiceClient service, string prefix)
    {
        var names = new[] { prefix + OldIndexTable, prefix + OldActivityTable };
        await foreach (var table in service.QueryAsync(TableServiceClient.CreateQueryFilter($"TableName eq {names[0]} or TableName eq {names[1]}")))
        {
            return true;
        }

        return false;
    }

    /// <summary>Entity group transactions of at most 100 actions; an order's actions never straddle two.</summary>
    private sealed class Batch(TableClient table)
    {
        private readonly List<TableTransactionAction> _actions = [];

        public async Task AddAsync(List<TableTransactionAction> actions, CancellationToken cancellationToken)
        {
            if (_actions.Count + actions.Count > 100)
            {
                await FlushAsync(cancellationToken);
            }

            _actions.AddRange(actions);
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_actions.Count > 0)
            {
                await table.SubmitTransactionAsync(_actions, cancellationToken);
                _actions.Clear();
            }
        }
    }

    [LoggerMessage(41, LogLevel.Information, "Shop {ShopId} upgraded from the old table layout: {Pointers} grid pointers and {UsageRecords} usage records rebuilt, {ActivityRows} activity rows copied")]
    private static partial void Upgraded(ILogger logger, string shopId, int pointers, int usageRecords, int activityRows);
}
