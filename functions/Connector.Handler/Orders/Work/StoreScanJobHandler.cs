using Connector.Messaging;
using Connector.Orders.WriteBack;

namespace Connector.Orders.Work;

/// <summary>One page of a shop's store scan (store → TikTok).</summary>
public sealed class StoreScanJobHandler(StoreChangeScanner scanner) : IQueueWorkHandler<StoreScanJob>
{
    public async Task<WorkOutcome> HandleAsync(StoreScanJob message, Delivery delivery, CancellationToken cancellationToken) =>
        new WorkOutcome.Done(await scanner.RunPageAsync(message, cancellationToken));
}
