namespace Connector.Products;

/// <summary>
/// A shop's product settings (per shop, in the Products table): stock sync on by default (the overselling fix), the rules
/// applied to the store's quantity before it goes to TikTok, and price sync (off by default) with its markup.
/// </summary>
public sealed record ProductSettings
{
    /// <summary>Store stock is pushed to TikTok.</summary>
    public bool StockSync { get; init; } = true;

    /// <summary>Percent of the store's quantity held back from TikTok (CedCommerce "Reserve Inventory"), 0–100.</summary>
    public int ReservePercent { get; init; }

    /// <summary>At or below this many units TikTok shows the SKU sold out (AfterShip "out-of-stock threshold").</summary>
    public int OutOfStockThreshold { get; init; }

    /// <summary>Never list more than this on TikTok (Linnworks "maximum listed"); 0 = no maximum.</summary>
    public int MaximumListed { get; init; }

    /// <summary>Store prices are pushed to TikTok (UpdatePrice), with <see cref="PriceMarkupPercent"/>.</summary>
    public bool PriceSync { get; init; }

    /// <summary>Percent added to the store price on TikTok (may be negative, ≥ -90).</summary>
    public decimal PriceMarkupPercent { get; init; }

    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (ReservePercent is < 0 or > 100)
        {
            errors["reservePercent"] = ["A percentage from 0 to 100."];
        }

        if (OutOfStockThreshold is < 0 or > StockRules.TikTokMaximum)
        {
            errors["outOfStockThreshold"] = ["From 0 to 99,999 units."];
        }

        if (MaximumListed is < 0 or > StockRules.TikTokMaximum)
        {
            errors["maximumListed"] = ["From 0 (no maximum) to 99,999 units."];
        }

        if (PriceMarkupPercent is < -90 or > 1000)
        {
            errors["priceMarkupPercent"] = ["A percentage from -90 to 1000."];
        }

        return errors;
    }
}

/// <summary>
/// What TikTok should list for one SKU: the store's available quantity, minus units of TikTok orders not yet in the store,
/// minus the reserve (rounded so the reserve is never smaller than asked), zero at or below the threshold, capped at the
/// maximum and at TikTok's 99,999; never negative.
/// </summary>
public static class StockRules
{
    /// <summary>UpdateInventory's largest quantity (product.json: "Valid range: [1, 99,999]").</summary>
    public const int TikTokMaximum = 99_999;

    public static int Quantity(int storeAvailable, int pendingUnits, ProductSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        long quantity = Math.Max(0, storeAvailable) - Math.Max(0, pendingUnits);
        if (quantity <= 0)
        {
            return 0;
        }

        quantity -= (long)Math.Ceiling(quantity * settings.ReservePercent / 100m);
        if (quantity <= settings.OutOfStockThreshold)
        {
            return 0;
        }

        if (settings.MaximumListed > 0)
        {
            quantity = Math.Min(quantity, settings.MaximumListed);
        }

        return (int)Math.Clamp(quantity, 0, TikTokMaximum);
    }

    /// <summary>The TikTok price of a store price under the markup, rounded to cents (never below 0.01).</summary>
    public static decimal Price(decimal storePrice, ProductSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Math.Max(0.01m, Math.Round(storePrice * (100m + settings.PriceMarkupPercent) / 100m, 2, MidpointRounding.AwayFromZero));
    }

    /// <summary>A linked SKU of a live product whose TikTok price is not the store price under the markup.</summary>
    public static bool PriceDue(ProductLinkEntity row, ProductSettings settings)
    {
        ArgumentNullException.ThrowIfNull(row);
        return StockPlan.IsPushable(row) && row is { StorePrice: not null, TikTokStatus: StockPlan.Live, TikTokCurrency: not null }
            && row.TikTokPrice != (double)Price((decimal)row.StorePrice.Value, settings);
    }

    /// <summary>TikTok's price string ("9.5", "14.99") as a number; null when absent or not a number.</summary>
    public static double? ParsePrice(string? text) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value) ? (double)value : null;
}
