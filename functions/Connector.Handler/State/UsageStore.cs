using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>Orders synced per shop and calendar month (UTC), for the plan limit on the dashboard. Row in Cursors: RK usage|yyyyMM.</summary>
public sealed class UsageStore(StateTables tables, TimeProvider time)
{
    public async Task IncrementAsync(string shopId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Cursors, cancellationToken);
        var key = RowKey(time.GetUtcNow());
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(shopId, key, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue)
                {
                    await table.AddEntityAsync(new TableEntity(shopId, key) { ["Imported"] = 1 }, cancellationToken);
                }
                else
                {
                    var entity = existing.Value!;
                    entity["Imported"] = (entity.GetInt32("Imported") ?? 0) + 1;
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another import counted at the same moment: read again and add ours.
            }
        }
    }

    public async Task<int> ThisMonthAsync(string shopId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Cursors, cancellationToken);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(shopId, RowKey(time.GetUtcNow()), cancellationToken: cancellationToken);
        return existing.HasValue ? existing.Value!.GetInt32("Imported") ?? 0 : 0;
    }

    private static string RowKey(DateTimeOffset now) => $"usage|{now:yyyyMM}";
}
