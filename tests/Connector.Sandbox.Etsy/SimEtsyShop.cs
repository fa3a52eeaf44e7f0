namespace Connector.Sandbox.Etsy;

/// <summary>
/// One seller: a user, their shop, the listings with their inventories (§3.2), and the OAuth tokens the simulator issued
/// for the app the shop connected (§3.3). State is guarded by the simulator's lock.
/// </summary>
public sealed class SimEtsyShop
{
    private readonly EtsySimulator _simulator;
    private readonly SortedDictionary<long, ListingState> _listings = [];

    internal SimEtsyShop(EtsySimulator simulator, long shopId, long userId, string shopName, string keystring, string currency)
    {
        _simulator = simulator;
        ShopId = shopId;
        UserId = userId;
        ShopName = shopName;
        Keystring = keystring;
        Currency = currency;
    }

    public long ShopId { get; }

    public long UserId { get; }

    public string ShopName { get; }

    /// <summary>The app (client_id) the shop's tokens belong to.</summary>
    public string Keystring { get; }

    public string Currency { get; }

    /// <summary>The latest access token issued for this shop (<c>&lt;user_id&gt;.&lt;random&gt;</c>, one hour).</summary>
    public string AccessToken { get; internal set; } = string.Empty;

    /// <summary>The latest refresh token issued for this shop (90 days).</summary>
    public string RefreshToken { get; internal set; } = string.Empty;

    public IReadOnlyList<EtsyListing> Listings
    {
        get
        {
            lock (_simulator.Gate)
            {
                return [.. _listings.Values.Select(l => l.ToListing(this))];
            }
        }
    }

    internal SortedDictionary<long, ListingState> ListingStates => _listings;

    /// <summary>
    /// Adds an active listing with one product per tuple. Products with a <c>variation</c> get property values
    /// (custom properties 513, 514 as Etsy numbers them); <c>price/quantity/sku_on_property</c> name the properties
    /// whenever those values differ between products. Returns the listing id.
    /// </summary>
    public long AddListing(string title, params (string sku, decimal price, int quantity, (string property, string value)[]? variation)[] products)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(products);
        if (products.Length == 0)
        {
            throw new ArgumentException("A listing has at least one product.", nameof(products));
        }

        lock (_simulator.Gate)
        {
            var now = _simulator.Now;
            var propertyIds = new Dictionary<string, long>(StringComparer.Ordinal);
            var valueIds = new Dictionary<(string, string), long>();
            var built = new List<EtsyProduct>();
            foreach (var (sku, price, quantity, variation) in products)
            {
                var values = new List<EtsyPropertyValue>();
                foreach (var (property, value) in variation ?? [])
                {
                    if (!propertyIds.TryGetValue(property, out var propertyId))
                    {
                        propertyId = 513 + propertyIds.Count;
                        propertyIds[property] = propertyId;
                    }

                    if (!valueIds.TryGetValue((property, value), out var valueId))
                    {
                        valueId = _simulator.NextValueId();
                        valueIds[(property, value)] = valueId;
                    }

                    values.Add(new EtsyPropertyValue(propertyId, property, null, null, [valueId], [value]));
                }

                var offering = new EtsyOffering(_simulator.NextOfferingId(), quantity, true, false, EtsySimulator.Money(price, Currency));
                built.Add(new EtsyProduct(_simulator.NextProductId(), sku, false, [offering], values));
            }

            var allProperties = propertyIds.Values.ToList();
            bool Differs<T>(Func<(string sku, decimal price, int quantity, (string, string)[]? variation), T> selector) =>
                products.Select(selector).Distinct().Count() > 1;
            var listing = new ListingState
            {
                ListingId = _simulator.NextListingId(),
                Title = title,
                State = "active",
                CreatedAt = now,
                UpdatedAt = now,
                Products = built,
                PriceOnProperty = Differs(p => p.price) ? allProperties : [],
                QuantityOnProperty = Differs(p => p.quantity) ? allProperties : [],
                SkuOnProperty = Differs(p => p.sku) ? allProperties : [],
            };
            listing.RefreshState();
            _listings[listing.ListingId] = listing;
            return listing.ListingId;
        }
    }

    /// <summary>Quantity of the enabled offering of the non-deleted product whose SKU is exactly <paramref name="sku"/>.</summary>
    public int InventoryOf(string sku)
    {
        lock (_simulator.Gate)
        {
            var product = _listings.Values.SelectMany(l => l.Products).FirstOrDefault(p => !p.IsDeleted && p.Sku == sku)
                ?? throw new KeyNotFoundException($"No product with SKU '{sku}'.");
            return product.Offerings.Where(o => !o.IsDeleted).Sum(o => o.Quantity);
        }
    }

    /// <summary>The listing's whole inventory, deleted products included (what show_deleted=true returns).</summary>
    public EtsyInventory GetInventory(long listingId)
    {
        lock (_simulator.Gate)
        {
            var listing = _listings.GetValueOrDefault(listingId) ?? throw new KeyNotFoundException($"No listing {listingId} in shop {ShopName}.");
            return new EtsyInventory([.. listing.Products], [.. listing.PriceOnProperty], [.. listing.QuantityOnProperty], [.. listing.SkuOnProperty]);
        }
    }

    /// <summary>Changes a listing's state (active, inactive, draft, expired; sold_out follows the quantity).</summary>
    public void SetListingState(long listingId, string state)
    {
        lock (_simulator.Gate)
        {
            var listing = _listings.GetValueOrDefault(listingId) ?? throw new KeyNotFoundException($"No listing {listingId}.");
            listing.State = state;
            listing.UpdatedAt = _simulator.Now;
        }
    }
}

internal sealed class ListingState
{
    public required long ListingId { get; init; }

    public required string Title { get; init; }

    public required string State { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; set; }

    public required List<EtsyProduct> Products { get; set; }

    public required List<long> PriceOnProperty { get; set; }

    public required List<long> QuantityOnProperty { get; set; }

    public required List<long> SkuOnProperty { get; set; }

    public int Quantity => Products.Where(p => !p.IsDeleted).SelectMany(p => p.Offerings).Where(o => !o.IsDeleted && o.IsEnabled).Sum(o => o.Quantity);

    /// <summary>An active listing whose quantity reaches 0 is sold out; a sold-out one with stock again is active.</summary>
    public void RefreshState()
    {
        if (State == "active" && Quantity == 0)
        {
            State = "sold_out";
        }
        else if (State == "sold_out" && Quantity > 0)
        {
            State = "active";
        }
    }

    public EtsyListing ToListing(SimEtsyShop shop) => new(ListingId, shop.ShopId, shop.UserId, Title, State, Quantity, CreatedAt, UpdatedAt);
}
