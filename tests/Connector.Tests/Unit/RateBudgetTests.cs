using System.Text.Json.Nodes;
using Connector.Stores;
using Connector.Stores.Shopify;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Tests.Unit;

/// <summary>The per-store rate budget's rules (issue 12 item 2), on a fake clock: calls wait for points instead of being refused.</summary>
public sealed class RateBudgetTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_call_the_bucket_can_pay_runs_at_once_and_the_next_ones_wait_for_the_points_in_arrival_order()
    {
        var time = new FakeTimeProvider();
        var budget = new RateBudget(capacity: 100, restorePerSecond: 50, time);

        Assert.True(budget.TryReserve(80, Long, out var first));
        Assert.True(budget.TryReserve(40, Long, out var second)); // 20 left: 20 more needed, at 50/s
        Assert.True(budget.TryReserve(50, Long, out var third));  // queued behind the second: 70 more needed

        Assert.Equal(TimeSpan.Zero, first);
        Assert.Equal(TimeSpan.FromSeconds(0.4), second);
        Assert.Equal(TimeSpan.FromSeconds(1.4), third);
    }

    [Fact]
    public void Points_come_back_at_the_restore_rate_up_to_the_bucket_size()
    {
        var time = new FakeTimeProvider();
        var budget = new RateBudget(capacity: 100, restorePerSecond: 50, time);
        budget.TryReserve(100, Long, out _);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(50, budget.Balance, 3);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(100, budget.Balance, 3);
    }

    [Fact]
    public void A_wait_longer_than_allowed_reserves_nothing_so_the_work_goes_back_to_the_queue()
    {
        var time = new FakeTimeProvider();
        var budget = new RateBudget(capacity: 100, restorePerSecond: 10, time);
        budget.TryReserve(100, Long, out _);

        Assert.False(budget.TryReserve(50, TimeSpan.FromSeconds(4), out var wait));
        Assert.Equal(TimeSpan.FromSeconds(5), wait);
        Assert.Equal(0, budget.Balance, 3);
    }

    [Fact]
    public void The_stores_figures_are_adopted_and_only_ever_lower_what_the_mirror_holds()
    {
        var time = new FakeTimeProvider();
        var budget = new RateBudget(capacity: 1000, restorePerSecond: 100, time);

        // Another consumer of the same bucket spent points: the store says fewer are left than we thought.
        budget.Observe(capacity: 2000, available: 300, restorePerSecond: 200);
        Assert.Equal(300, budget.Balance, 3);
        Assert.Equal(2000, budget.Capacity);
        Assert.Equal(200, budget.RestorePerSecond);

        // An answer cannot know about our calls still on their way: a higher figure does not raise the mirror.
        budget.TryReserve(250, Long, out _);
        budget.Observe(capacity: 2000, available: 300, restorePerSecond: 200);
        Assert.Equal(50, budget.Balance, 3);
    }

    [Fact]
    public void What_the_store_did_not_charge_is_given_back_but_never_beyond_the_bucket()
    {
        var time = new FakeTimeProvider();
        var budget = new RateBudget(capacity: 100, restorePerSecond: 10, time);
        budget.TryReserve(60, Long, out _);

        budget.Return(60 - 12); // requested 60, actual 12
        Assert.Equal(88, budget.Balance, 3);
        budget.Return(500);
        Assert.Equal(100, budget.Balance, 3);
        budget.Return(-30); // charged 30 beyond the reservation
        Assert.Equal(70, budget.Balance, 3);
    }

    [Fact]
    public void Retry_after_lets_no_call_through_before_it_ends()
    {
        var time = new FakeTimeProvider();
        var budget = new RateBudget(capacity: 10, restorePerSecond: 10, time);

        budget.Pause(TimeSpan.FromSeconds(2));

        Assert.True(budget.TryReserve(1, Long, out var wait));
        Assert.True(wait >= TimeSpan.FromSeconds(2), $"waited {wait}");
    }

    [Fact]
    public async Task A_waiting_call_proceeds_when_the_clock_has_restored_its_points_and_a_cancelled_one_gives_them_back()
    {
        var time = new FakeTimeProvider();
        var budget = new RateBudget(capacity: 100, restorePerSecond: 100, time);
        budget.TryReserve(100, Long, out _);

        var waiting = budget.AcquireAsync(50, Long, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(await waiting);

        using var cancel = new CancellationTokenSource();
        var cancelled = budget.AcquireAsync(80, Long, cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(0, budget.Balance, 3); // the 80 reserved went back: the next call does not wait for them
    }

    [Fact]
    public void Shopify_answers_settle_the_reservation_and_teach_the_querys_requested_cost()
    {
        var time = new FakeTimeProvider();
        var budgets = new ShopifyBudget(new StoreBudgets(time), Options.Create(new ShopifyOptions { AssumedQueryCost = 50 }));
        var budget = budgets.For(new StoreAccess { ShopId = "shop-1", Platform = StorePlatforms.Shopify, BaseUrl = "https://a.myshopify.com" });
        Assert.Same(budget, budgets.For(new StoreAccess { ShopId = "shop-2", Platform = StorePlatforms.Shopify, BaseUrl = "https://A.myshopify.com/" }));
        Assert.Equal(50, budgets.CostOf("query Q"));
        budget.TryReserve(50, Long, out _);

        budgets.Settle(budget, "query Q", 50, Answer(requested: 22, actual: 5, available: 600, maximum: 1000, restore: 100));

        Assert.Equal(22, budgets.CostOf("query Q"));
        Assert.Equal(600, budget.Balance, 3); // 1000 - 50 + 45 = 995, capped by the store's 600

        // THROTTLED: nothing ran, nothing charged; the store's figure says how long the next call waits.
        budget.TryReserve(22, Long, out _);
        budgets.Settle(budget, "query Q", 22, Answer(requested: 22, actual: null, available: 10, maximum: 1000, restore: 100));
        Assert.True(budget.TryReserve(22, Long, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(0.12), wait);
    }

    private static JsonObject Answer(int requested, int? actual, int available, int maximum, int restore) => new()
    {
        ["extensions"] = new JsonObject
        {
            ["cost"] = new JsonObject
            {
                ["requestedQueryCost"] = requested,
                ["actualQueryCost"] = actual,
                ["throttleStatus"] = new JsonObject { ["maximumAvailable"] = maximum, ["currentlyAvailable"] = available, ["restoreRate"] = restore },
            },
        },
    };
}
