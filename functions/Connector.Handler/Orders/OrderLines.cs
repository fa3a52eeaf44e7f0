using System.Globalization;
using Connector.TikTok;

namespace Connector.Orders;

/// <summary>A store-side line: TikTok line items of one SKU and one price, counted (one TikTok line item is one unit, §4.4).</summary>
public sealed record OrderLineView
{
    public required string SellerSku { get; init; }
    public string? ProductName { get; init; }
    public string? SkuName { get; init; }
    public string? ProductId { get; init; }
    public string? SkuId { get; init; }
    public int Quantity { get; init; }
    public decimal UnitPrice { get; init; }
    public string? Currency { get; init; }
    public IReadOnlyList<string> LineItemIds { get; init; } = [];
    public string? StoreProductId { get; init; }
}

public static class OrderLines
{
    /// <summary>Groups line items by seller SKU and sale price, keeping the TikTok line ids for later shipping and cancelling.</summary>
    public static IReadOnlyList<OrderLineView> Group(TikTokOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.LineItems
            .GroupBy(l => (Sku: l.SellerSku?.Trim() ?? "", Price: ParseMoney(l.SalePrice)))
            .Select(g =>
            {
                var first = g.First();
                return new OrderLineView
                {
                    SellerSku = g.Key.Sku,
                    ProductName = first.ProductName,
                    SkuName = first.SkuName,
                    ProductId = first.ProductId,
                    SkuId = first.SkuId,
                    Quantity = g.Count(),
                    UnitPrice = g.Key.Price,
                    Currency = first.Currency ?? order.Payment?.Currency,
                    LineItemIds = g.Select(l => l.Id).ToList(),
                };
            })
            .ToList();
    }

    public static decimal ParseMoney(string? value) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : 0m;
}
