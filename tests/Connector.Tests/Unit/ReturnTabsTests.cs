using Connector.Orders.Actions;
using Connector.Orders.Refunds;

namespace Connector.Tests.Unit;

/// <summary>The Returns view's tabs for each of TikTok's return statuses (return_refund.json), and what a refund carries to the store.</summary>
public sealed class ReturnTabsTests
{
    [Theory]
    [InlineData("RETURN_OR_REFUND_REQUEST_PENDING", "pending")]
    [InlineData("AWAITING_BUYER_RESPONSE", "pending")]
    [InlineData("REPLACEMENT_REQUEST_PENDING", "pending")]
    [InlineData("AWAITING_BUYER_SHIP", "awaiting-shipment")]
    [InlineData("BUYER_SHIPPED_ITEM", "buyer-shipped")]
    [InlineData("REFUND_OR_RETURN_REQUEST_REJECT", "rejected")]
    [InlineData("REJECT_RECEIVE_PACKAGE", "rejected")]
    [InlineData("RETURN_OR_REFUND_REQUEST_CANCEL", "rejected")]
    [InlineData("REPLACEMENT_REQUEST_REJECT", "rejected")]
    [InlineData("REPLACEMENT_REQUEST_CANCEL", "rejected")]
    [InlineData("RETURN_OR_REFUND_REQUEST_SUCCESS", "completed")]
    [InlineData("RETURN_OR_REFUND_REQUEST_COMPLETE", "completed")]
    [InlineData("REPLACEMENT_REQUEST_REFUND_SUCCESS", "completed")]
    [InlineData("REPLACEMENT_REQUEST_COMPLETE", "completed")]
    [InlineData("A_STATUS_TIKTOK_ADDS_LATER", "pending")]
    public void Each_status_has_its_tab(string status, string tab) => Assert.Equal(tab, ReturnTabs.Of(status));

    [Theory]
    [InlineData("RETURN_AND_REFUND", true, true)]
    [InlineData("RETURN_AND_REFUND", false, false)]
    [InlineData("REFUND", true, false)]
    public void Returned_items_are_restocked_when_the_shop_says_so_and_a_refund_only_request_brings_none(string type, bool setting, bool restock)
    {
        var summary = new ReturnSummary("1", type, "RETURN_OR_REFUND_REQUEST_SUCCESS", "Refunded", null, null, "9.00", "USD", ["MUG-1", "MUG-1", "CAP-1"], null);

        Assert.Equal(restock, StoreRefunds.Restocks(summary, new Orders.ShopSettings { RestockOnRefund = setting }));
        Assert.Equal(new Dictionary<string, int> { ["MUG-1"] = 2, ["CAP-1"] = 1 }, StoreRefunds.Units(summary));
    }
}
