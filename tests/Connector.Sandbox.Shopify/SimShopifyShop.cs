using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Sandbox.Shopify;

/// <summary>
/// One simulated Shopify shop: catalog with stock at a single location, orders, its own leaky bucket, and fault
/// knobs for tests. All state changes are serialised by one lock; readers get immutable snapshots.
/// </summary>
public sealed partial class SimShopifyShop
{
    private readonly Lock _gate = new();
    private readonly IdSource _ids;
    private readonly TimeProvider _time;
    private readonly LeakyBucket _bucket;
    private readonly ShopifySimulatorOptions _options;
    private readonly Webhooks.WebhookDispatcher _webhooks;
    private ImmutableSortedDictionary<long, SimShopifyOrder> _orders = ImmutableSortedDictionary<long, SimShopifyOrder>.Empty;
    private ImmutableDictionary<long, ImmutableList<(DateTimeOffset SavedAt, SimShopifyOrder Order)>> _orderVersions =
        ImmutableDictionary<long, ImmutableList<(DateTimeOffset SavedAt, SimShopifyOrder Order)>>.Empty;
    private ImmutableSortedDictionary<long, SimShopifyVariant> _variants = ImmutableSortedDictionary<long, SimShopifyVariant>.Empty;
    private ImmutableDictionary<string, SimShopifyProduct> _products = ImmutableDictionary<string, SimShopifyProduct>.Empty.WithComparers(StringComparer.Ordinal);
    private ImmutableHashSet<string> _jobs = ImmutableHashSet<string>.Empty;
    private int _nextOrderNumber = 1001;
    private int _throttleNext;
    private long _costCharged;
    private int _throttledRequests;
    private readonly Queue<string> _failNextOrderCreate = new();
    private int _dropResponseAfterOrderCreate;
    private TimeSpan _orderCreateDelay;
    private TimeSpan _searchIndexLag;
    private string _currency = "USD";

    internal SimShopifyShop(string name, string accessToken, Uri baseUrl, ShopifySimulatorOptions options, IdSource ids, Webhooks.WebhookDispatcher webhooks)
    {
        Name = name;
        AccessToken = accessToken;
        BaseUrl = baseUrl;
        GraphQLUrl = new Uri($"{baseUrl.AbsoluteUri.TrimEnd('/')}/admin/api/{options.ApiVersion}/graphql.json");
        Id = Gid.Create("Shop", ids.Next());
        _ids = ids;
        _options = options;
        _webhooks = webhooks;
        _time = options.TimeProvider;
        _bucket = new LeakyBucket(options.BucketSize, options.RestoreRatePerSecond, options.TimeProvider);
    }

    /// <summary>The shop's handle, as in <c>{name}.myshopify.com</c>.</summary>
    public string Name { get; }

    /// <summary><c>gid://shopify/Shop/&lt;n&gt;</c>.</summary>
    public string Id { get; }

    /// <summary>What a merchant enters instead of <c>https://{name}.myshopify.com</c>: <c>{simulator}/stores/{name}</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary><c>{BaseUrl}/admin/api/{version}/graphql.json</c>.</summary>
    public Uri GraphQLUrl { get; }

    /// <summary>The Admin API access token the shop accepts in <c>X-Shopify-Access-Token</c>.</summary>
    public string AccessToken { get; }

