using Connector.Orders;
using Connector.TikTok;

namespace Connector.Tests.Unit;

/// <summary>One TikTok line item is one unit (reference/tiktok-shop-api.md §4.4): lines group by SKU and price.</summary>
public sealed class OrderLinesTests
{
    private static TikTokLineItem Unit(string id, string sku, string price) =>
        new() { Id = id, SellerSku = sku, SalePrice = price, ProductName = $"Product {sku}", Currency = "USD" };

    [Fact]
    public void Three_units_of_a_sku_become_one_line_with_quantity_three()
    {
        var order = new TikTokOrder
        {
            Id = "576461413038785752",
            Status = "AWAITING_SHIPMENT",
            LineItems = [Unit("1", "MUG-RED", "9.50"), Unit("2", "MUG-RED", "9.50"), Unit("3", "MUG-RED", "9.50"), Unit("4", "CAP", "12")],
        };

        var lines = OrderLines.Group(order);

        Assert.Equal(2, lines.Count);
        var mug = Assert.Single(lines, l => l.SellerSku == "MUG-RED");
        Assert.Equal(3, mug.Quantity);
        Assert.Equal(9.50m, mug.UnitPrice);
        Assert.Equal(["1", "2", "3"], mug.LineItemIds);
        Assert.Equal(1, Assert.Single(lines, l => l.SellerSku == "CAP").Quantity);
    }

    [Fact]
    public void Units_of_one_sku_at_different_prices_stay_separate_lines()
    {
        var order = new TikTokOrder
        {
            Id = "1",
            Status = "AWAITING_SHIPMENT",
            LineItems = [Unit("1", "MUG", "9.50"), Unit("2", "MUG", "7.00")],
        };

        var lines = OrderLines.Group(order);

        Assert.Equal([7.00m, 9.50m], lines.Select(l => l.UnitPrice).Order());
        Assert.All(lines, l => Assert.Equal(1, l.Quantity));
    }

    [Theory]
    [InlineData("CANCEL", "CANCELLED")]
    [InlineData("cancelled", "CANCELLED")]
    [InlineData("AWAITING_SHIPMENT", "AWAITING_SHIPMENT")]
    [InlineData("SOMETHING_NEW", "SOMETHING_NEW")]
    public void Webhook_status_spellings_are_normalised(string received, string expected) =>
        Assert.Equal(expected, TikTokStatus.Normalize(received));
}
