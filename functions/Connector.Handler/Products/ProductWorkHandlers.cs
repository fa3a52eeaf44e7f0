using Connector.Messaging;

namespace Connector.Products;

/// <summary>"Sync Shop Status" or the periodic scan of one shop.</summary>
public sealed class ProductSyncJobHandler(ProductSync sync) : IQueueWorkHandler<ProductSyncJob>
{
    public bool Reschedules => true;

    public async Task<WorkOutcome> HandleAsync(ProductSyncJob message, Delivery delivery, CancellationToken cancellationToken) =>
        new WorkOutcome.Done(await sync.RunAsync(message, cancellationToken));
}

/// <summary>One product's stock to TikTok; retried with growing pauses when TikTok does not answer (429 included), like order work.</summary>
public sealed class StockPushHandler(StockPusher pusher) : IQueueWorkHandler<StockPush>
{
    public bool Reschedules => true;

    public Task<WorkOutcome> HandleAsync(StockPush message, Delivery delivery, CancellationToken cancellationToken) =>
        pusher.PushAsync(message, cancellationToken);
}
