using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Connector.Stores.Etsy;

/// <summary>
/// Etsy Open API v3 (store-apis.md §3). Etsy has no API to create an order (receipt), so for an Etsy shop the TikTok
/// order stays in Connector's own order list, and "synced to Etsy" means: the stock of every matched SKU was taken from
/// its Etsy listing (and is given back when the order is cancelled). The store order id is <c>etsy:{tiktokOrderId}</c>.
/// <para>
/// Exactly once: a ledger row per TikTok order and SKU is checked before every inventory write, under a per-listing
/// lease (<see cref="EtsyListingLocks"/>) that also records an inventory write in flight, so a crash between Etsy's
/// answer and the ledger write is settled by the next holder instead of decrementing again.
/// </para>
/// </summary>
public sealed class EtsyClient(
    EtsyApi api, EtsySkuIndex index, EtsyLedger ledger, EtsyListingLocks locks, IOptions<EtsyOptions> options, ILogger<EtsyClient> logger) : IStoreConnection, IStoreCatalog, IStoreOrderWriter
{
    public const string OrderPrefix = "etsy:";
    private const string Decrement = "decrement";
    private const string Restore = "restore";
    private const string Refund = "refund";

    public string Platform => StorePlatforms.Etsy;

    public IReadOnlyDictionary<string, string[]> ValidateConnection(StoreConnection connection, bool isNew)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var errors = new Dictionary<string, string[]>();
        if (isNew && (string.IsNullOrWhiteSpace(connection.AccessToken) || string.IsNullOrWhiteSpace(connection.RefreshToken)))
        {
            errors["store.accessToken"] = ["Required: the Etsy OAuth access and refresh tokens (or connect through GET /api/shops/{shopId}/etsy/connect)."];
        }

        if (connection.AccountId is { } account && !long.TryParse(account, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            errors["store.accountId"] = ["The numeric Etsy shop id."];
        }

        if (connection.AccessTokenExpiresAt is <= 0 || connection.RefreshTokenExpiresAt is <= 0)
        {
            errors["store.accessTokenExpiresAt"] = ["Unix seconds."];
        }

        return errors;
    }

    public async Task VerifyConnectionAsync(StoreAccess shop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        options.Value.EnsureConfigured();
        var me = await api.GetAsync(shop, "/v3/application/users/me", cancellationToken);
        var etsyShopId = (long?)me?["shop_id"] ?? throw new StoreRejectedException("This Etsy account has no shop.");
        var id = etsyShopId.ToString(CultureInfo.InvariantCulture);
        if (shop.AccountId is { Length: > 0 } configured && configured != id)
        {
            throw new StoreRejectedException($"The Etsy token belongs to Etsy shop {id}, not {configured}.");
        }

        shop.AccountId = id;
        _ = await api.GetAsync(shop, $"/v3/application/shops/{id}", cancellationToken);
    }

    public async Task<IReadOnlyList<StoreProduct>> FindProductsBySkuAsync(StoreAccess shop, string sku, CancellationToken cancellationToken)
    {
        var hits = await index.FindAsync(shop, sku, cancellationToken);

        // A SKU on two variations of one listing counts twice: the merchant must make it unique.
        return [.. hits.SelectMany(h => Enumerable.Repeat(new StoreProduct(h.ListingId.ToString(CultureInfo.InvariantCulture), sku, h.Title), Math.Max(1, h.Variations)))];
    }

    public async Task<StoreOrderRef?> FindImportedOrderAsync(StoreAccess shop, string tiktokOrderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var listings = await ledger.GetDoneAsync(shop.ShopId, tiktokOrderId, cancellationToken);
        return listings is null ? null : Ref(tiktokOrderId, listings);
    }

    public async Task<StoreOrderRef> CreateOrderAsync(StoreAccess shop, StoreOrderDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(draft);
        options.Value.EnsureConfigured();
        var byListing = draft.Lines
            .GroupBy(l => long.Parse(l.ProductId, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.GroupBy(l => l.Sku, StringComparer.Ordinal).ToDictionary(s => s.Key, s => -s.Sum(l => l.Quantity), StringComparer.Ordinal));
        foreach (var (listingId, deltas) in byListing)
        {
            await ApplyAsync(shop, listingId, draft.TikTokOrderId, Decrement, deltas, cancellationToken);
        }

        await ledger.MarkDoneAsync(shop.ShopId, draft.TikTokOrderId, byListing.Keys, cancellationToken);
        return Ref(draft.TikTokOrderId, [.. byListing.Keys]);
    }

    public async Task CancelOrderAsync(StoreAccess shop, string storeOrderId, string reason, bool byBuyer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(storeOrderId);
        var orderId = storeOrderId.StartsWith(OrderPrefix, StringComparison.Ordinal) ? storeOrderId[OrderPrefix.Length..] : storeOrderId;
        var entries = await ledger.ListAsync(shop.ShopId, orderId, cancellationToken);
        foreach (var listing in entries.Where(e => e.State == EtsyLedger.Applied && e.Quantity != 0).GroupBy(e => e.ListingId))
        {
            await ApplyAsync(shop, listing.Key, orderId, Restore, listing.ToDictionary(e => e.Sku, e => -e.Quantity, StringComparer.Ordinal), cancellationToken);
        }
    }

    /// <summary>
    /// A refund TikTok completed: Etsy has no order to refund, so when the merchant restocks, the returned units go back to the
    /// listings the order took them from, once per return (the ledger keeps them under the order and return, apart from the
    /// order's own entries, which a cancellation gives back).
    /// </summary>
    public async Task<string> RefundAsync(StoreAccess shop, string storeOrderId, StoreRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(refund);
        if (!refund.Restock)
        {
            return "Etsy has no order to refund; the returned units were not put back on Etsy (restock on refund is off).";
        }

        options.Value.EnsureConfigured();
        var taken = (await ledger.ListAsync(shop.ShopId, refund.TikTokOrderId, cancellationToken)).ToDictionary(e => e.Sku, StringComparer.Ordinal);
        var byListing = new Dictionary<long, Dictionary<string, int>>();
        foreach (var (sku, units) in refund.Units)
        {
            if (!taken.TryGetValue(sku, out var entry) || entry.State != EtsyLedger.Applied)
            {
                throw new StoreRejectedException($"Connector took no Etsy stock for SKU {sku} with this order, so the {units} returned unit(s) are not put back on Etsy.");
            }

            (byListing.TryGetValue(entry.ListingId, out var deltas) ? deltas : byListing[entry.ListingId] = new(StringComparer.Ordinal))[sku] = units;
        }

        var ledgerId = RefundLedgerId(refund.TikTokOrderId, refund.Key);
        foreach (var (listingId, deltas) in byListing)
        {
            await ApplyAsync(shop, listingId, ledgerId, Refund, deltas, cancellationToken);
        }

        return $"Etsy: {refund.Units.Values.Sum()} returned unit(s) back on {byListing.Count} listing(s).";
    }

    /// <summary>The ledger's key for one return's units: never inside the order's own key range (a cancellation's).</summary>
    public static string RefundLedgerId(string orderId, string returnId) => $"{orderId}~return~{returnId}";

    /// <summary>
    /// Nothing to do: Etsy has no order for a TikTok order, so there is nothing to mark shipped or closed there (the
    /// shipment lives in TikTok Shop; Etsy's createReceiptShipment only applies to Etsy receipts).
    /// </summary>
    public Task FulfillAsync(StoreAccess shop, string storeOrderId, string? trackingNumber, string? carrier, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, int>? shippedUnits = null) => Task.CompletedTask;

    /// <inheritdoc cref="FulfillAsync"/>
    public Task CompleteAsync(StoreAccess shop, string storeOrderId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>No Etsy order holds an address (see "What synced to Etsy means"); Connector's own order shows the new one.</summary>
    public Task UpdateShippingAddressAsync(StoreAccess shop, string storeOrderId, StoreAddress address, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// One read-modify-write of a listing's inventory for one order under the listing's lease. <paramref name="deltas"/>:
    /// SKU → quantity change (negative to take stock; for a restore, the negated quantity that was taken).
    /// </summary>
    private async Task ApplyAsync(StoreAccess shop, long listingId, string orderId, string kind, Dictionary<string, int> deltas, CancellationToken cancellationToken)
    {
        await using var lease = await locks.AcquireAsync(shop.ShopId, listingId, cancellationToken);
        if (lease.Pending is { } interrupted)
        {
            await SettlePendingAsync(shop, lease, interrupted, cancellationToken);
        }

        // The ledger, read under the lease, says what is still to do.
        var done = (await ledger.ListAsync(shop.ShopId, orderId, cancellationToken)).ToDictionary(e => e.Sku, StringComparer.Ordinal);
        var todo = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (sku, delta) in deltas)
        {
            var entry = done.GetValueOrDefault(sku);
            var needed = kind == Restore ? entry?.State == EtsyLedger.Applied : entry is null;
            if (needed)
            {
                todo[sku] = kind == Restore ? entry!.Quantity : delta;
            }
        }

        if (todo.Count == 0)
        {
            return;
        }

        var path = $"/v3/application/listings/{listingId}/inventory";
        var inventory = await api.GetAsync(shop, path, cancellationToken)
            ?? throw new StoreRejectedException($"Etsy listing {listingId} has no inventory.");
        var body = EtsyInventory.WithDeltas(inventory, todo, listingId, out var applied);
        await lease.SetPendingAsync(new EtsyListingLocks.Pending(kind, orderId, applied, EtsyInventory.Signature(inventory)), cancellationToken);
        try
        {
            await api.PutAsync(shop, path, body, cancellationToken);
        }
        catch (StoreRejectedException)
        {
            // Etsy refused the write: nothing changed.
            await lease.ClearPendingAsync(cancellationToken);
            throw;
        }

        await RecordAsync(shop, listingId, orderId, kind, applied, cancellationToken);
        await lease.ClearPendingAsync(cancellationToken);
    }

    /// <summary>
    /// A holder died between its inventory write and the ledger: if the inventory changed since the signature it took,
    /// the write landed (record it); otherwise it did not (forget it). When in doubt this errs towards "landed", so a
    /// TikTok order never takes stock twice.
    /// </summary>
    private async Task SettlePendingAsync(StoreAccess shop, EtsyListingLocks.Lease lease, EtsyListingLocks.Pending pending, CancellationToken cancellationToken)
    {
        var inventory = await api.GetAsync(shop, $"/v3/application/listings/{lease.ListingId}/inventory", cancellationToken);
        var landed = EtsyInventory.Signature(inventory) != pending.Signature;
        if (landed)
        {
            await RecordAsync(shop, lease.ListingId, pending.OrderId, pending.Kind, pending.Deltas, cancellationToken);
        }

        EtsyLog.PendingResolved(logger, shop.ShopId, pending.OrderId, lease.ListingId, pending.Kind, landed ? "had landed and is now recorded" : "had not landed");
        await lease.ClearPendingAsync(cancellationToken);
    }

    private async Task RecordAsync(StoreAccess shop, long listingId, string orderId, string kind, IReadOnlyDictionary<string, int> applied, CancellationToken cancellationToken)
    {
        foreach (var (sku, delta) in applied)
        {
            // Decrement: the stock taken (a positive count); restore: the same count, now given back; refund: the units returned.
            var quantity = kind == Decrement ? -delta : delta;
            var state = kind switch { Decrement => EtsyLedger.Applied, Refund => EtsyLedger.Refunded, _ => EtsyLedger.Restored };
            await ledger.RecordAsync(shop.ShopId, new EtsyLedger.Entry(orderId, sku, listingId, quantity, state), cancellationToken);
        }

        EtsyLog.InventoryWritten(logger, shop.ShopId, orderId, listingId, kind == Decrement ? "taken" : "given back",
            string.Join(", ", applied.Select(a => $"{a.Key} {a.Value:+0;-0;0}")));
    }

    private static StoreOrderRef Ref(string tiktokOrderId, IReadOnlyList<long> listingIds) => new(
        OrderPrefix + tiktokOrderId,
        "Stock synced to Etsy",
        listingIds.Count > 0 ? $"https://www.etsy.com/your/shops/me/tools/listings/{listingIds[0].ToString(CultureInfo.InvariantCulture)}" : null);
}
