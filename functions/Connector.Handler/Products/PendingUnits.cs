using Connector.Orders;
using Connector.State;
using Connector.TikTok;

namespace Connector.Products;

/// <summary>
/// Units of TikTok orders not yet in the store (failed imports, orders TikTok still holds, orders on their way in): TikTok
/// has already taken them off its stock but the store has not, so they are taken off the store's quantity before it is sent.
/// Read from the order index's status pointers (one range query per status) and only the orders naming one of the SKUs.
/// </summary>
public sealed class PendingUnits(OrderIndexStore index, OrderStore orders)
{
    private static readonly string[] Statuses = [TikTokStatus.Failed, TikTokStatus.Unpaid, TikTokStatus.OnHold, TikTokStatus.AwaitingShipment];

    public async Task<Dictionary<string, int>> CountAsync(string shopId, IReadOnlySet<string>? sellerSkus, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var status in Statuses)
        {
            foreach (var pointer in await index.ListStatusAsync(shopId, status, cancellationToken))
            {
                var skus = (pointer.Skus ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
                if (sellerSkus is null || skus.Any(sellerSkus.Contains))
                {
                    candidates.Add(pointer.OrderId);
                }
            }
        }

        if (candidates.Count == 0)
        {
            return result;
        }

        foreach (var order in (await orders.GetManyAsync(shopId, candidates, cancellationToken)).Values)
        {
            if (order.StoreOrderId is not null || order.ImportState is ImportStates.Imported or ImportStates.Skipped)
            {
                continue;
            }

            foreach (var line in OrderSnapshot.ParseLinesJson(order.LinesJson) ?? [])
            {
                if (sellerSkus is null || sellerSkus.Contains(line.SellerSku))
                {
                    result[line.SellerSku] = result.GetValueOrDefault(line.SellerSku) + line.Quantity;
                }
            }
        }

        return result;
    }
}
