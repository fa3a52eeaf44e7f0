namespace Connector.Messaging;

/// <summary>
/// Which queue a message travels on (design §3, "waiting work first"): work a webhook or the merchant is waiting for
/// never sits behind bulk work such as a first-connection backfill.
/// </summary>
public enum WorkLane
{
    /// <summary>The orders queue (<c>OrdersQueueName</c>, ProcessOrderMessage): new or changed orders, retries, merchant actions.</summary>
    Waiting,

    /// <summary>The bulk queue (<c>BulkQueueName</c>, ProcessBulkMessage): fetch pages and what they find, store scans, housekeeping.</summary>
    Bulk,
}
