using Connector.Messaging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Tests.Unit;

/// <summary>The bulk lane on one instance (design §3, waiting work first): bounded, and it holds back while waiting work runs.</summary>
public sealed class BulkLaneTests
{
    private static BulkLane Lane(int concurrency, TimeProvider time) =>
        new(Options.Create(new QueueOptions { BulkConcurrency = concurrency }), time);

    [Fact]
    public async Task No_more_bulk_messages_run_at_once_than_the_lane_allows()
    {
        using var lane = Lane(2, TimeProvider.System);
        using var first = await lane.EnterAsync(CancellationToken.None);
        using var second = await lane.EnterAsync(CancellationToken.None);

        var third = lane.EnterAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(third.IsCompleted);

        first.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task New_bulk_work_waits_while_an_order_somebody_waits_for_is_running()
    {
        var clock = new FakeTimeProvider();
        using var lane = Lane(4, clock);
        var waiting = lane.EnterWaiting();

        var bulk = lane.EnterAsync(CancellationToken.None);
        await SettleAsync();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        await SettleAsync();
        Assert.False(bulk.IsCompleted);

        waiting.Dispose();
        clock.Advance(TimeSpan.FromMilliseconds(20));
        (await bulk.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task A_steady_stream_of_waiting_work_holds_bulk_work_back_for_at_most_a_second()
    {
        var clock = new FakeTimeProvider();
        using var lane = Lane(4, clock);
        using var waiting = lane.EnterWaiting();

        var bulk = lane.EnterAsync(CancellationToken.None);
        for (var i = 0; i < 110 && !bulk.IsCompleted; i++)
        {
            await SettleAsync();
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        (await bulk.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.InRange(clock.GetUtcNow() - clock.Start, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.1));
    }

    private static async Task SettleAsync()
    {
        for (var i = 0; i < 5; i++)
        {
            await Task.Yield();
            await Task.Delay(1);
        }
    }
}
