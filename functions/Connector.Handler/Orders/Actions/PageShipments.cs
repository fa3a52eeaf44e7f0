using Connector.Messaging;
using Connector.Orders.WriteBack;
using Connector.State;
using Connector.TikTok;

namespace Connector.Orders.Actions;

/// <summary>
/// The rules of a package shipped from the order page that depend on the order, shared by the route (checked at once from
/// the order row) and the runner (checked again against TikTok's fresh order): who ships, which status allows it, which
/// units are left. What the package itself may be is <see cref="ShipRules"/>.
/// </summary>
public static class PageShipments
{
    /// <summary>Prefix of the key a page shipment is recorded under among the order's shipments sent to TikTok.</summary>
    public const string RecordPrefix = "page:";

    /// <summary>Why the order cannot be shipped from the page (from what TikTok said last), or null.</summary>
    public static string? Refusal(string status, bool shippedByTikTok)
    {
        status = TikTokStatus.Normalize(status);
        return shippedByTikTok
            ? "TikTok ships this order (TikTok shipping or Fulfilled by TikTok): there is nothing to ship from here."
            : status switch
            {
                TikTokStatus.AwaitingShipment or TikTokStatus.PartiallyShipping => null,
                TikTokStatus.Cancelled => "the order is cancelled: don't send the parcel.",
                TikTokStatus.Unpaid or TikTokStatus.OnHold =>
                    $"the order is {TikTokStatus.Label(status)}: TikTok takes tracking only once it is Awaiting Shipment.",
                _ => $"the order is {TikTokStatus.Label(status)}: every unit is shipped already.",
            };
    }

    /// <summary>Units left to ship per seller SKU on TikTok: line items with no package yet, not cancelled.</summary>
    public static Dictionary<string, int> Remaining(TikTokOrder order) =>
        ShipmentPlanner.Unshipped(order).GroupBy(l => l.SellerSku?.Trim() ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Units left to ship per seller SKU as the order row last saw them: the order's units less those TikTok shipped.</summary>
    public static Dictionary<string, int> Remaining(OrderEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var shipped = OrderSnapshot.ShippedUnits(row);
        return OrderSnapshot.Lines(row).GroupBy(l => l.SellerSku).ToDictionary(
            g => g.Key, g => Math.Max(0, g.Sum(l => l.Quantity) - shipped.GetValueOrDefault(g.Key)), StringComparer.Ordinal);
    }

    /// <summary>The first line asking for more units than are left (its index and why), or null.</summary>
    public static (int Index, string Message)? Exceeding(IReadOnlyList<ShipUnits> units, IReadOnlyDictionary<string, int> remaining)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(remaining);
        for (var i = 0; i < units.Count; i++)
        {
            var left = remaining.GetValueOrDefault(units[i].SellerSku);
            if (units[i].Quantity > left)
            {
                return (i, left == 0
                    ? $"No unit of SKU {units[i].SellerSku} is left to ship on this order."
                    : $"Only {left} unit(s) of SKU {units[i].SellerSku} are left to ship; the package can't hold {units[i].Quantity}.");
            }
        }

        return null;
    }

    /// <summary>Whether this package is on TikTok already, recorded on the order (the page's or a redelivery's).</summary>
    public static bool IsRecorded(IEnumerable<SentShipment> sent, string key) =>
        sent.Any(s => s.StoreShipmentId == RecordPrefix + key);
}
