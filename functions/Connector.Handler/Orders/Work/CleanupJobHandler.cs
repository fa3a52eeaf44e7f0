using Connector.Messaging;
using Connector.Orders.Shops;

namespace Connector.Orders.Work;

/// <summary>A shop's nightly housekeeping.</summary>
public sealed class CleanupJobHandler(Housekeeping housekeeping) : IQueueWorkHandler<CleanupJob>
{
    public async Task<WorkOutcome> HandleAsync(CleanupJob message, Delivery delivery, CancellationToken cancellationToken) =>
        new WorkOutcome.Done(await housekeeping.RunAsync(message, cancellationToken));
}
