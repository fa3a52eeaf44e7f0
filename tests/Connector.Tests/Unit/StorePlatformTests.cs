using System.Text.Json.Nodes;
using Connector.Stores;
using Connector.Stores.Etsy;
using Connector.Stores.PrestaShop;

namespace Connector.Tests.Unit;

/// <summary>The pure parts of the PrestaShop and Etsy clients: price pinning, PrestaShop's validators, Etsy's inventory body.</summary>
public sealed class StorePlatformTests
{
    [Theory]
    [InlineData(24.00, 1, 20, 1)]
    [InlineData(9.99, 3, 5.5, 1)]
    [InlineData(9.99, 3, 5.5, 2)]
    [InlineData(9.99, 7, 20, 3)]
    [InlineData(0.99, 13, 21, 3)]
    [InlineData(123.45, 2, 19, 2)]
    [InlineData(19.99, 1, 0, 1)]
    public void The_pinned_tax_excluded_price_makes_prestashop_land_on_the_tax_included_price(double gross, int quantity, double rate, int roundType)
    {
        var unit = (decimal)gross;
        var pin = PrestaShopPricing.PinUnitPrice(unit, quantity, (decimal)rate, roundType, roundMode: 2, precision: 2);

        var total = PrestaShopPricing.ProductsTotal([new PrestaShopPricing.Line(pin, quantity, (decimal)rate)], roundType, 2, 2);

        Assert.Equal(unit * quantity, total);
        Assert.Equal(decimal.Round(pin, 6), pin);
    }

    [Fact]
    public void A_pin_computed_with_a_stale_rate_misses_which_is_what_payment_error_catches()
    {
        var pin = PrestaShopPricing.PinUnitPrice(24m, 1, 20m, 1, 2, 2);
        Assert.Equal(20m, pin);
        Assert.Equal(21.10m, PrestaShopPricing.ProductsTotal([new PrestaShopPricing.Line(pin, 1, 5.5m)], 1, 2, 2));
    }

    [Theory]
    [InlineData(2.345, 2, 2, 2.35)]
    [InlineData(2.345, 2, 3, 2.34)]
    [InlineData(2.345, 2, 4, 2.34)]
    [InlineData(2.355, 2, 5, 2.35)]
    [InlineData(2.341, 2, 0, 2.35)]
    [InlineData(2.349, 2, 1, 2.34)]
    public void Rounding_follows_ps_price_round_mode(double value, int precision, int mode, double expected) =>
        Assert.Equal((decimal)expected, PrestaShopPricing.Round((decimal)value, precision, mode));

    [Theory]
    [InlineData("J.R.R. Tolkien 3rd", "J. R. R. Tolkien rd")]
    [InlineData("Ana (Maria) O'Neil", "Ana Maria O'Neil")]
    [InlineData("J***", "J")]
    [InlineData("***", "Buyer")]
    [InlineData("12345", "Buyer")]
    public void Names_are_cleaned_for_prestashops_isName(string input, string expected) =>
        Assert.Equal(expected, PrestaShopText.Name(input, "Buyer"));

    [Fact]
    public void Other_fields_are_cleaned_for_their_validators()
    {
        Assert.Equal("(+1)213-555-1234", PrestaShopText.Phone("(+1)213-555-1234"));
        Assert.Equal("(+1)213-34", PrestaShopText.Phone("(+1)213*****-34"));
        Assert.Equal("1234567890123456", PrestaShopText.Dni("991234567890123456"));
        Assert.Equal(16, PrestaShopText.Dni("576468604027131840").Length);
        Assert.Equal("75018", PrestaShopText.PostCode("75018"));
        Assert.False(PrestaShopText.IsFilterSafe("A|B"));
        Assert.True(PrestaShopText.IsFilterSafe("CAP-1 RED"));
    }

