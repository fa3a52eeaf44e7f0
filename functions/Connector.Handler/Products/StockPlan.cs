using Connector.TikTok;

namespace Connector.Products;

/// <summary>
/// What one TikTok product needs so TikTok sells no more than the store has, under TikTok's rule that a warehouse line of
/// UpdateInventory holds 1 to 99,999 units (product.json UpdateInventory <c>quantity</c>: "Valid range: [1, 99,999]"; 0 is
/// refused). The zero-quantity decision:
/// <list type="bullet">
/// <item>every SKU of the product sold out → the product is deactivated (DeactivateProducts, the OAS's own answer to "out
/// of stock") and marked hidden by Connector; nothing is sent as 0;</item>
/// <item>stock back on a product Connector hid → the quantities are sent, then ActivateProduct (TikTok audits it again);
/// a product the merchant deactivated is never activated by Connector;</item>
/// <item>one SKU sold out while others still sell → the SKU is lowered to TikTok's minimum (1 per warehouse): TikTok has no
/// documented per-SKU deactivation, and leaving the old quantity would oversell more; once TikTok lists 0 itself (it
/// counts its own sales down) Connector leaves it there.</item>
/// </list>
/// </summary>
public sealed record StockPlan(IReadOnlyList<(ProductLinkEntity Row, int Quantity)> Inventory, bool Deactivate, bool Activate)
{
    public const string Live = "ACTIVATE";
    public const string SellerDeactivated = "SELLER_DEACTIVATED";

    public static readonly StockPlan Nothing = new([], false, false);

    public bool IsEmpty => Inventory.Count == 0 && !Deactivate && !Activate;

    /// <summary>
    /// The plan for the rows of one TikTok product (all of its SKUs Connector knows, linked or not), <paramref name="desired"/>
    /// giving a pushable row's quantity under the shop's rules.
    /// </summary>
    public static StockPlan For(IReadOnlyCollection<ProductLinkEntity> productRows, Func<ProductLinkEntity, int> desired)
    {
        ArgumentNullException.ThrowIfNull(productRows);
        ArgumentNullException.ThrowIfNull(desired);
        var pushable = productRows.Where(IsPushable).ToList();
        if (pushable.Count == 0)
        {
            return Nothing;
        }

        var status = productRows.First().TikTokStatus;
        var listable = pushable.ToDictionary(r => r, r => Listable(desired(r), r.WarehouseIds().Count()));

        // An SKU Connector cannot read (not linked) may still sell: only a product whose every SKU is sold out is hidden.
        if (productRows.All(r => listable.TryGetValue(r, out var q) && q == 0))
        {
            return new StockPlan([], status == Live, false);
        }

        var inventory = pushable
            .Select(r => (Row: r, Quantity: Math.Max(listable[r], r.WarehouseIds().Count())))
            .Where(x => listable[x.Row] > 0
                ? x.Row.TikTokQuantity != x.Quantity || x.Row.PushError is not null
                : x.Row.TikTokQuantity is null || x.Row.TikTokQuantity > x.Quantity)
            .ToList();
        var activate = status == SellerDeactivated && productRows.Any(r => r.HiddenForStock);
        return new StockPlan(inventory, false, activate);
    }

    /// <summary>
    /// A SKU's warehouse lines for <paramref name="quantity"/>: the first warehouse takes all but one unit per other
    /// warehouse, each other warehouse 1 (TikTok needs every warehouse of the SKU, each with at least 1).
    /// </summary>
    public static IReadOnlyList<TikTokSkuInventory> Lines(ProductLinkEntity row, int quantity)
    {
        ArgumentNullException.ThrowIfNull(row);
        var warehouses = row.WarehouseIds().ToList();
        return [.. warehouses.Select((w, i) => new TikTokSkuInventory(w, i == 0 ? quantity - (warehouses.Count - 1) : 1))];
    }

    public static bool IsPushable(ProductLinkEntity row) =>
        row is { Link: LinkStates.Linked, StoreAvailable: not null, TikTokSkuId: not null, TikTokProductId: not null } && row.WarehouseIds().Any();

    /// <summary>What TikTok can list exactly: a SKU with n warehouses shows at least n units, so fewer counts as sold out.</summary>
    private static int Listable(int desired, int warehouses) => desired >= Math.Max(1, warehouses) ? desired : 0;
}
