using Connector.Messaging;
using Connector.Orders.Actions;

namespace Connector.Orders.Work;

/// <summary>An order action the merchant started (cancel, approve or reject a buyer's cancellation request).</summary>
public sealed class OrderActionWorkHandler(OrderActionRunner runner) : IQueueWorkHandler<OrderActionWork>
{
    public Task<WorkOutcome> HandleAsync(OrderActionWork message, Delivery delivery, CancellationToken cancellationToken) =>
        runner.RunAsync(message, cancellationToken);
}

/// <summary>Read an order's (or a shop's pending) buyer cancellation requests from TikTok.</summary>
public sealed class ReverseWorkHandler(BuyerCancellations cancellations) : IQueueWorkHandler<ReverseWork>
{
    public Task<WorkOutcome> HandleAsync(ReverseWork message, Delivery delivery, CancellationToken cancellationToken) =>
        cancellations.RefreshAsync(message, cancellationToken);
}

/// <summary>Carry a refund TikTok completed to the store order; a store that does not take it yet gets it again later.</summary>
public sealed class RefundWorkHandler(Refunds.StoreRefunds refunds) : IQueueWorkHandler<RefundWork>
{
    public bool Reschedules => true;

    public Task<WorkOutcome> HandleAsync(RefundWork message, Delivery delivery, CancellationToken cancellationToken) =>
        refunds.RunAsync(message, cancellationToken);
}
