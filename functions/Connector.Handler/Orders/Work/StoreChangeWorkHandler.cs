using Connector.Messaging;
using Connector.Orders.WriteBack;

namespace Connector.Orders.Work;

/// <summary>A store order the merchant changed: carry shipments and cancellation to TikTok. Never dropped either.</summary>
public sealed class StoreChangeWorkHandler(StoreWriteBack writeBack) : IQueueWorkHandler<StoreChangeWork>
{
    public bool Reschedules => true;

    public Task<WorkOutcome> HandleAsync(StoreChangeWork message, Delivery delivery, CancellationToken cancellationToken) =>
        writeBack.ProcessAsync(message, delivery, cancellationToken);

    public Task RecordWaitingAsync(StoreChangeWork message, string reason, CancellationToken cancellationToken) =>
        writeBack.RecordWaitingAsync(message, reason, cancellationToken);
}
