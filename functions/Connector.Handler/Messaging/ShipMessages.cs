using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Connector.TikTok;

namespace Connector.Messaging;

/// <summary>Units of one seller SKU in a package shipped from the order page.</summary>
public sealed record ShipUnits(string SellerSku, int Quantity);

/// <summary>
/// A package the merchant ships from the order page (issue 13 item 4): carrier, tracking and the units in it. The merchant
/// waits for it: the waiting lane. The MessageId is the package's contents, so a repeated press is one shipment.
/// </summary>
public sealed record ShipWork : QueueMessage
{
    [JsonIgnore] public override string Kind => "ship";

    [JsonIgnore] public override WorkLane Lane => WorkLane.Waiting;

    public required string OrderId { get; init; }
    public required string ShippingProviderId { get; init; }
    public required string TrackingNumber { get; init; }
    public required IReadOnlyList<ShipUnits> Units { get; init; }

    /// <summary>The package's key: what the order row records once it is on TikTok (see <see cref="ShipRules.Key"/>).</summary>
    [JsonIgnore] public string Key => ShipRules.Key(ShippingProviderId, TrackingNumber, Units);

    public override string? Problem()
    {
        if (!TikTokIds.IsOrderId(OrderId))
        {
            return TikTokIds.OrderIdRule;
        }

        return ShipRules.ProviderProblem(ShippingProviderId)
            ?? ShipRules.TrackingProblem(TrackingNumber)
            ?? ShipRules.UnitsProblem(Units)?.Message;
    }

    public override string MessageId => $"ship:{ShopId}:{OrderId}:{Key}";
}

/// <summary>What a package shipped from the order page may be, whatever the order: carrier id, tracking number, SKUs and units.</summary>
public static partial class ShipRules
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

    [GeneratedRegex("^[A-Za-z0-9-]{5,50}$")]
    private static partial Regex TrackingPattern();
}
