using Connector.Messaging;
using Connector.Orders.Actions;

namespace Connector.Orders.Work;

/// <summary>A package the merchant shipped from the order page.</summary>
public sealed class ShipWorkHandler(ShipFromPage shipping) : IQueueWorkHandler<ShipWork>
{
    public Task<WorkOutcome> HandleAsync(ShipWork message, Delivery delivery, CancellationToken cancellationToken) =>
        shipping.RunAsync(message, delivery, cancellationToken);
}
