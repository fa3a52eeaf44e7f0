using System.ComponentModel.DataAnnotations;

namespace Connector.Messaging;

/// <summary>
/// The queues (design §2, §6.1: settings <c>OrdersQueueName</c> and <c>BulkQueueName</c>) and how hard the bulk lane may
/// run on one instance (<c>Queues__BulkConcurrency</c>).
/// </summary>
public sealed class QueueOptions
{
    public const string Section = "Queues";

    /// <summary>Service Bus drops a message whose MessageId it saw this recently (infra: duplicateDetectionHistoryTimeWindow PT10M).</summary>
    public static readonly TimeSpan DuplicateDetectionWindow = TimeSpan.FromMinutes(10);

    [Required, RegularExpression(EntityNamePattern, ErrorMessage = EntityNameMessage)]
    public string OrdersQueueName { get; set; } = "orders";

    [Required, RegularExpression(EntityNamePattern, ErrorMessage = EntityNameMessage)]
    public string BulkQueueName { get; set; } = "bulk";

    /// <summary>
    /// Bulk messages worked on at once per instance; the rest wait in the handler (the host keeps renewing their locks), so a
    /// backfill leaves the store's rate budget and the instance's threads to the waiting lane.
    /// </summary>
    [Range(1, 64)] public int BulkConcurrency { get; set; } = 8;

    public string QueueFor(WorkLane lane) => lane == WorkLane.Bulk ? BulkQueueName : OrdersQueueName;

    // Service Bus entity names: letters, digits, '.', '-', '_', at most 260 characters (we keep to 50, one path segment).
    private const string EntityNamePattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$";
    private const string EntityNameMessage = "A queue name is 1-50 letters, digits, '.', '-' or '_', starting with a letter or digit.";
}
