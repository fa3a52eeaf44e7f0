
namespace Connector.Messaging;

/// <summary>Which Service Bus delivery is running: the claim on an order is tied to it (the importer and the write-back claim order rows by it).</summary>
public sealed record Delivery(string MessageId, int DeliveryCount)
{
    /// <summary>
    /// A rescheduled attempt (<see cref="QueueMessage.Retry"/>) continues its message: same id, a higher count, so it may
    /// take over the claim its earlier attempt left, as a redelivery does.
    /// </summary>
    public static Delivery Of(QueueMessage message, string serviceBusMessageId, int deliveryCount)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = message.Retry > 0 ? message.FirstAttemptMessageId : serviceBusMessageId.Length > 0 ? serviceBusMessageId : message.ServiceBusMessageId;
        return new Delivery(id, (message.Retry * 100) + deliveryCount);
    }
}
