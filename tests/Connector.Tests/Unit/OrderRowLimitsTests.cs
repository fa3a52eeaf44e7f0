using System.Text.Json;
using Connector.Orders;
using Connector.State;

namespace Connector.Tests.Unit;

/// <summary>What an order row may hold: Table Storage takes at most 32,768 characters in one string property.</summary>
public sealed class OrderRowLimitsTests
{
    private static List<OrderLineView> Lines(int count, int nameLength) => [.. Enumerable.Range(1, count).Select(i => new OrderLineView
    {
        SellerSku = $"SKU-{i:D4}",
        ProductName = new string('n', nameLength),
        SkuName = new string('v', 100),
        ProductId = $"17{i:D17}",
        SkuId = $"17{i:D17}",
        Quantity = 10,
        UnitPrice = 12.5m,
        Currency = "USD",
        LineItemIds = [.. Enumerable.Range(0, 10).Select(u => $"5764{i:D6}{u:D8}")],
    })];

    [Fact]
    public void A_small_order_keeps_every_name()
    {
        var lines = Lines(3, 255);

        var json = OrderSnapshot.LinesJson(lines);

        Assert.Equal(lines[0].ProductName, OrderSnapshot.ParseLinesJson(json)![0].ProductName);
        Assert.StartsWith("[", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(150)]
    public void Hundreds_of_line_items_with_long_names_fit_one_property_and_keep_skus_quantities_and_line_item_ids(int skus)
    {
        var lines = Lines(skus, 255);

        var json = OrderSnapshot.LinesJson(lines);
        var back = OrderSnapshot.ParseLinesJson(json)!;

        Assert.InRange(json.Length, 1, TableLimits.MaxStringChars);
        Assert.Equal(lines.Select(l => (l.SellerSku, l.Quantity, l.UnitPrice)), back.Select(l => (l.SellerSku, l.Quantity, l.UnitPrice)));
        Assert.Equal(lines.SelectMany(l => l.LineItemIds), back.SelectMany(l => l.LineItemIds));
    }

    [Fact]
    public void Text_longer_than_a_property_is_cut_and_says_so()
    {
        var fitted = TableLimits.Fit(new string('x', 40_000))!;

        Assert.Equal(TableLimits.MaxStringChars, fitted.Length);
        Assert.EndsWith("…", fitted, StringComparison.Ordinal);
        Assert.Equal("short", TableLimits.Fit("short"));
    }
}
