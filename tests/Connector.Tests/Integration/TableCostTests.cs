using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Connector.Sandbox;
using Connector.State;
using Connector.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Cost per order is bounded and there is no hot row (design §3, issues 10 and 12): Table operations counted at the
/// SDK transport, and the plan usage exact however many imports run at once.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TableCostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_new_order_costs_at_most_six_table_operations_and_a_status_update_that_changes_nothing_in_the_store_at_most_three()
    {
        var result = await TableCost.MeasureAsync(50, output);
        var (newOrders, updates) = (result.NewOrders, result.StatusUpdates);
        output.WriteLine(newOrders.Format());
        output.WriteLine(result.StoreReadBack.Format());
        output.WriteLine(updates.Format());

        Assert.Equal(50, result.StoreOrders);
        Assert.Equal(0, result.Duplicates);
        Assert.Equal(50, newOrders.Orders);

        // The import's own operations (the fetch page's check and the order's message); the write-back's store scan that
        // later reads the new store order back is its own workflow, reported on its own line.
        Assert.True(newOrders.ImportPerOrder <= TableCost.NewOrderLimit, newOrders.Format());

        // A status update: the order's own message (read the row, save it with its pointers and activity).
        Assert.True(updates.MessagePerOrder <= TableCost.StatusUpdateLimit, updates.Format());
        Assert.True(updates.OrderMessages.Values.Sum() > 0, "the status updates were not handled: " + updates.Format());
    }

    [Fact]
    public async Task Dashboard_usage_equals_the_store_orders_created_by_200_concurrent_imports_each_delivered_twice()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ShopifyBucketSize = 100_000, ShopifyRestoreRate = 10_000, Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("usage200");
        store.AddProduct("Mug", ("MUG", 9.5m, 1_000_000));
        var orders = sandbox.TikTok.CreateOrders("usage200", 200, _ => TestOrders.Spec(("MUG", 1, 9.5m)));

        // Every order twice (two webhooks, two message ids), all 400 deliveries at once; a delivery told to come back
        // (503: another delivery holds the order) is delivered again, as Service Bus would.
        var deliveries = orders.SelectMany(o => new[] { (o, "a"), (o, "b") }).Select(async d =>
        {
            for (var count = 1; count <= 10; count++)
            {
                using var answer = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage",
                    StoreTestSupport.Invocation("usage200", d.o.Id, d.o.UpdateTime, $"m-{d.o.Id}-{d.Item2}", count));
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }

            Assert.Fail($"order {d.o.Id} was never imported");
        });
        await Task.WhenAll(deliveries);

        Assert.Equal(200, store.Orders.Count);
        Assert.Equal(200, store.Orders.Select(o => o.SourceIdentifier).Distinct().Count());
        using var response = await sandbox.Api.GetAsync(new Uri("/api/shops/usage200/dashboard", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var dashboard = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(store.Orders.Count, dashboard.GetProperty("ordersThisMonth").GetInt32());
    }

    [Fact]
    public async Task An_order_counts_once_in_the_month_its_store_order_was_recorded()
    {
        var azurite = await SharedAzurite.GetAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 59, 58, TimeSpan.Zero));
        var tables = new StateTables(new TableServiceClient(azurite.ConnectionString),
            Options.Create(new StateOptions { TablePrefix = "t" + Guid.NewGuid().ToString("N")[..10] }));
        var index = new OrderIndexStore(tables);
        var orders = new OrderStore(tables, clock);
        var usage = new UsageStore(index, clock);

        async Task ImportAsync(string orderId)
        {
            var row = await orders.GetAsync("month1", orderId, CancellationToken.None)
                ?? new OrderEntity { PartitionKey = "month1", RowKey = OrderPartition.OrderKey(orderId), TikTokStatus = "AWAITING_SHIPMENT" };
            row.StoreOrderId = $"store-{orderId}";
            row.ImportedAt = clock.GetUtcNow();
            row.ImportState = ImportStates.Imported;
            Assert.True(await orders.TrySaveAsync(row, CancellationToken.None));
        }

        await ImportAsync("1001");                        // 30 Nov, 23:59:58
        clock.Advance(TimeSpan.FromSeconds(1));
        await ImportAsync("1002");                        // 30 Nov, 23:59:59
        clock.Advance(TimeSpan.FromSeconds(1));
        await ImportAsync("1003");                        // 1 Dec, 00:00:00
        var waiting = new OrderEntity { PartitionKey = "month1", RowKey = OrderPartition.OrderKey("1004"), TikTokStatus = "UNPAID" };
        Assert.True(await orders.TrySaveAsync(waiting, CancellationToken.None));

        // A later save of an imported order (a status update) does not count it again, in this month or the next.
        var again = await orders.GetAsync("month1", "1001", CancellationToken.None);
        again!.TikTokStatus = "AWAITING_COLLECTION";
        Assert.True(await orders.TrySaveAsync(again, CancellationToken.None));

        Assert.Equal(1, await usage.ThisMonthAsync("month1", CancellationToken.None));
        var november = new UsageStore(index, new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(2, await november.ThisMonthAsync("month1", CancellationToken.None));
    }
}
