using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Connector.Testing;

using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>One TikTok order never produces two store orders: duplicates, races and crashes (design §3).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ExactlyOnceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Same_message_delivered_twice_creates_one_shopify_order()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("dup1");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("dup1", TestOrders.Spec(("CAP-1", 1, 12m)));
        var payload = StoreTestSupport.Invocation("dup1", order.Id, order.UpdateTime, "m-dup1");

        using var first = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage", payload);
        using var second = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage", payload);

        Assert.True(first.IsSuccessStatusCode);
        Assert.True(second.IsSuccessStatusCode);
        Assert.Single(store.Orders);
        Assert.Equal(49, store.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task Two_concurrent_deliveries_of_one_message_create_one_shopify_order()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("dup2");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));

        // A slow store widens the window in which both deliveries are inside the import.
        store.SetOrderCreateDelay(TimeSpan.FromMilliseconds(500));
        var order = sandbox.TikTok.CreateOrder("dup2", TestOrders.Spec(("CAP-1", 1, 12m)));
        var payload = StoreTestSupport.Invocation("dup2", order.Id, order.UpdateTime, "m-dup2");

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => sandbox.Host.InvokeRawAsync("ProcessOrderMessage", payload)));

        // Losers either waited for the winner (2xx) or asked for a redelivery (503); none created a second order.
        Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode || (int)a.StatusCode == 503, $"unexpected {(int)a.StatusCode}"));
        Assert.Contains(answers, a => a.IsSuccessStatusCode);
        Assert.Single(store.Orders);
        foreach (var a in answers)
        {
            a.Dispose();
        }
    }

    [Fact]
    public async Task Different_messages_about_one_order_racing_through_the_queue_create_one_order()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("dup3");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        store.SetOrderCreateDelay(TimeSpan.FromMilliseconds(300));
        var order = sandbox.TikTok.CreateOrder("dup3", TestOrders.Spec(("CAP-1", 1, 12m)));

        // A fetch and two webhook hints about the same order, sent at once with different message ids.
        await sandbox.FetchAsync("dup3");
        var queue = sandbox.Queue;
        queue.Send(new Connector.Sandbox.Functions.QueueMessage { Body = JsonSerializer.Serialize(new { kind = "order", shopId = "dup3", orderId = order.Id, updateTime = order.UpdateTime, reason = "webhook" }), MessageId = "hint-a" });
        queue.Send(new Connector.Sandbox.Functions.QueueMessage { Body = JsonSerializer.Serialize(new { kind = "order", shopId = "dup3", orderId = order.Id, updateTime = order.UpdateTime, reason = "webhook" }), MessageId = "hint-b" });
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        Assert.Single(store.Orders);
        Assert.Empty(sandbox.DeadLetters);
    }

    [Fact]
    public async Task Crash_between_the_shopify_create_and_the_state_write_still_leaves_one_order_after_redelivery()
    {
        var fault = new FailFirstImportedWrite();
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { StoragePolicy = fault, Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("crash1");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("crash1", TestOrders.Spec(("CAP-1", 1, 12m)));

        await sandbox.FetchAndWaitAsync("crash1");

        Assert.Equal(1, fault.Failures);
        var created = Assert.Single(store.Orders);
        var view = await sandbox.GetOrderAsync("crash1", order.Id);
        Assert.Equal(created.Id, view.GetProperty("storeOrderId").GetString());
        Assert.Equal("Imported", view.GetProperty("importState").GetString());
        Assert.Equal(49, store.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task Crash_after_the_create_while_shopify_search_lags_still_leaves_one_order()
    {
        var fault = new FailFirstImportedWrite();
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { StoragePolicy = fault, Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("crash2");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));

        // Shopify's search is eventually consistent (store-apis.md §2.3): a fresh order is invisible to it for a while.
        store.SetSearchIndexLag(TimeSpan.FromSeconds(3));
        sandbox.TikTok.CreateOrder("crash2", TestOrders.Spec(("CAP-1", 1, 12m)));

        await sandbox.FetchAndWaitAsync("crash2");

        Assert.Equal(1, fault.Failures);
        Assert.Single(store.Orders);
        Assert.Equal(49, store.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task Lost_shopify_answer_is_settled_by_looking_the_order_up_not_by_creating_again()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("lost1");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        store.DropResponseAfterNextOrderCreate();
        var order = sandbox.TikTok.CreateOrder("lost1", TestOrders.Spec(("CAP-1", 1, 12m)));

        await sandbox.FetchAndWaitAsync("lost1");

        var created = Assert.Single(store.Orders);
        Assert.Equal(created.Id, (await sandbox.GetOrderAsync("lost1", order.Id)).GetProperty("storeOrderId").GetString());
    }
}
