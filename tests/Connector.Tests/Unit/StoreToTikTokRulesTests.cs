using Connector.Orders;
using Connector.Stores;
using Connector.TikTok;
using Connector.Orders.WriteBack;

namespace Connector.Tests.Unit;

/// <summary>The pure rules of store → TikTok: carrier names, which line items a shipment covers, cancel reason keys (reference §6.1, §6.2).</summary>
public sealed class StoreToTikTokRulesTests
{
    private static readonly TikTokShippingProvider[] Providers =
    [
        new("7117858858072016686", "USPS"),
        new("7117859084333745966", "UPS"),
        new("7117858963668716289", "FedEx"),
        new("7212608507307099910", "DHL eCommerce"),
    ];

    [Theory]
    [InlineData("USPS", "USPS")]
    [InlineData("usps", "USPS")]
    [InlineData("U.P.S.", "UPS")]
    [InlineData("FedEx Ground", "FedEx")]
    [InlineData("DHL", "DHL eCommerce")]
    public void A_store_carrier_name_finds_tiktoks_provider(string carrier, string expected) =>
        Assert.Equal(expected, ShipmentPlanner.ProviderFor(carrier, Providers)?.Name);

    [Theory]
    [InlineData("Royal Mail")]
    [InlineData("")]
    [InlineData(null)]
    public void A_carrier_tiktok_does_not_list_finds_no_provider(string? carrier) =>
        Assert.Null(ShipmentPlanner.ProviderFor(carrier, Providers));

    [Fact]
    public void A_carrier_name_that_fits_two_providers_is_not_guessed()
    {
        TikTokShippingProvider[] providers = [new("1", "DHL eCommerce"), new("2", "DHL Express")];

        Assert.Null(ShipmentPlanner.ProviderFor("DHL", providers));
        Assert.Equal("2", ShipmentPlanner.ProviderFor("DHL Express", providers)?.Id);
    }

    private static TikTokLineItem Line(string id, string sku, string? tracking = null, string? cancelUser = null) =>
        new() { Id = id, SellerSku = sku, TrackingNumber = tracking, PackageId = tracking is null ? null : "pkg-" + tracking, CancelUser = cancelUser, DisplayStatus = "AWAITING_SHIPMENT" };

    private static readonly TikTokOrder Order = new()
    {
        Id = "576",
        Status = "PARTIALLY_SHIPPING",
        LineItems =
        [
            Line("l1", "MUG-1", tracking: "T-0"), Line("l2", "MUG-1"), Line("l3", "MUG-1"),
            Line("l4", "TT-CAP"), Line("l5", "TT-CAP", cancelUser: "BUYER"),
        ],
    };

    private static readonly OrderLineView[] Lines =
    [
        new() { SellerSku = "MUG-1", Quantity = 3, StoreProductId = "gid://shopify/ProductVariant/1" },
        new() { SellerSku = "TT-CAP", Quantity = 2, StoreProductId = "gid://shopify/ProductVariant/2" },
    ];

    [Fact]
    public void A_shipment_takes_unshipped_uncancelled_line_items_of_the_matched_products()
    {
        // The cap is sold as TT-CAP on TikTok and mapped to a store product with another SKU: the product id links them.
        var shipment = new StoreShipment("f1", "T-1", "UPS",
            [new("gid://shopify/ProductVariant/1", "MUG-1", 1), new("gid://shopify/ProductVariant/2", "STORE-CAP", 2)]);

        Assert.Equal(["l2", "l4"], ShipmentPlanner.LineItemsFor(shipment, Lines, Order));
    }

    [Fact]
    public void Units_already_shipped_on_tiktok_are_not_shipped_again()
    {
        var shipment = new StoreShipment("f2", "T-2", "UPS", [new(null, "MUG-1", 5)]);

        Assert.Equal(["l2", "l3"], ShipmentPlanner.LineItemsFor(shipment, Lines, Order));
    }

    [Theory]
    [InlineData("AWAITING_SHIPMENT", "INVENTORY", "US", "seller_cancel_reason_out_of_stock")]
    [InlineData("AWAITING_SHIPMENT", "CUSTOMER", "US", "seller_cancel_paid_reason_buyer_requested_cancellation")]
    [InlineData("AWAITING_SHIPMENT", "OTHER", "US", "seller_cancel_reason_wrong_price")]
    [InlineData("ON_HOLD", "INVENTORY", "GB", "seller_cancel_reason_out_of_stock_uk")]
    [InlineData("UNPAID", "CUSTOMER", "US", "seller_cancel_unpaid_reason_buyer_requested_cancellation")]
    public void A_store_cancellation_gets_the_reason_key_tiktok_accepts_for_the_status_and_market(
        string status, string storeReason, string region, string expected) =>
        Assert.Equal(expected, TikTokCancelReasons.KeyFor(status, storeReason, TikTokCancelReasons.WrongPrice, region));

    [Theory]
    [InlineData("AWAITING_COLLECTION")]
    [InlineData("IN_TRANSIT")]
    [InlineData("DELIVERED")]
    public void A_shipped_order_has_no_seller_cancel_reason(string status) =>
        Assert.Null(TikTokCancelReasons.KeyFor(status, "CUSTOMER", TikTokCancelReasons.OutOfStock, "US"));
}
