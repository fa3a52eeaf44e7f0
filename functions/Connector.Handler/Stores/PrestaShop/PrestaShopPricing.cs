namespace Connector.Stores.PrestaShop;

/// <summary>
/// What PrestaShop will charge for a cart, the way <c>Cart::getOrderTotal</c> computes it (store-apis.md §1.4, §1.5):
/// per line a tax-excluded unit price (here: the cart-scoped specific price), its tax from the product's rules group for
/// the delivery country, rounded per <c>PS_ROUND_TYPE</c> (1 item, 2 line, 3 total) with <c>PS_PRICE_ROUND_MODE</c>.
/// Used to pick the tax-excluded pin that makes PrestaShop land exactly on TikTok's tax-included price, so
/// validateOrder does not flip the order to "Payment error".
/// </summary>
public static class PrestaShopPricing
{
    public const int RoundItem = 1;
    public const int RoundLine = 2;
    public const int RoundTotal = 3;

    /// <summary>The precision PrestaShop keeps for unit prices before its display rounding.</summary>
    private const int UnitPrecision = 6;

    /// <summary>One cart line: the pinned tax-excluded unit price, the quantity and the tax rate in percent.</summary>
    public readonly record struct Line(decimal UnitTaxExcluded, int Quantity, decimal TaxRatePercent);

    /// <summary>
    /// The tax-excluded unit price (6 decimals) whose tax-included price PrestaShop rounds to <paramref name="unitTaxIncluded"/>
    /// for <paramref name="quantity"/> units, under the shop's rounding; nudged by 10⁻⁶ steps when the plain division misses.
    /// </summary>
    public static decimal PinUnitPrice(decimal unitTaxIncluded, int quantity, decimal taxRatePercent, int roundType, int roundMode, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unitTaxIncluded);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        var factor = 1m + (taxRatePercent / 100m);
        var first = Math.Round(unitTaxIncluded / factor, UnitPrecision, MidpointRounding.AwayFromZero);
        var target = Round(unitTaxIncluded * quantity, precision, roundMode);
        var step = 0.000001m;
        for (var i = 0; i <= 50; i++)
        {
            foreach (var candidate in i == 0 ? [first] : new[] { first + (step * i), first - (step * i) })
            {
                if (candidate >= 0 && LineTotal(new Line(candidate, quantity, taxRatePercent), roundType, roundMode, precision, roundTotal: true) == target)
                {
                    return candidate;
                }
            }
        }

        return first;
    }

    /// <summary>The products total, tax included, PrestaShop computes for these lines.</summary>
    public static decimal ProductsTotal(IEnumerable<Line> lines, int roundType, int roundMode, int precision)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var sum = lines.Sum(l => LineTotal(l, roundType, roundMode, precision, roundTotal: false));
        return Round(sum, precision, roundMode);
    }

    private static decimal LineTotal(Line line, int roundType, int roundMode, int precision, bool roundTotal)
    {
        var factor = 1m + (line.TaxRatePercent / 100m);
        var incl = Math.Round(line.UnitTaxExcluded * factor, UnitPrecision, MidpointRounding.AwayFromZero);
        var total = roundType switch
        {
            RoundTotal => incl * line.Quantity,
            RoundLine => Round(incl * line.Quantity, precision, roundMode),
            _ => Round(incl, precision, roundMode) * line.Quantity,
        };
        return roundTotal ? Round(total, precision, roundMode) : total;
    }

    /// <summary><c>Tools::ps_round</c> with PS_PRICE_ROUND_MODE: 0 up, 1 down, 2 half up, 3 half down, 4 half even, 5 half odd.</summary>
    public static decimal Round(decimal value, int precision, int mode)
    {
        var scale = 1m;
        for (var i = 0; i < precision; i++)
        {
            scale *= 10m;
        }

        var scaled = value * scale;
        var floor = Math.Floor(scaled);
        var fraction = scaled - floor;
        return mode switch
        {
            0 => Math.Ceiling(scaled) / scale,
            1 => floor / scale,
            3 => (fraction > 0.5m ? floor + 1 : floor) / scale,
            4 => Math.Round(value, precision, MidpointRounding.ToEven),
            5 => fraction == 0.5m ? (floor % 2 == 0 ? floor + 1 : floor) / scale : Math.Round(value, precision, MidpointRounding.AwayFromZero),
            _ => Math.Round(value, precision, MidpointRounding.AwayFromZero),
        };
    }
}