    [Fact]
    public void Prestashop_options_are_validated_with_the_field_named()
    {
        var errors = PrestaShopStoreOptions.Validate(System.Text.Json.JsonDocument.Parse("""{"orderStateOnImport":"2","paymentModule":"bad module","idCarrier":0}""").RootElement);
        Assert.Contains("store.options.orderStateOnImport", errors.Keys);
        Assert.Contains("store.options.paymentModule", errors.Keys);
        Assert.Contains("store.options.idCarrier", errors.Keys);
        Assert.Empty(PrestaShopStoreOptions.Validate(System.Text.Json.JsonDocument.Parse("""{"paymentModule":"ps_wirepayment","orderStateOnImport":"PS_OS_PREPARATION"}""").RootElement));
    }

    private static JsonObject Inventory() => JsonNode.Parse("""
        {"products":[
          {"product_id":1,"sku":"TEE-S","is_deleted":false,"offerings":[{"offering_id":11,"quantity":3,"is_enabled":true,"is_deleted":false,"price":{"amount":1999,"divisor":100,"currency_code":"USD"}}],
           "property_values":[{"property_id":513,"property_name":"Size","scale_id":null,"scale_name":null,"value_ids":[1],"values":["S"]}]},
          {"product_id":2,"sku":"TEE-M","is_deleted":false,"offerings":[{"offering_id":12,"quantity":3,"is_enabled":true,"is_deleted":false,"price":{"amount":2150,"divisor":100,"currency_code":"USD"}}],
           "property_values":[{"property_id":513,"property_name":"Size","scale_id":null,"scale_name":null,"value_ids":[2],"values":["M"]}]}],
         "price_on_property":[513],"quantity_on_property":[],"sku_on_property":[513],"listing":null}
        """)!.AsObject();

    [Fact]
    public void The_inventory_body_changes_one_variation_strips_read_only_fields_and_sends_prices_as_numbers()
    {
        var body = EtsyInventory.WithDeltas(Inventory(), new Dictionary<string, int> { ["TEE-M"] = -2 }, 7, out var applied);

        Assert.Equal(-2, applied["TEE-M"]);
        var products = body["products"]!.AsArray();
        Assert.Equal(2, products.Count);
        Assert.Equal(3, (int)products[0]!["offerings"]![0]!["quantity"]!);
        Assert.Equal(1, (int)products[1]!["offerings"]![0]!["quantity"]!);
        Assert.Equal(21.50m, (decimal)products[1]!["offerings"]![0]!["price"]!);
        var text = body.ToJsonString();
        Assert.DoesNotContain("product_id", text, StringComparison.Ordinal);
        Assert.DoesNotContain("offering_id", text, StringComparison.Ordinal);
        Assert.DoesNotContain("is_deleted", text, StringComparison.Ordinal);
        Assert.DoesNotContain("scale_name", text, StringComparison.Ordinal);
        Assert.Equal("[513]", body["quantity_on_property"]!.ToJsonString());
    }

    [Fact]
    public void Stock_never_goes_below_zero_and_a_sold_out_listing_or_unknown_sku_is_refused()
    {
        EtsyInventory.WithDeltas(Inventory(), new Dictionary<string, int> { ["TEE-S"] = -5 }, 7, out var applied);
        Assert.Equal(-3, applied["TEE-S"]);
        Assert.Throws<StoreRejectedException>(() => EtsyInventory.WithDeltas(Inventory(), new Dictionary<string, int> { ["TEE-S"] = -3, ["TEE-M"] = -3 }, 7, out _));
        Assert.Throws<StoreRejectedException>(() => EtsyInventory.WithDeltas(Inventory(), new Dictionary<string, int> { ["TEE-XL"] = -1 }, 7, out _));
        Assert.NotEqual(EtsyInventory.Signature(Inventory()), EtsyInventory.Signature(JsonNode.Parse(Inventory().ToJsonString().Replace("\"quantity\":3", "\"quantity\":2", StringComparison.Ordinal))));
    }
}
