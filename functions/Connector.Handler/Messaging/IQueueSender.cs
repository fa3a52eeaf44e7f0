namespace Connector.Messaging;

/// <summary>
/// The queue boundary (design §4): puts work on the queue of its <see cref="WorkLane"/>. Every message has a deterministic
/// MessageId, so a send repeated after a lost answer is dropped by duplicate detection.
/// </summary>
public interface IQueueSender
{
    /// <summary>Sends in order, in as few batches as fit; all messages are accepted when it returns.</summary>
    Task SendAsync(IReadOnlyCollection<QueueMessage> messages, CancellationToken cancellationToken);
}

public static class QueueSenderExtensions
{
    public static Task SendAsync(this IQueueSender sender, QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return sender.SendAsync([message], cancellationToken);
    }
}
