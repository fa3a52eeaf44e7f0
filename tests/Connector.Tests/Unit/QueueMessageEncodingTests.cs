using System.Text.Json;
using Connector.Messaging;

namespace Connector.Tests.Unit;

/// <summary>What each message looks like on Service Bus (design §2, reference/azure-service-bus-amqp.md §2, §4) and which queue it takes (design §3).</summary>
public sealed class QueueMessageEncodingTests
{
    [Fact]
    public void An_order_is_encoded_as_json_with_its_deterministic_id_its_kind_as_subject_and_its_schedule()
    {
        var notBefore = new DateTimeOffset(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);
        var work = new OrderWork { ShopId = "shop-1", OrderId = "5770001", UpdateTime = 1765100000, Reason = "hold", NotBefore = notBefore };

        var encoded = ServiceBusQueueSender.Encode(work);

        Assert.Equal("order:shop-1:5770001:1765100000", encoded.MessageId);
        Assert.Equal("order", encoded.Subject);
        Assert.Equal("application/json", encoded.ContentType);
        Assert.Equal(notBefore, encoded.ScheduledEnqueueTime);
        var back = Assert.IsType<OrderWork>(JsonSerializer.Deserialize<QueueMessage>(encoded.Body.ToArray(), QueueMessage.JsonOptions));
        Assert.Equal(work with { NotBefore = null }, back);
    }

    [Fact]
    public void A_rescheduled_attempt_has_its_own_message_id_so_duplicate_detection_keeps_it()
    {
        var work = new OrderWork { ShopId = "shop-1", OrderId = "5770001", UpdateTime = 1, Reason = "webhook" };

        Assert.Equal("order:shop-1:5770001:1:retry3", ServiceBusQueueSender.Encode(work with { Retry = 3 }).MessageId);
    }

    [Fact]
    public void Ids_longer_than_service_bus_allows_are_cut_to_128_characters_and_stay_deterministic_and_distinct()
    {
        var shop = new string('s', 64);
        var first = new OrderWork { ShopId = shop, OrderId = new string('1', 64), UpdateTime = 1765100000, Reason = "retry", Attempt = "a1" };
        var second = first with { Attempt = "a2" };

        var id = first.ServiceBusMessageId;

        Assert.Equal(QueueMessage.MaxMessageIdLength, id.Length);
        Assert.Equal(id, (first with { }).ServiceBusMessageId);
        Assert.NotEqual(id, second.ServiceBusMessageId);
        Assert.StartsWith("order:" + shop, id, StringComparison.Ordinal);
        Assert.Equal(id, ServiceBusQueueSender.Encode(first).MessageId);
    }

    [Fact]
    public void Work_somebody_waits_for_takes_the_orders_queue_and_bulk_work_the_bulk_queue()
    {
        Assert.Equal(WorkLane.Waiting, new OrderWork { ShopId = "s", OrderId = "1", Reason = "webhook" }.Lane);
        Assert.Equal(WorkLane.Waiting, new OrderWork { ShopId = "s", OrderId = "1", Reason = "retry" }.Lane);
        Assert.Equal(WorkLane.Waiting, new OrderWork { ShopId = "s", OrderId = "1", Reason = "hold" }.Lane);
        Assert.Equal(WorkLane.Waiting, new ShopEvent { ShopId = "s", Event = "deauthorized", NotificationId = "n" }.Lane);
        Assert.Equal(WorkLane.Waiting, new StoreChangeWork { ShopId = "s", OrderId = "1", StoreOrderId = "g", RunId = "w1", FromWebhook = true }.Lane);

        Assert.Equal(WorkLane.Bulk, new OrderWork { ShopId = "s", OrderId = "1", Reason = OrderWork.FetchReason }.Lane);
        Assert.Equal(WorkLane.Bulk, new FetchJob { ShopId = "s", RunId = "r", Trigger = "timer" }.Lane);
        Assert.Equal(WorkLane.Bulk, new StoreScanJob { ShopId = "s", RunId = "r" }.Lane);
        Assert.Equal(WorkLane.Bulk, new StoreChangeWork { ShopId = "s", OrderId = "1", StoreOrderId = "g", RunId = "r" }.Lane);
        Assert.Equal(WorkLane.Bulk, new CleanupJob { ShopId = "s", RunId = "r" }.Lane);

        var queues = new QueueOptions { OrdersQueueName = "orders", BulkQueueName = "bulk" };
        Assert.Equal("orders", queues.QueueFor(WorkLane.Waiting));
        Assert.Equal("bulk", queues.QueueFor(WorkLane.Bulk));
    }

    [Fact]
    public void Two_scans_that_see_the_same_unhandled_store_change_send_the_same_id_and_a_handled_one_a_new_id()
    {
        var first = new StoreChangeWork { ShopId = "s", OrderId = "1", StoreOrderId = "g", ChangedAt = 1000, RunId = "m1", Seen = 0 };
        var secondRun = first with { RunId = "t2" };
        var afterHandled = secondRun with { Seen = 999 };

        Assert.Equal(first.ServiceBusMessageId, secondRun.ServiceBusMessageId);
        Assert.NotEqual(first.ServiceBusMessageId, afterHandled.ServiceBusMessageId);
    }
}