    /// <summary>The shop currency (ISO 4217), "USD" unless changed.</summary>
    public string Currency
    {
        get { lock (_gate) { return _currency; } }
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            lock (_gate)
            {
                _currency = value.ToUpperInvariant();
            }
        }
    }

    public string MyshopifyDomain => Name + ".myshopify.com";

    /// <summary>Orders in creation order.</summary>
    public IReadOnlyList<SimShopifyOrder> Orders => [.. Volatile.Read(ref _orders).Values];

    public IReadOnlyList<SimShopifyProduct> Products => [.. Volatile.Read(ref _products).Values.OrderBy(p => Gid.Number(p.Id))];

    public IReadOnlyList<SimShopifyVariant> Variants => [.. Volatile.Read(ref _variants).Values];

    /// <summary>Adds a product with one variant per tuple; returns the variant gids (<c>gid://shopify/ProductVariant/&lt;n&gt;</c>).</summary>
    public IReadOnlyList<string> AddProduct(string title, params (string sku, decimal price, int inventory)[] variants)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(variants);
        if (variants.Length == 0)
        {
            variants = [(string.Empty, 0m, 0)];
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var productId = Gid.Create("Product", _ids.Next());
            var ids = new List<string>();
            var builder = _variants.ToBuilder();
            for (var i = 0; i < variants.Length; i++)
            {
                var (sku, price, inventory) = variants[i];
                var number = _ids.Next();
                var id = Gid.Create("ProductVariant", number);
                builder[number] = new SimShopifyVariant(
                    id,
                    productId,
                    string.IsNullOrEmpty(sku) ? null : sku,
                    variants.Length == 1 ? "Default Title" : string.IsNullOrEmpty(sku) ? $"Variant {i + 1}" : sku,
                    price,
                    inventory,
                    now,
                    now)
                {
                    InventoryItemId = Gid.Create("InventoryItem", _ids.Next()),
                };
                ids.Add(id);
            }

            _variants = builder.ToImmutable();
            _products = _products.Add(productId, new SimShopifyProduct(productId, title, Handleize(title), ids, now));
            return ids;
        }
    }

    /// <summary>Stock of the first variant (lowest id) whose SKU is exactly <paramref name="sku"/>.</summary>
    public int InventoryOf(string sku) => FindBySku(sku).Inventory;

    /// <summary>Sets the stock of the first variant whose SKU is exactly <paramref name="sku"/>.</summary>
    public void SetInventory(string sku, int quantity)
    {
        lock (_gate)
        {
            var variant = FindBySku(sku);
            SaveVariantStock(Gid.Number(variant.Id), variant with { Inventory = quantity, UpdatedAt = _time.GetUtcNow() });
        }
    }

    /// <summary>Sets ProductVariantInventoryPolicy (DENY or CONTINUE) of the first variant with this exact SKU.</summary>
    public void SetInventoryPolicy(string sku, string policy)
    {
        if (policy is not ("DENY" or "CONTINUE"))
        {
            throw new ArgumentException("Policy must be DENY or CONTINUE.", nameof(policy));
        }

        lock (_gate)
        {
            var variant = FindBySku(sku);
            _variants = _variants.SetItem(Gid.Number(variant.Id), variant with { InventoryPolicy = policy, UpdatedAt = _time.GetUtcNow() });
        }
    }

    public SimShopifyOrder? FindOrder(string gid) =>
        Gid.TryParse(gid, "Order", out var number) && Volatile.Read(ref _orders).TryGetValue(number, out var order) ? order : null;

    /// <summary>The next <paramref name="times"/> GraphQL requests answer THROTTLED whatever the bucket holds.</summary>
    public void ThrottleNext(int times)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        lock (_gate)
        {
            _throttleNext = times;
        }
    }

    /// <summary>The next orderCreate answers <c>userErrors: [{message}]</c> (code INVALID) and creates nothing.</summary>
    public void FailNextOrderCreate(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        lock (_gate)
        {
            _failNextOrderCreate.Enqueue(message);
        }
    }

    /// <summary>
    /// The next successful orderCreate creates the order, then the simulator aborts the HTTP connection instead of
    /// answering: the client sees a transport error although the order exists (the "lost response" of store-apis.md §2.4).
    /// </summary>
    public void DropResponseAfterNextOrderCreate()
    {
        lock (_gate)
        {
            _dropResponseAfterOrderCreate++;
        }
    }

    /// <summary>
    /// Every orderCreate waits this long (on the simulator's TimeProvider) before creating the order. The order is
    /// created even when the client has given up meanwhile, as a real server finishes work a client timed out on.
    /// </summary>
    public void SetOrderCreateDelay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        lock (_gate)
        {
            _orderCreateDelay = delay;
        }
    }

    /// <summary>
    /// Shopify search is eventually consistent (store-apis.md §2.3): <c>orders(query: ...)</c> searches match each order
    /// as it was this long ago, so orders younger than the lag are not found and a recent change (fulfilment, cancel,
    /// tag, ...) is not searchable yet: an <c>updated_at:&gt;=</c> scan misses it until the lag has passed. The nodes
    /// returned are current, as <c>order(id:)</c> is. Zero by default.
    /// </summary>
    public void SetSearchIndexLag(TimeSpan lag)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lag, TimeSpan.Zero);
        lock (_gate)
        {
            _searchIndexLag = lag;
        }
    }

    /// <summary>Cost points charged so far (requested cost taken, minus what was refunded): what the shop's budget paid for.</summary>
    public long CostCharged
    {
        get { lock (_gate) { return _costCharged; } }
    }

    /// <summary>GraphQL requests answered THROTTLED so far.</summary>
    public int ThrottledRequests
    {
        get { lock (_gate) { return _throttledRequests; } }
    }

    /// <summary>The bucket as the next request would see it.</summary>
    public ShopifyThrottleStatus ThrottleStatus()
    {
        lock (_gate)
        {
            return _bucket.Status();
        }
    }

    internal TimeSpan OrderCreateDelay
    {
        get { lock (_gate) { return _orderCreateDelay; } }
    }

    internal TimeSpan SearchIndexLag
    {
        get { lock (_gate) { return _searchIndexLag; } }
    }

    internal ImmutableSortedDictionary<long, SimShopifyOrder> OrderSnapshot => Volatile.Read(ref _orders);

    /// <summary>
    /// What the search index holds at <paramref name="indexedUpTo"/>: for each order (in creation order) its latest
    /// version saved at or before that instant, with the current version; orders created later are absent.
    /// </summary>
    internal IReadOnlyList<(SimShopifyOrder Indexed, SimShopifyOrder Current)> SearchIndex(DateTimeOffset indexedUpTo)
    {
        lock (_gate)
        {
            var index = new List<(SimShopifyOrder, SimShopifyOrder)>();
            foreach (var (number, current) in _orders)
            {
                var versions = _orderVersions[number];
                for (var i = versions.Count - 1; i >= 0; i--)
                {
                    if (versions[i].SavedAt <= indexedUpTo)
                    {
                        index.Add((versions[i].Order, current));
                        break;
                    }
                }
            }

            return index;
        }
    }

    internal ImmutableSortedDictionary<long, SimShopifyVariant> VariantSnapshot => Volatile.Read(ref _variants);

    internal ImmutableDictionary<string, SimShopifyProduct> ProductSnapshot => Volatile.Read(ref _products);

    internal bool JobExists(string id) => Volatile.Read(ref _jobs).Contains(id);

    /// <summary>Takes the requested cost from the bucket; false (nothing taken) when throttled.</summary>
    internal bool TryTakeCost(int requestedCost, out ShopifyThrottleStatus status)
    {
        lock (_gate)
        {
            if (_throttleNext > 0)
            {
                _throttleNext--;
                _throttledRequests++;
                status = _bucket.Status();
                return false;
            }

            var ok = _bucket.TryTake(requestedCost);
            if (ok)
            {
                _costCharged += requestedCost;
            }
            else
            {
                _throttledRequests++;
            }

            status = _bucket.Status();
            return ok;
        }
    }

    internal ShopifyThrottleStatus RefundCost(int points)
    {
        lock (_gate)
        {
            if (points > 0)
            {
                _bucket.Refund(points);
                _costCharged -= points;
            }

            return _bucket.Status();
        }
    }

    internal bool Accepts(string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(AccessToken));

    /// <summary>Stores a new version of an order (caller holds the lock); the search index sees it after the lag; webhooks are queued.</summary>
    private void SaveOrder(SimShopifyOrder order)
    {
        var number = Gid.Number(order.Id);
        var previous = _orders.GetValueOrDefault(number);
        _orders = _orders.SetItem(number, order);
        _orderVersions = _orderVersions.SetItem(number, (_orderVersions.GetValueOrDefault(number) ?? []).Add((_time.GetUtcNow(), order)));
        PublishOrderWebhooks(previous, order);
    }

    private SimShopifyVariant FindBySku(string sku) =>
        Volatile.Read(ref _variants).Values.FirstOrDefault(v => string.Equals(v.Sku, sku, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"Shop {Name} has no variant with SKU '{sku}'.");

    private static string Handleize(string title)
    {
        var builder = new StringBuilder();
        foreach (var c in title.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().Trim('-');
    }
}
