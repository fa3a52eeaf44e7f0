using Connector.Messaging;
using Connector.Stores;
using Connector.TikTok;
using Connector.Orders.Import;
using Connector.State;

namespace Connector.Orders.Work;

/// <summary>An order to import or update. It is never dropped: when a service does not answer it comes back later and later.</summary>
public sealed class OrderWorkHandler(OrderImporter importer, LegacyStateUpgrade upgrade) : IQueueWorkHandler<OrderWork>
{
    public bool Reschedules => true;

    public async Task<WorkOutcome> HandleAsync(OrderWork message, Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            // An order of a shop an older build wrote is saved only once the shop is in the current layout (a no-op since).
            await upgrade.EnsureAsync(message.ShopId, cancellationToken);

            // The importer also has TikTok show the store order number (order API 202406) with the rows it holds.
            return await importer.ProcessAsync(message, delivery, cancellationToken);
        }
        catch (TikTokApiException e) when (!e.IsTransient && e.Code != TikTokErrorCodes.ExpiredAccessToken)
        {
            // TikTok refuses this shop's calls (authorisation revoked or expired): redelivering cannot help; the order says why.
            var reason = $"TikTok refused the call: {e.TikTokMessage} (code {e.Code}). Reconnect the shop, then retry the order.";
            await importer.RecordProblemAsync(message, "TIKTOK_REFUSED", reason, cancellationToken);
            return new WorkOutcome.Failed("TIKTOK_REFUSED", $"Order {message.OrderId}: {reason}");
        }
        catch (StoreRejectedException e)
        {
            // The store's connection itself is refused (an address no longer allowed, a credential that cannot be sent): the order says why.
            var reason = $"{e.Message} Fix the store connection, then retry the order.";
            await importer.RecordProblemAsync(message, "STORE_REJECTED", reason, cancellationToken);
            return new WorkOutcome.Failed("STORE_REJECTED", $"Order {message.OrderId}: {reason}");
        }
        catch (QueueMessageTooLargeException e)
        {
            var reason = $"Connector could not queue this order's work: {e.Message} Retry the order.";
            await importer.RecordProblemAsync(message, "QUEUE_REFUSED", reason, cancellationToken);
            return new WorkOutcome.Failed("QUEUE_REFUSED", $"Order {message.OrderId}: {reason}");
        }
    }

    public Task RecordWaitingAsync(OrderWork message, string reason, CancellationToken cancellationToken) =>
        importer.RecordProblemAsync(message, "UNAVAILABLE", reason, cancellationToken);
}
