using Connector.Testing;
using Xunit.Abstractions;
using static Connector.Tests.Integration.ProductStockTests;

namespace Connector.Tests.Integration;

/// <summary>
/// Etsy listing inventories in the catalogue link and the stock scan (Stores/Etsy/EtsyStock.cs): listing products linked
/// by SKU like Shopify variants, sold-out listings read too, stock sent to TikTok by the scan.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class EtsyStockTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Etsy_listing_products_link_by_sku_unlinked_and_ambiguous_skus_carry_their_reason_and_the_scan_sends_their_stock()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, etsy) = await sandbox.ConnectEtsyAsync("pesy");
        etsy.AddListing("Scarf", ("SCARF-RED", 20m, 4, [("Color", "Red")]), ("SCARF-BLUE", 20m, 9, [("Color", "Blue")]));
        etsy.AddListing("Print", ("PRINT-1", 8m, 2, null));
        etsy.AddListing("Print again", ("PRINT-1", 8m, 5, null));
        etsy.AddListing("Etsy only", ("ONLY-ETSY", 3m, 1, null));
        var scarf = Product(sandbox, "pesy", "Scarf", ("SCARF-RED", 50), ("SCARF-BLUE", 50));
        var print = Product(sandbox, "pesy", "Print", ("PRINT-1", 50));
        Product(sandbox, "pesy", "Hat", ("HAT-1", 50));

        var run = await SyncAsync(sandbox, "pesy");

        Assert.Equal(2, run.GetProperty("linked").GetInt32());
        Assert.Equal(4, TikTokStock(sandbox, scarf.Id, "SCARF-RED"));
        Assert.Equal(9, TikTokStock(sandbox, scarf.Id, "SCARF-BLUE"));
        Assert.Equal(50, TikTokStock(sandbox, print.Id, "PRINT-1")); // ambiguous: not pushed
        var items = await ListAsync(sandbox, "pesy");
        string Reason(string sku) => items.Single(i => i.GetProperty("sellerSku").GetString() == sku).GetProperty("linkReason").GetString()!;
        Assert.Contains("2 products in your Etsy store share SKU PRINT-1", Reason("PRINT-1"), StringComparison.Ordinal);
        Assert.Contains("No product in your Etsy store has SKU HAT-1", Reason("HAT-1"), StringComparison.Ordinal);
        var red = items.Single(i => i.GetProperty("sellerSku").GetString() == "SCARF-RED");
        Assert.Equal("Scarf (Red)", red.GetProperty("store").GetProperty("title").GetString());
        Assert.Contains(await ListAsync(sandbox, "pesy", "&status=NOT_UPLOADED"), i => i.GetProperty("store").GetProperty("sku").GetString() == "ONLY-ETSY");
    }

    [Fact]
    public async Task A_sold_out_etsy_listing_is_still_read_and_its_tiktok_product_is_hidden()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, etsy) = await sandbox.ConnectEtsyAsync("pesold");
        var listing = etsy.AddListing("Candle", ("CANDLE-1", 12m, 0, null));
        var candle = Product(sandbox, "pesold", "Candle", ("CANDLE-1", 6));
        Assert.Equal("sold_out", etsy.Listings.Single(l => l.ListingId == listing).State);

        await SyncAsync(sandbox, "pesold");

        var row = Assert.Single(await ListAsync(sandbox, "pesold"));
        Assert.Equal("linked", row.GetProperty("link").GetString());
        Assert.Equal(0, row.GetProperty("store").GetProperty("available").GetInt32());
        Assert.Equal("SELLER_DEACTIVATED", sandbox.TikTok.GetProduct(candle.Id).Status);
    }
}
