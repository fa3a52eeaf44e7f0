using Connector.Messaging;
using Connector.Orders.Shops;

namespace Connector.Orders.Work;

/// <summary>A TikTok authorisation event of a shop.</summary>
public sealed class ShopEventWorkHandler(ShopEvents shopEvents) : IQueueWorkHandler<ShopEvent>
{
    public async Task<WorkOutcome> HandleAsync(ShopEvent message, Delivery delivery, CancellationToken cancellationToken) =>
        new WorkOutcome.Done(await shopEvents.ApplyAsync(message, cancellationToken));
}
