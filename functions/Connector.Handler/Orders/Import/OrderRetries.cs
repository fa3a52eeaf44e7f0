using Connector.Messaging;
using Connector.State;
using Microsoft.Extensions.Options;

using Connector.TikTok;

namespace Connector.Orders.Import;

/// <summary>Puts failed orders back on the queue: one, several, all, or those a SKU mapping just fixed.</summary>
public sealed class OrderRetries(OrderStore orders, OrderIndexStore index, IQueueSender sender, ActivityStore activity, TimeProvider time)
{
    public async Task<int> RetryAsync(string shopId, IEnumerable<string> orderIds, CancellationToken cancellationToken)
    {
        var attempt = $"r{time.GetUtcNow().ToUnixTimeMilliseconds()}";
        var messages = new List<QueueMessage>();
        foreach (var orderId in orderIds.Distinct(StringComparer.Ordinal))
        {
            var row = await orders.GetAsync(shopId, orderId, cancellationToken);
            if (row?.ImportState != ImportStates.Failed)
            {
                continue;
            }

            messages.Add(new OrderWork { ShopId = shopId, OrderId = row.OrderId, UpdateTime = row.TikTokUpdateTime, Reason = "retry", Attempt = attempt });
        }

        if (messages.Count > 0)
        {
            await sender.SendAsync(messages, cancellationToken);
            await activity.AddAsync(shopId, "retry", null, $"Retry of {messages.Count} failed order(s) requested.", cancellationToken);
        }

        return messages.Count;
    }

    public async Task<int> RetryAllFailedAsync(string shopId, CancellationToken cancellationToken)
    {
        var failed = await index.ListStatusAsync(shopId, TikTokStatus.Failed, cancellationToken);
        return await RetryAsync(shopId, failed.Select(f => f.OrderId), cancellationToken);
    }

    public async Task<int> RetryFailedWithSkuAsync(string shopId, string sellerSku, CancellationToken cancellationToken)
    {
        var failed = await index.ListStatusAsync(shopId, TikTokStatus.Failed, cancellationToken);
        var affected = failed.Where(f => (f.Skus ?? "").Split(',').Contains(sellerSku, StringComparer.Ordinal)).Select(f => f.OrderId);
        return await RetryAsync(shopId, affected, cancellationToken);
    }
}
