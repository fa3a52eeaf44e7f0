using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Connector.Messaging;
using Connector.Orders.WriteBack;
using Connector.State;
using Connector.TikTok;

namespace Connector.Orders.Actions;

/// <summary>
/// The rules of a package shipped from the order page, shared by the route (checked at once from the order row) and the
/// runner (checked again against TikTok's fresh order): who ships, which status allows it, which units are left, and what a
/// tracking number may be.
/// </summary>
public static partial class PageShipments
{
    /// <summary>
    /// TikTok documents <c>tracking_number</c> only as a string (fulfillment.json MarkPackageAsShipped; its examples are
    /// "6617675021119438849", "JX12345", reference §6 "1Z999AA10123456784"). Assumed here: carriers' numbers are letters,
    /// digits and hyphens, 5–50 of them (UPS 18, USPS 20–34, Royal Mail 13), so spaces, punctuation and pasted text are refused.
    /// </summary>
    public const int MinTrackingLength = 5;

    public const int MaxTrackingLength = 50;

    public const string TrackingRule = "5–50 letters, digits or hyphens (the carrier's tracking number, no spaces).";

    /// <summary>At most this many SKUs in one package (an order page's lines).</summary>
    public const int MaxLines = 100;

    /// <summary>Seller SKUs as TikTok limits them (a SKU longer than this is not one of the order's).</summary>
    public const int MaxSkuLength = 50;

    /// <summary>Prefix of the key a page shipment is recorded under among the order's shipments sent to TikTok.</summary>
    public const string RecordPrefix = "page:";

    public static string? TrackingProblem(string? tracking) =>
        tracking is not null && TrackingPattern().IsMatch(tracking) ? null : $"trackingNumber must be {TrackingRule}";

    public static string? ProviderProblem(string? providerId) =>
        TikTokIds.IsOrderId(providerId) ? null : "shippingProviderId must be one of the order's TikTok shipping providers (digits).";

    /// <summary>Whether the units are a package at all (field and why); whether they are left to ship is <see cref="Exceeding"/>.</summary>
    public static (string Field, string Message)? UnitsProblem(IReadOnlyList<ShipUnits>? units)
    {
        if (units is not { Count: > 0 and <= MaxLines })
        {
            return ("lines", $"lines must list 1–{MaxLines} SKUs with the units of this package.");
        }

        for (var i = 0; i < units.Count; i++)
        {
            if (units[i].SellerSku is not { Length: > 0 and <= MaxSkuLength } sku || sku.Any(char.IsControl))
            {
                return ($"lines[{i}].sellerSku", $"A seller SKU of the order (1–{MaxSkuLength} characters).");
            }

            if (units[i].Quantity < 1)
            {
                return ($"lines[{i}].quantity", "At least 1 unit.");
            }

            if (units.Take(i).Any(u => u.SellerSku == sku))
            {
                return ($"lines[{i}].sellerSku", $"SKU {sku} is listed twice; give its units once.");
            }
        }

        return null;
    }

    /// <summary>The package's contents as a key: the same carrier, tracking and units are the same package (a repeated press).</summary>
    public static string Key(string providerId, string tracking, IReadOnlyList<ShipUnits> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var text = $"{providerId}|{tracking}|{string.Join("|", units.OrderBy(u => u.SellerSku, StringComparer.Ordinal).Select(u => $"{u.SellerSku}={u.Quantity}"))}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..20];
    }

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

    [GeneratedRegex("^[A-Za-z0-9-]{5,50}$")]
    private static partial Regex TrackingPattern();
}
