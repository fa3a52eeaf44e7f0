namespace Connector.Sandbox.Shopify.Tests;

/// <summary>store-apis.md §2.3: productVariants(query: "sku:…") is a tokenised search; exact matching is the client's job.</summary>
public sealed class ProductVariantSearchTests
{
    private const string FindBySku = """
        query($query: String!) { productVariants(first: 10, query: $query) { nodes { id sku product { title } } } }
        """;

    [Fact]
    public async Task Sku_search_finds_the_variant_quoted_or_not()
    {
        await using var shop = await TestShop.StartAsync();
        var ids = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5), ("CAP-2", 12m, 5));

        var quoted = await shop.DataAsync(FindBySku, new { query = "sku:\"CAP-1\"" });
        var bare = await shop.DataAsync(FindBySku, new { query = "sku:CAP-1" });

        foreach (var data in new[] { quoted, bare })
        {
            var node = Assert.Single(data["productVariants"]!["nodes"]!.AsArray())!;
            Assert.Equal(ids[0], (string?)node["id"]);
            Assert.Equal("Cap", (string?)node["product"]!["title"]);
        }
    }

    [Fact]
    public async Task Sku_search_also_returns_near_matches_so_the_client_must_compare_exactly()
    {
        await using var shop = await TestShop.StartAsync();
        shop.Shop.AddProduct("Cap", ("ABC-1", 12m, 5));
        shop.Shop.AddProduct("Other cap", ("abc-1", 12m, 5));
        shop.Shop.AddProduct("Third cap", ("ABC_1", 12m, 5));
        shop.Shop.AddProduct("Unrelated", ("ABC-12", 12m, 5));

        var data = await shop.DataAsync(FindBySku, new { query = "sku:\"ABC-1\"" });

        var skus = data["productVariants"]!["nodes"]!.AsArray().Select(n => (string)n!["sku"]!).ToList();
        Assert.Equal(new[] { "ABC-1", "abc-1", "ABC_1" }, skus);
        Assert.Single(skus, s => s == "ABC-1");
    }

    [Fact]
    public async Task Prefix_search_with_punctuation_finds_nothing_as_on_Shopify()
    {
        await using var shop = await TestShop.StartAsync();
        shop.Shop.AddProduct("Cap", ("ABC_DEF-1", 12m, 5), ("ABCDEF", 12m, 5));

        var punctuated = await shop.DataAsync(FindBySku, new { query = "sku:ABC_DEF-*" });
        var plain = await shop.DataAsync(FindBySku, new { query = "sku:ABC*" });

        Assert.Empty(punctuated["productVariants"]!["nodes"]!.AsArray());
        Assert.Equal(2, plain["productVariants"]!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Unknown_search_field_is_ignored_with_a_warning_and_widens_the_result()
    {
        await using var shop = await TestShop.StartAsync();
        shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5), ("CAP-2", 12m, 5));

        var (_, body) = await shop.PostAsync(FindBySku, new { query = "skew:CAP-1" });

        Assert.Equal(2, body["data"]!["productVariants"]!["nodes"]!.AsArray().Count);
        var search = Assert.Single(body["extensions"]!["search"]!.AsArray())!;
        Assert.Equal("""["productVariants"]""", search["path"]!.ToJsonString());
        Assert.Equal("skew", (string?)search["warnings"]![0]!["field"]);
        Assert.Equal("Invalid search field for this query.", (string?)search["warnings"]![0]!["message"]);
    }
}
