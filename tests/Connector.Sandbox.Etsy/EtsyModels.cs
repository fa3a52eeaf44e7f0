namespace Connector.Sandbox.Etsy;

/// <summary>Etsy Money: <c>amount / divisor</c> in <c>currency_code</c>.</summary>
public sealed record EtsyMoney(long Amount, int Divisor, string CurrencyCode)
{
    public decimal Value => (decimal)Amount / Divisor;
}

public sealed record EtsyOffering(long OfferingId, int Quantity, bool IsEnabled, bool IsDeleted, EtsyMoney Price);

public sealed record EtsyPropertyValue(long PropertyId, string PropertyName, long? ScaleId, string? ScaleName, IReadOnlyList<long> ValueIds, IReadOnlyList<string> Values);

public sealed record EtsyProduct(long ProductId, string Sku, bool IsDeleted, IReadOnlyList<EtsyOffering> Offerings, IReadOnlyList<EtsyPropertyValue> PropertyValues);

/// <summary>A listing's inventory as getListingInventory returns it (§3.2), deleted products included.</summary>
public sealed record EtsyInventory(
    IReadOnlyList<EtsyProduct> Products,
    IReadOnlyList<long> PriceOnProperty,
    IReadOnlyList<long> QuantityOnProperty,
    IReadOnlyList<long> SkuOnProperty)
{
    /// <summary>Products that are not deleted.</summary>
    public IReadOnlyList<EtsyProduct> Active => [.. Products.Where(p => !p.IsDeleted)];
}

public sealed record EtsyListing(long ListingId, long ShopId, long UserId, string Title, string State, int Quantity, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A request the simulator received; secrets (shared secret, tokens, code verifier) are redacted.</summary>
public sealed record EtsyRequestRecord(DateTimeOffset Time, string Method, string Path, string Query, int Status, string Body);
