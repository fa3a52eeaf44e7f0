using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>§5.4 transitions as the simulator enforces them.</summary>
public sealed class StatusTransitionTests
{
    private const string ShopId = "7494049642642441621";

    [Fact]
    public async Task S5_4_update_time_strictly_increases_on_every_status_change_even_within_one_second()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions { TimeProvider = time });
        sim.AddShop(ShopId);
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { Status = "UNPAID" });

        var times = new List<long> { order.UpdateTime };
        foreach (var status in new[] { "ON_HOLD", "AWAITING_SHIPMENT", "AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED", "COMPLETED" })
        {
            sim.SetStatus(order.Id, status);
            times.Add(sim.GetOrder(order.Id).UpdateTime);
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => 1_700_000_000L + i), times);
        Assert.Equal(1_700_000_000, sim.GetOrder(order.Id).CreateTime);
    }

    [Theory]
    [InlineData("COMPLETED", "CANCELLED")]
    [InlineData("CANCELLED", "AWAITING_SHIPMENT")]
    [InlineData("CANCELLED", "CANCELLED")]
    [InlineData("IN_TRANSIT", "AWAITING_SHIPMENT")]
    [InlineData("AWAITING_SHIPMENT", "UNPAID")]
    [InlineData("ON_HOLD", "IN_TRANSIT")]
    public async Task S5_4_forbidden_moves_throw_and_leave_the_order_unchanged(string from, string to)
    {
        await using var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions());
        sim.AddShop(ShopId);
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { Status = from });

        Assert.Throws<InvalidOperationException>(() => sim.SetStatus(order.Id, to));
        Assert.Equal(order, sim.GetOrder(order.Id));
    }

    [Fact]
    public async Task S5_4_advance_walks_the_shortest_path_and_shipping_sets_packages_and_tracking()
    {
        await using var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions());
        sim.AddShop(ShopId);
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { Status = "UNPAID", Lines = [new SimLineSpec { SellerSku = "A", Quantity = 2 }] });

        var shipped = sim.AdvanceTo(order.Id, "IN_TRANSIT");

        Assert.Equal("IN_TRANSIT", shipped.Status);
        Assert.NotNull(shipped.PaidTime);
        Assert.Single(shipped.PackageIds);
        Assert.All(shipped.LineItems, l => Assert.Equal(("IN_TRANSIT", "FULFILLING"), (l.DisplayStatus, l.PackageStatus)));
        Assert.NotNull(shipped.TrackingNumber);
        Assert.True(shipped.UpdateTime >= order.UpdateTime + 2);
    }

    [Fact]
    public async Task S5_4_partial_shipping_ships_part_of_the_lines_and_cancel_marks_every_line()
    {
        await using var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions());
        sim.AddShop(ShopId);
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "A", Quantity = 4 }] });

        sim.SetStatus(order.Id, "PARTIALLY_SHIPPING");
        var partial = sim.GetOrder(order.Id);
        var cancelled = sim.Cancel(order.Id, "SELLER", "Out of stock");

        Assert.Equal(2, partial.LineItems.Count(l => l.PackageId is not null));
        Assert.Equal(2, partial.LineItems.Count(l => l.DisplayStatus == "AWAITING_SHIPMENT"));
        Assert.Equal("CANCELLED", cancelled.Status);
        Assert.Equal(("SELLER", "Out of stock"), (cancelled.CancellationInitiator, cancelled.CancelReason));
        Assert.All(cancelled.LineItems, l => Assert.Equal(("CANCELLED", "SELLER"), (l.DisplayStatus, l.CancelUser)));
        Assert.Throws<InvalidOperationException>(() => sim.SetStatus(order.Id, "AWAITING_COLLECTION"));
    }

    [Fact]
    public void S5_4_path_finder_knows_the_graph()
    {
        Assert.Equal(["AWAITING_SHIPMENT", "IN_TRANSIT", "DELIVERED", "COMPLETED"], TikTokOrderStatus.PathTo("UNPAID", "COMPLETED"));
        Assert.Null(TikTokOrderStatus.PathTo("COMPLETED", "CANCELLED"));
        Assert.True(TikTokOrderStatus.CanMove("DELIVERED", "CANCELLED"));
        Assert.False(TikTokOrderStatus.CanMove("CANCELLED", "COMPLETED"));
    }
}
