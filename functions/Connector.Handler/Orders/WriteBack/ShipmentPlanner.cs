using Connector.Stores;
using Connector.TikTok;

namespace Connector.Orders.WriteBack;

/// <summary>A store shipment already carried to TikTok (kept on the order row so it is sent once).</summary>
public sealed record SentShipment(string StoreShipmentId, string? PackageId, string? TrackingNumber, int Units);

/// <summary>
/// Which TikTok line items a store shipment covers. TikTok has one line item per unit (§4.4); the store ships units of
/// its products, which Connector matched to TikTok seller SKUs at import (<see cref="OrderLineView.StoreProductId"/>).
/// </summary>
public static class ShipmentPlanner
{
    /// <summary>Line items still waiting for shipment on TikTok: no package yet, not cancelled.</summary>
    public static IReadOnlyList<TikTokLineItem> Unshipped(TikTokOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return [.. order.LineItems.Where(l => string.IsNullOrEmpty(l.PackageId) && string.IsNullOrEmpty(l.TrackingNumber)
            && l.CancelUser is null && l.DisplayStatus != TikTokStatus.Cancelled)];
    }

    /// <summary>
    /// The TikTok line item ids for the shipment's units: per shipped store product, that many unshipped line items of the
    /// TikTok SKU matched to it (by store product id, else by SKU). Units with no unshipped line item left are skipped:
    /// they were shipped already (an earlier shipment, or on TikTok directly).
    /// </summary>
    public static IReadOnlyList<string> LineItemsFor(StoreShipment shipment, IReadOnlyList<OrderLineView> lines, TikTokOrder order)
    {
        ArgumentNullException.ThrowIfNull(shipment);
        ArgumentNullException.ThrowIfNull(lines);
        var available = Unshipped(order).ToList();
        var chosen = new List<string>();
        foreach (var shipped in shipment.Lines)
        {
            var skus = lines
                .Where(l => shipped.ProductId is not null && l.StoreProductId == shipped.ProductId)
                .Select(l => l.SellerSku)
                .ToHashSet(StringComparer.Ordinal);
            if (skus.Count == 0 && shipped.Sku is not null)
            {
                skus.Add(shipped.Sku);
            }

            foreach (var item in available.Where(l => skus.Contains(l.SellerSku?.Trim() ?? "")).Take(shipped.Quantity).ToList())
            {
                chosen.Add(item.Id);
                available.Remove(item);
            }
        }

        return chosen;
    }

    /// <summary>
    /// TikTok's provider for the store's carrier name: the same name ignoring case, spaces and punctuation, else the one
    /// provider whose name starts with the carrier's or the other way round ("FedEx Ground" → "FedEx"). Null when none or several fit.
    /// </summary>
    public static TikTokShippingProvider? ProviderFor(string? carrier, IReadOnlyList<TikTokShippingProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var wanted = Normalize(carrier);
        if (wanted.Length == 0)
        {
            return null;
        }

        var exact = providers.Where(p => Normalize(p.Name) == wanted).ToList();
        if (exact.Count == 1)
        {
            return exact[0];
        }

        var prefix = providers.Where(p => Normalize(p.Name) is { Length: > 0 } name
            && (wanted.StartsWith(name, StringComparison.Ordinal) || name.StartsWith(wanted, StringComparison.Ordinal))).ToList();
        return prefix.Count == 1 ? prefix[0] : null;
    }

    private static string Normalize(string? name) =>
        new([.. (name ?? "").ToLowerInvariant().Where(char.IsLetterOrDigit)]);
}
