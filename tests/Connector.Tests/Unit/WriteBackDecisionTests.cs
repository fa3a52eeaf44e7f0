using Connector.Messaging;
using Connector.Orders.WriteBack;
using Connector.State;
using Connector.Stores;
using Connector.TikTok;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Tests.Unit;

/// <summary>
/// The write-back's decision table in milliseconds: whether a store change is still to be handled, by whom, and whether it
/// may hold anything TikTok lacks (Connector's own store updates must never echo back to TikTok).
/// </summary>
public sealed class WriteBackDecisionTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private static readonly Delivery Mine = new("storechange:s:576:1000:s0", 1);

    private static OrderEntity Row() => new()
    {
        PartitionKey = "s",
        RowKey = "576",
        StoreOrderId = "gid://shopify/Order/1",
        TikTokStatus = TikTokStatus.AwaitingShipment,
    };

    private static StoreChangeWork Change(long changedAt = 1000) =>
        new() { ShopId = "s", OrderId = "576", StoreOrderId = "gid://shopify/Order/1", ChangedAt = changedAt, RunId = "t1" };

    private static StoreShipment Shipment(string id, string? tracking = "1Z1") => new(id, tracking, "UPS", [new StoreShippedLine("p1", "MUG", 1)]);

    [Fact]
    public void A_change_not_seen_yet_is_claimed()
    {
        Assert.Equal(WriteBackClaim.Claim, WriteBackDecision.Claim(Row(), Change(), Mine, Clock.GetUtcNow()));
    }

    [Fact]
    public void A_change_already_seen_or_of_another_store_order_is_handled_already()
    {
        var seen = Row();
        seen.StoreChangeSeen = 1000;
        var replaced = Row();
        replaced.StoreOrderId = "gid://shopify/Order/2";

        Assert.Equal(WriteBackClaim.AlreadyHandled, WriteBackDecision.Claim(seen, Change(1000), Mine, Clock.GetUtcNow()));
        Assert.Equal(WriteBackClaim.AlreadyHandled, WriteBackDecision.Claim(replaced, Change(), Mine, Clock.GetUtcNow()));
        Assert.Equal(WriteBackClaim.Claim, WriteBackDecision.Claim(seen, Change(1001), Mine, Clock.GetUtcNow()));
    }

    [Fact]
    public void Another_deliverys_live_claim_makes_this_one_wait_and_its_own_or_an_expired_one_does_not()
    {
        var row = Row();
        row.WriteBackClaimId = "storechange:s:576:999:w1";
        row.WriteBackClaimUntil = Clock.GetUtcNow().AddSeconds(30);

        Assert.Equal(WriteBackClaim.Busy, WriteBackDecision.Claim(row, Change(), Mine, Clock.GetUtcNow()));
        Assert.Equal(WriteBackClaim.Claim, WriteBackDecision.Claim(row, Change(), Mine, Clock.GetUtcNow().AddSeconds(31)));
        row.WriteBackClaimId = Mine.MessageId;
        Assert.Equal(WriteBackClaim.Claim, WriteBackDecision.Claim(row, Change(), Mine, Clock.GetUtcNow()));
    }

    [Fact]
    public void A_store_cancellation_needs_tiktok_once_and_not_for_an_order_tiktok_cancelled()
    {
        var state = new StoreOrderState(Clock.GetUtcNow(), "customer", []);
        var row = Row();

        Assert.True(WriteBackDecision.MayNeedTikTok(row, state, []));
        row.TikTokCancelSentAt = Clock.GetUtcNow();
        Assert.False(WriteBackDecision.MayNeedTikTok(row, state, []));
        var cancelledByTikTok = Row();
        cancelledByTikTok.TikTokStatus = TikTokStatus.Cancelled;
        Assert.False(WriteBackDecision.MayNeedTikTok(cancelledByTikTok, state, []));
    }

    [Fact]
    public void A_new_or_corrected_shipment_of_a_seller_shipped_order_needs_tiktok_and_one_already_sent_does_not()
    {
        var state = new StoreOrderState(null, null, [Shipment("f1", "1Z1")]);
        var row = Row();

        Assert.True(WriteBackDecision.MayNeedTikTok(row, state, []));
        Assert.False(WriteBackDecision.MayNeedTikTok(row, state, [new SentShipment("f1", "pkg1", "1Z1", 1)]));
        Assert.True(WriteBackDecision.MayNeedTikTok(row, new StoreOrderState(null, null, [Shipment("f1", "1Z9")]), [new SentShipment("f1", "pkg1", "1Z1", 1)]));
    }

    [Fact]
    public void Shipments_of_an_order_tiktok_ships_are_left_to_tiktok()
    {
        var row = Row();
        row.ShippedByTikTok = true;

        Assert.False(WriteBackDecision.MayNeedTikTok(row, new StoreOrderState(null, null, [Shipment("f1")]), []));
    }

    [Fact]
    public void A_tracking_number_is_corrected_only_for_a_package_tiktok_has_and_only_when_it_differs()
    {
        Assert.True(WriteBackDecision.IsCorrection(new SentShipment("f1", "pkg1", "1Z1", 1), Shipment("f1", " 1Z2 ")));
        Assert.False(WriteBackDecision.IsCorrection(new SentShipment("f1", "pkg1", "1Z1", 1), Shipment("f1", " 1Z1 ")));
        Assert.False(WriteBackDecision.IsCorrection(new SentShipment("f1", null, "1Z1", 1), Shipment("f1", "1Z2")));
        Assert.False(WriteBackDecision.IsCorrection(new SentShipment("f1", "pkg1", "1Z1", 1), Shipment("f1", null)));
    }
}
