using Connector.Products;
using Connector.Stores;
using Connector.TikTok;

namespace Connector.Tests.Unit;

/// <summary>The quantity TikTok lists for a SKU (issue 14 rules) and the catalogue link's ordering of store levels.</summary>
public sealed class StockRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(10, 0, 10)]
    [InlineData(3, 5, 0)] // pending units beyond the store's stock: never negative
    [InlineData(-4, 0, 0)] // a store oversold below zero: never negative
    [InlineData(0, 0, 0)]
    [InlineData(200_000, 0, 99_999)] // TikTok's maximum
    public void The_quantity_is_the_store_stock_minus_pending_units_never_negative_never_above_tiktoks_maximum(int available, int pending, int expected) =>
        Assert.Equal(expected, StockRules.Quantity(available, pending, new ProductSettings()));

    [Theory]
    [InlineData(100, 10, 90)]
    [InlineData(9, 10, 8)] // the reserve rounds up: at least the percentage is held back
    [InlineData(1, 50, 0)]
    [InlineData(50, 100, 0)]
    public void The_reserve_holds_back_a_percentage_of_the_stock(int available, int reserve, int expected) =>
        Assert.Equal(expected, StockRules.Quantity(available, 0, new ProductSettings { ReservePercent = reserve }));

    [Theory]
    [InlineData(5, 5, 0)]
    [InlineData(6, 5, 6)]
    [InlineData(1, 0, 1)]
    public void At_or_below_the_out_of_stock_threshold_tiktok_shows_the_sku_sold_out(int available, int threshold, int expected) =>
        Assert.Equal(expected, StockRules.Quantity(available, 0, new ProductSettings { OutOfStockThreshold = threshold }));

    [Fact]
    public void The_maximum_caps_what_tiktok_lists_after_the_other_rules()
    {
        var settings = new ProductSettings { ReservePercent = 10, OutOfStockThreshold = 2, MaximumListed = 20 };

        Assert.Equal(20, StockRules.Quantity(100, 0, settings));
        Assert.Equal(17, StockRules.Quantity(20, 1, settings));
        Assert.Equal(0, StockRules.Quantity(3, 0, settings));
    }

    [Fact]
    public void Settings_out_of_range_are_refused_field_by_field()
    {
        var errors = new ProductSettings { ReservePercent = 101, OutOfStockThreshold = -1, MaximumListed = 100_000, PriceMarkupPercent = -95 }.Validate();

        Assert.Equal(["maximumListed", "outOfStockThreshold", "priceMarkupPercent", "reservePercent"], errors.Keys.Order());
        Assert.Empty(new ProductSettings().Validate());
    }

    [Theory]
    [InlineData(10.00, 0, 10.00)]
    [InlineData(10.00, 15, 11.50)]
    [InlineData(9.99, 10, 10.99)]
    [InlineData(0.01, -90, 0.01)]
    public void The_markup_sets_the_tiktok_price_to_the_cent(double store, int markup, double expected) =>
        Assert.Equal((decimal)expected, StockRules.Price((decimal)store, new ProductSettings { PriceMarkupPercent = markup }));

    [Theory]
    [InlineData("ACTIVATE", "LIVE")]
    [InlineData("FAILED", "FAILED")]
    [InlineData("PENDING", "REVIEWING")]
    [InlineData("DRAFT", "IN_PROGRESS")]
    [InlineData("SELLER_DEACTIVATED", "INACTIVE")]
    [InlineData("PLATFORM_DEACTIVATED", "INACTIVE")]
    [InlineData("FREEZE", "INACTIVE")]
    [InlineData("DELETED", "INACTIVE")]
    [InlineData(null, "NOT_UPLOADED")]
    public void Tiktok_statuses_map_to_the_six_seed_statuses(string? tiktok, string seed) =>
        Assert.Equal(seed, ProductStatuses.FromTikTok(tiktok));

    [Fact]
    public void A_scan_that_read_an_older_store_level_than_a_webhook_stored_keeps_the_newer_one()
    {
        var product = new TikTokProduct("1729000000000000001", "Mug", "ACTIVATE", [new TikTokProductSku("1", "MUG-1", [new TikTokSkuInventory("w", 5)], null)], 1);
        var existing = new Connector.Products.ProductLinkEntity
        {
            RowKey = ProductStore.SkuKey("MUG-1"), StoreVariantId = "v1", StoreAvailable = 2, StoreUpdatedAt = Now,
        };
        var olderScan = new StoreStockItem("p1", "v1", "MUG-1", "Mug", 9, Now.AddSeconds(-30));
        var newerScan = olderScan with { Available = 4, UpdatedAt = Now.AddSeconds(30) };

        var kept = Assert.Single(ProductSync.Link([product], [olderScan], new Dictionary<string, string>(), "Shopify", true,
            new Dictionary<string, Connector.Products.ProductLinkEntity> { [existing.RowKey] = existing }, Now));
        var moved = Assert.Single(ProductSync.Link([product], [newerScan], new Dictionary<string, string>(), "Shopify", true,
            new Dictionary<string, Connector.Products.ProductLinkEntity> { [existing.RowKey] = existing }, Now));

        Assert.Equal((2, Now), (kept.StoreAvailable!.Value, kept.StoreUpdatedAt!.Value));
        Assert.Equal(4, moved.StoreAvailable);
    }

    [Fact]
    public void Skus_link_through_the_merchants_sku_mapping_and_ambiguous_or_missing_skus_say_why()
    {
        var product = new TikTokProduct("1729000000000000002", "Cap", "ACTIVATE",
        [
            new TikTokProductSku("1", "TT-CAP", [new TikTokSkuInventory("w", 1)], null),
            new TikTokProductSku("2", "DUP", [new TikTokSkuInventory("w", 1)], null),
            new TikTokProductSku("3", "GONE", [new TikTokSkuInventory("w", 1)], null),
            new TikTokProductSku("4", null, [new TikTokSkuInventory("w", 1)], null),
        ], 1);
        StoreStockItem[] store =
        [
            new("p1", "v1", "STORE-CAP", "Cap", 3, Now),
            new("p2", "v2", "DUP", "Dup A", 1, Now),
            new("p3", "v3", "DUP", "Dup B", 1, Now),
            new("p4", "v4", "EXTRA", "Extra", 1, Now),
        ];

        var rows = ProductSync.Link([product], store, new Dictionary<string, string> { ["TT-CAP"] = "STORE-CAP" }, "Shopify", true,
            new Dictionary<string, Connector.Products.ProductLinkEntity>(), Now);

        Assert.Equal(("linked", "v1"), (rows.Single(r => r.SellerSku == "TT-CAP").Link, rows.Single(r => r.SellerSku == "TT-CAP").StoreVariantId));
        Assert.Equal("ambiguous", rows.Single(r => r.SellerSku == "DUP").Link);
        Assert.Contains("2 products in your Shopify store share SKU DUP", rows.Single(r => r.SellerSku == "DUP").LinkReason, StringComparison.Ordinal);
        Assert.Equal("not_in_store", rows.Single(r => r.SellerSku == "GONE").Link);
        Assert.Equal("no_sku", rows.Single(r => r.TikTokSkuId == "4").Link);
        var extra = rows.Single(r => r.StoreVariantId == "v4");
        Assert.Equal(("store_only", "NOT_UPLOADED"), (extra.Link, extra.Status));
    }
}
