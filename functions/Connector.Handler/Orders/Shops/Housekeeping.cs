using Azure;
using Azure.Data.Tables;
using Connector.Messaging;
using Connector.State;
using Microsoft.Extensions.Options;

namespace Connector.Orders.Shops;

/// <summary>
/// Keeps the tables from growing without bound: webhook notification ids are kept 3 days (TikTok retries for about
/// 15 hours, §7.1) and the shop's activity feed 90 days (an order's own timeline stays with the order). The nightly
/// timer queues one job per shop, like the fetch fan-out, so no invocation walks every shop.
/// </summary>
public sealed class Housekeeping(StateTables tables, ShopStore shops, IQueueSender sender, LegacyStateUpgrade upgrade, TimeProvider time)
{
    public static readonly TimeSpan KeepNotificationIds = TimeSpan.FromDays(3);
    public static readonly TimeSpan KeepActivity = TimeSpan.FromDays(90);

    public async Task<int> FanOutAsync(CancellationToken cancellationToken)
    {
        var runId = time.GetUtcNow().ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var jobs = new List<QueueMessage>();
        await foreach (var shop in shops.ListAllAsync(cancellationToken))
        {
            jobs.Add(new CleanupJob { ShopId = shop, RunId = runId });
        }

        await sender.SendAsync(jobs, cancellationToken);
        return jobs.Count;
    }

    public async Task<string> RunAsync(CleanupJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        // Also reaches shops that are not fetched (disconnected ones) after an upgrade from the old table layout.
        await upgrade.EnsureAsync(job.ShopId, cancellationToken);
        var now = time.GetUtcNow();
        var dedupe = await tables.GetAsync(StateTables.Dedupe, cancellationToken);
        var oldIds = dedupe.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {job.ShopId} and At lt {now - KeepNotificationIds}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        var removedIds = await DeleteAsync(dedupe, oldIds, cancellationToken);

        // The feed's row keys are newest first, so everything older than the cut-off is one key range.
        var activity = await tables.GetAsync(StateTables.Orders, cancellationToken);
        var from = ActivityEntity.FeedKeyFrom(now - KeepActivity);
        var oldActivity = activity.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {job.ShopId} and RowKey ge {from} and RowKey lt {OrderPartition.End(OrderPartition.Feed)}"),
            select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        var removedActivity = await DeleteAsync(activity, oldActivity, cancellationToken);
        return $"Shop {job.ShopId}: removed {removedIds} old notification ids and {removedActivity} old activity entries.";
    }

    /// <summary>Deletes in entity-group transactions of at most 100 rows (one partition each).</summary>
    private static async Task<int> DeleteAsync(TableClient table, AsyncPageable<TableEntity> rows, CancellationToken cancellationToken)
    {
        var batch = new List<TableTransactionAction>();
        var count = 0;
        await foreach (var row in rows)
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
            if (batch.Count == 100)
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                count += batch.Count;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
            count += batch.Count;
        }

        return count;
    }
}
