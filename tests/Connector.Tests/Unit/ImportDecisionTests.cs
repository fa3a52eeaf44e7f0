using Azure;
using Connector.Messaging;
using Connector.Orders;
using Connector.Orders.Import;
using Connector.State;
using Connector.TikTok;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Tests.Unit;

/// <summary>
/// The importer's decision table in milliseconds, without Azurite or simulators (design §3: idempotent, monotonic, webhooks
/// are hints): what one delivery does with the row it read.
/// </summary>
public sealed class ImportDecisionTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private static readonly ShopSettings Defaults = new();
    private static readonly Delivery First = new("order:s:1:100", 1);

    private static TikTokOrder Order(string status = TikTokStatus.AwaitingShipment, long updateTime = 100, long? paidTime = null) =>
        new() { Id = "576", Status = status, UpdateTime = updateTime, PaidTime = paidTime };

    private static OrderWork Work(string reason = "webhook", int retry = 0) =>
        new() { ShopId = "s", OrderId = "576", UpdateTime = 100, Reason = reason, Retry = retry };

    private static OrderEntity Row(string importState = ImportStates.Failed, string status = TikTokStatus.AwaitingShipment, long updateTime = 100, bool stored = true) => new()
    {
        PartitionKey = "s",
        RowKey = "576",
        ImportState = importState,
        TikTokStatus = status,
        TikTokUpdateTime = updateTime,
        ETag = stored ? new ETag("W/\"1\"") : default,
    };

    private static ImportStep Decide(OrderEntity row, TikTokOrder? order = null, OrderWork? work = null, Delivery? delivery = null, ShopSettings? settings = null) =>
        ImportDecision.Decide(row, order ?? Order(), work ?? Work(), delivery ?? First, settings ?? Defaults, Clock.GetUtcNow());

    [Fact]
    public void A_new_order_is_claimed_for_import() =>
        Assert.Equal(new ImportStep.Claim(RecentAttempt: false), Decide(Row(ImportStates.Failed, stored: false)));

    [Fact]
    public void An_order_already_in_the_store_only_brings_its_status_along_and_says_whether_it_is_newer()
    {
        var row = Row(ImportStates.Imported);
        row.StoreOrderId = "gid://shopify/Order/1";

        Assert.Equal(new ImportStep.ApplyStatus(IsNewer: true), Decide(row, Order(TikTokStatus.InTransit, 101)));
        Assert.Equal(new ImportStep.ApplyStatus(IsNewer: false), Decide(row, Order(TikTokStatus.AwaitingShipment, 99)));
    }

    [Theory]
    [InlineData(ImportStates.Failed)]
    [InlineData(ImportStates.Skipped)]
    [InlineData(ImportStates.Waiting)]
    public void A_repeated_hint_with_nothing_newer_does_nothing(string importState) =>
        Assert.IsType<ImportStep.NothingNewer>(Decide(Row(importState)));

    [Theory]
    [InlineData("retry", 0)]
    [InlineData("hold", 0)]
    [InlineData("webhook", 1)]
    public void A_merchants_retry_a_hold_release_or_a_rescheduled_attempt_tries_again_even_with_nothing_newer(string reason, int retry) =>
        Assert.IsType<ImportStep.Claim>(Decide(Row(ImportStates.Failed), work: Work(reason, retry)));

    [Fact]
    public void The_same_second_with_a_status_further_along_counts_as_newer()
    {
        Assert.True(ImportDecision.IsNewer(Row(status: TikTokStatus.AwaitingShipment), Order(TikTokStatus.AwaitingCollection, 100)));
        Assert.False(ImportDecision.IsNewer(Row(status: TikTokStatus.AwaitingCollection), Order(TikTokStatus.AwaitingShipment, 100)));
    }

    [Theory]
    [InlineData(TikTokStatus.Completed)]
    [InlineData(TikTokStatus.Cancelled)]
    public void A_terminal_row_never_moves_back(string terminal) =>
        Assert.IsType<ImportStep.KeepTerminal>(Decide(Row(ImportStates.Skipped, terminal), Order(TikTokStatus.AwaitingShipment, 90), Work("retry")));

    [Theory]
    [InlineData(TikTokStatus.Cancelled)]
    [InlineData(TikTokStatus.OnHold)]
    [InlineData(TikTokStatus.Unpaid)]
    public void Cancelled_held_or_unpaid_orders_are_recorded_not_imported(string status) =>
        Assert.Equal(new ImportStep.NotImported(status), Decide(Row(stored: false), Order(status, 101)));

    [Fact]
    public void A_status_the_merchant_does_not_import_is_recorded_not_imported()
    {
        var settings = Defaults with { ImportStatuses = [TikTokStatus.AwaitingShipment] };

        Assert.Equal(new ImportStep.NotImported(TikTokStatus.AwaitingCollection), Decide(Row(stored: false), Order(TikTokStatus.AwaitingCollection, 101), settings: settings));
    }

    [Fact]
    public void A_paid_order_waits_out_the_hold_period_then_is_claimed()
    {
        var settings = Defaults with { OrderHoldMinutes = 30 };
        var paid = Clock.GetUtcNow().AddMinutes(-10).ToUnixTimeSeconds();

        var held = Assert.IsType<ImportStep.Hold>(Decide(Row(stored: false), Order(paidTime: paid), settings: settings));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(paid).AddMinutes(30), held.Until);
        Assert.False(held.ResumedEarly);

        var later = ImportDecision.Decide(Row(stored: false), Order(paidTime: paid), Work(), First, settings, Clock.GetUtcNow().AddMinutes(21));
        Assert.IsType<ImportStep.Claim>(later);
    }

    [Fact]
    public void A_claim_held_by_another_delivery_is_waited_for_until_it_expires()
    {
        var row = Row(ImportStates.Importing);
        row.ClaimMessageId = "order:s:1:100:other";
        row.ClaimDelivery = 1;
        row.ClaimUntil = Clock.GetUtcNow().AddSeconds(30);

        Assert.IsType<ImportStep.ClaimedByOther>(Decide(row, Order(updateTime: 101)));
        Assert.IsType<ImportStep.Claim>(ImportDecision.Decide(row, Order(updateTime: 101), Work(), First, Defaults, Clock.GetUtcNow().AddSeconds(31)));
    }

    [Fact]
    public void A_redelivery_of_the_claiming_message_takes_its_claim_over_at_once_and_knows_it_was_just_inside()
    {
        var row = Row(ImportStates.Importing);
        row.ClaimMessageId = First.MessageId;
        row.ClaimDelivery = 1;
        row.ClaimUntil = Clock.GetUtcNow().AddSeconds(30);

        Assert.Equal(new ImportStep.Claim(RecentAttempt: true), Decide(row, Order(updateTime: 101), delivery: First with { DeliveryCount = 2 }));
        Assert.IsType<ImportStep.ClaimedByOther>(Decide(row, Order(updateTime: 101), delivery: First));
    }
}
