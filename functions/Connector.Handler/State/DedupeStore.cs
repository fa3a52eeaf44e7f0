using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>
/// Webhook notifications already handled (PK = shop id, RK = tts_notification_id). TikTok retries for up to ~15 hours,
/// longer than Service Bus duplicate detection remembers, so the id is kept here.
/// </summary>
public sealed class DedupeStore(StateTables tables, TimeProvider time)
{
    public async Task<bool> SeenAsync(string shopId, string notificationId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Dedupe, cancellationToken);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(shopId, KeyEncoding.Encode(notificationId), select: ["RowKey"], cancellationToken: cancellationToken);
        return existing.HasValue;
    }

    /// <summary>Records the notification; false when it was already recorded (a copy handled before or at the same moment).</summary>
    public async Task<bool> RememberAsync(string shopId, string notificationId, int type, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Dedupe, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(shopId, KeyEncoding.Encode(notificationId)) { ["Type"] = type, ["At"] = time.GetUtcNow() }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }
}
