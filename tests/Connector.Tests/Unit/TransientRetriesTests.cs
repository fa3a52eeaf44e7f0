using Connector.Messaging;
using Connector.Functions;
using Connector.Orders;

namespace Connector.Tests.Unit;

/// <summary>Rescheduled work: growing pauses, a new Service Bus id per attempt, the same claim identity (see OrderImporter).</summary>
public sealed class TransientRetriesTests
{
    private static readonly FetchOptions Options = new() { RetryBaseDelay = TimeSpan.FromSeconds(5), RetryMaxDelay = TimeSpan.FromHours(1) };

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 15)]
    [InlineData(3, 45)]
    [InlineData(5, 405)]
    [InlineData(8, 3600)]
    [InlineData(40, 3600)]
    public void Each_pause_is_three_times_the_last_up_to_an_hour_with_a_fifth_of_jitter(int attempt, double seconds)
    {
        var delays = Enumerable.Range(0, 50).Select(_ => TransientRetries.Delay(attempt, Options).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, seconds * 0.8, seconds * 1.2));
        Assert.True(delays.Distinct().Count() > 1, "jitter spreads orders that failed together");
    }

    [Fact]
    public void A_rescheduled_attempt_is_a_new_service_bus_message_but_the_same_delivery_with_a_higher_count()
    {
        var work = new OrderWork { ShopId = "s1", OrderId = "576", UpdateTime = 1700000000, Reason = "webhook", Attempt = "n1" };
        var retried = work with { Retry = 2 };

        Assert.Equal("order:s1:576:1700000000:n1", work.ServiceBusMessageId);
        Assert.Equal("order:s1:576:1700000000:n1:retry2", retried.ServiceBusMessageId);
        Assert.Equal(new Delivery("order:s1:576:1700000000:n1", 1), Delivery.Of(work, work.ServiceBusMessageId, 1));
        Assert.Equal(new Delivery("order:s1:576:1700000000:n1", 203), Delivery.Of(retried, retried.ServiceBusMessageId, 3));
    }
}
