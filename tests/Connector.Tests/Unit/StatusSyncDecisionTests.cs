using Connector.Orders.StatusSync;
using Connector.State;
using Connector.TikTok;
using Effect = Connector.Orders.StatusSync.StoreStatusSync.Action;

namespace Connector.Tests.Unit;

/// <summary>
/// The status sync's decision table in milliseconds: which store effect TikTok's status still needs, each once
/// (CANCELLED cancels, TikTok-shipped orders are fulfilled with TikTok's tracking, DELIVERED/COMPLETED close).
/// </summary>
public sealed class StatusSyncDecisionTests
{
    private static OrderEntity Imported(string status, bool shippedByTikTok = false) => new()
    {
        PartitionKey = "s",
        RowKey = "576",
        StoreOrderId = "gid://shopify/Order/1",
        TikTokStatus = status,
        ShippedByTikTok = shippedByTikTok,
        Quantity = 2,
    };

    [Fact]
    public void An_order_not_in_the_store_needs_nothing() =>
        Assert.Null(StoreStatusSync.Next(new OrderEntity { TikTokStatus = TikTokStatus.Cancelled }, partialShipping: true));

    [Fact]
    public void Cancelled_cancels_the_store_order_once()
    {
        var row = Imported(TikTokStatus.Cancelled);
        Assert.Equal(Effect.Cancel, StoreStatusSync.Next(row, true));

        row.StoreCancelledAt = DateTimeOffset.UnixEpoch;
        Assert.Null(StoreStatusSync.Next(row, true));
    }

    [Fact]
    public void A_new_delivery_address_goes_first_unless_the_order_is_cancelled()
    {
        var row = Imported(TikTokStatus.AwaitingShipment);
        row.StoreAddressPending = true;
        Assert.Equal(Effect.Address, StoreStatusSync.Next(row, true));

        row.TikTokStatus = TikTokStatus.Cancelled;
        Assert.Equal(Effect.Cancel, StoreStatusSync.Next(row, true));
    }

    [Theory]
    [InlineData(TikTokStatus.InTransit)]
    [InlineData(TikTokStatus.Delivered)]
    [InlineData(TikTokStatus.Completed)]
    public void An_order_tiktok_ships_is_fulfilled_once_it_is_on_its_way(string status)
    {
        var row = Imported(status, shippedByTikTok: true);
        Assert.Equal(Effect.Fulfil, StoreStatusSync.Next(row, true));

        row.StoreFulfilledAt = DateTimeOffset.UnixEpoch;
        Assert.Equal(status == TikTokStatus.InTransit ? null : Effect.Complete, StoreStatusSync.Next(row, true));
    }

    [Fact]
    public void An_order_the_seller_ships_is_never_fulfilled_by_connector_but_is_closed_when_delivered()
    {
        Assert.Null(StoreStatusSync.Next(Imported(TikTokStatus.InTransit), true));
        Assert.Equal(Effect.Complete, StoreStatusSync.Next(Imported(TikTokStatus.Delivered), true));
    }

    [Fact]
    public void Partially_shipped_units_are_fulfilled_only_when_the_merchant_chose_partial_shipping()
    {
        var row = Imported(TikTokStatus.PartiallyShipping, shippedByTikTok: true);
        row.ShippedUnitsJson = """{"MUG":1}""";

        Assert.Equal(Effect.PartialFulfil, StoreStatusSync.Next(row, partialShipping: true));
        Assert.Null(StoreStatusSync.Next(row, partialShipping: false));

        row.StoreShippedUnits = 1;
        Assert.Null(StoreStatusSync.Next(row, partialShipping: true));
    }

    [Fact]
    public void An_order_shipped_from_the_order_page_is_fulfilled_in_the_store_as_tiktok_shows_it_once()
    {
        var row = Imported(TikTokStatus.PartiallyShipping);
        row.ShippedFromPage = true;
        row.ShippedUnitsJson = """{"MUG":1}""";
        Assert.Equal(Effect.PartialFulfil, StoreStatusSync.Next(row, partialShipping: true));

        row.StoreShippedUnits = 1;
        Assert.Null(StoreStatusSync.Next(row, partialShipping: true));

        // The rest left with the carrier: fulfilled at Awaiting Collection already (the seller's parcel is on its way), once.
        row.TikTokStatus = TikTokStatus.AwaitingCollection;
        Assert.Equal(Effect.Fulfil, StoreStatusSync.Next(row, true));
        row.StoreFulfilledAt = DateTimeOffset.UnixEpoch;
        Assert.Null(StoreStatusSync.Next(row, true));
        Assert.Null(StoreStatusSync.Next(Imported(TikTokStatus.AwaitingCollection), true)); // shipped in the store: the store has it
    }

    [Fact]
    public void A_closed_order_needs_nothing_more()
    {
        var row = Imported(TikTokStatus.Completed);
        row.StoreCompletedAt = DateTimeOffset.UnixEpoch;

        Assert.Null(StoreStatusSync.Next(row, true));
        Assert.False(StoreStatusSync.HasPending(row));
    }
}
