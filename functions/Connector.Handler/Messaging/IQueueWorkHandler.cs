namespace Connector.Messaging;

/// <summary>
/// Handles one kind of queue message (registered by message type, as eShop registers its integration-event handlers).
/// A service that does not answer is signalled by its exception (TikTokApiException, StoreUnavailableException,
/// RequestFailedException, ServiceBusException ...): the dispatcher classifies it once for every kind.
/// </summary>
public interface IQueueWorkHandler<in TMessage>
    where TMessage : QueueMessage
{
    Task<WorkOutcome> HandleAsync(TMessage message, Delivery delivery, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the work comes back as a scheduled message with growing pauses when a service does not answer (an order
    /// must never be dropped), rather than being redelivered at once by Service Bus.
    /// </summary>
    bool Reschedules => false;

    /// <summary>Shows the merchant that the work waits for a service and when it is tried again (from the third attempt).</summary>
    Task RecordWaitingAsync(TMessage message, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
