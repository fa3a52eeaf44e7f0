using Connector.Testing;

using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Issue 12 item 2: with a store whose budget is far below what 16 concurrent deliveries ask for, every order still gets
/// in once, and the waiting happens in the handler — no Service Bus message is redelivered or rescheduled because the
/// store said THROTTLED (store-apis.md §2.5).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StoreBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_throttled_Shopify_store_gets_every_order_once_and_no_message_is_spent_on_throttling()
    {
        // 100 points, 40 back per second: 30 orders need several times what the bucket holds.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output, ShopifyBucketSize = 100, ShopifyRestoreRate = 40 });
        var (_, store) = await sandbox.ConnectShopAsync("budget");
        store.AddProduct("Cap", ("CAP-1", 12m, 1000), ("MUG-1", 9m, 1000));
        sandbox.EnableWebhooks();

        var created = sandbox.TikTok.CreateOrders("budget", 30, i => TestOrders.Spec((i % 2 == 0 ? "CAP-1" : "MUG-1", 1, 12m)));
        await sandbox.SettleAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(created.Select(o => o.Id).Order(), store.Orders.Select(o => o.SourceIdentifier).Order());
        Assert.True(store.CostCharged > 3 * 100, $"the orders cost {store.CostCharged} points: more than the bucket holds several times over");
        var orderMessages = sandbox.Queue.CompletedMessages;
        Assert.NotEmpty(orderMessages);
        Assert.All(orderMessages, m => Assert.Equal(1, m.DeliveryCount));
        Assert.DoesNotContain(sandbox.Sent, m => m.ScheduledEnqueueTimeUtc is not null);
        Assert.Empty(sandbox.DeadLetters);

        // The handler waited for the points rather than asking and being refused: at most the first few calls (before the
        // store's first answer told the real bucket) met THROTTLED.
        Assert.True(store.ThrottledRequests <= 16, $"{store.ThrottledRequests} THROTTLED answers");
    }
}
