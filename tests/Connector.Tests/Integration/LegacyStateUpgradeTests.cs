using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Connector.State;
using Connector.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// A shop whose state an older build wrote (grid pointers in table OrderIndex, activity in table Activity, plan usage a
/// counter row in Cursors; issue 12's note: "a one-off copy is needed before any deployed shop upgrades") keeps its orders
/// on the grid, their timelines and its usage after the upgrade, and its old orders can still change status.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class LegacyStateUpgradeTests(ITestOutputHelper output)
{
    private const string OldOrderId = "576461413038785752";

    [Fact]
    public async Task A_shop_written_by_the_old_layout_shows_its_orders_timeline_and_usage_after_its_first_fetch()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var service = new TableServiceClient(sandbox.StorageConnectionString);
        var created = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds();
        var imported = DateTimeOffset.UtcNow.AddMinutes(-5);
        // What the old build left: the order row where it still is, its pointers and activity in the old tables.
        var orders = service.GetTableClient(sandbox.TablePrefix + "Orders");
        var oldIndex = service.GetTableClient(sandbox.TablePrefix + "OrderIndex");
        var oldActivity = service.GetTableClient(sandbox.TablePrefix + "Activity");
        var cursors = service.GetTableClient(sandbox.TablePrefix + "Cursors");
        foreach (var table in new[] { orders, oldIndex, oldActivity, cursors })
        {
            await table.CreateIfNotExistsAsync();
        }

        await orders.AddEntityAsync(new OrderEntity
        {
            PartitionKey = "legacy1",
            RowKey = OldOrderId,
            TikTokStatus = "AWAITING_SHIPMENT",
            ImportState = ImportStates.Imported,
            CreatedAt = created,
            CustomerName = "Olga Oldlayout",
            Quantity = 1,
            StoreOrderId = "gid://shopify/Order/9001",
            StoreOrderName = "#9001",
            ImportedAt = imported,
        });
        var newestFirst = OrderIndexEntity.NewestFirst(created);
        await oldIndex.AddEntityAsync(new TableEntity("legacy1", $"c|{newestFirst}|{OldOrderId}") { ["OrderId"] = OldOrderId, ["Status"] = "AWAITING_SHIPMENT" });
        await oldIndex.AddEntityAsync(new TableEntity("legacy1", $"s|AWAITING_SHIPMENT|{newestFirst}|{OldOrderId}") { ["OrderId"] = OldOrderId, ["Status"] = "AWAITING_SHIPMENT" });
        var suffix = $"{DateTimeOffset.MaxValue.UtcTicks - imported.UtcTicks:D19}-{Guid.NewGuid():N}";
        foreach (var key in new[] { $"a|{suffix}", $"o|{OldOrderId}|{suffix}" })
        {
            await oldActivity.AddEntityAsync(new TableEntity("legacy1", key)
            {
                ["Kind"] = "import", ["OrderId"] = OldOrderId, ["Message"] = "Imported by the old build as #9001", ["At"] = imported,
            });
        }

        await cursors.AddEntityAsync(new TableEntity("legacy1", $"usage|{imported:yyyyMM}") { ["Imported"] = 1 });

        await sandbox.ConnectShopAsync("legacy1");
        await sandbox.FetchAndWaitAsync("legacy1");

        var page = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/orders?shopId=legacy1&status=AWAITING_SHIPMENT");
        Assert.Equal([OldOrderId], page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()));
        var summary = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/orders/summary?shopId=legacy1");
        Assert.Equal(1, summary.GetProperty("all").GetInt32());
        var order = await sandbox.GetOrderAsync("legacy1", OldOrderId);
        Assert.Contains(order.GetProperty("activity").EnumerateArray(), a => a.GetProperty("message").GetString() == "Imported by the old build as #9001");
        var dashboard = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/shops/legacy1/dashboard");
        Assert.Equal(1, dashboard.GetProperty("ordersThisMonth").GetInt32());
        Assert.Contains(dashboard.GetProperty("recentActivity").EnumerateArray(), a => a.GetProperty("message").GetString() == "Imported by the old build as #9001");

        // Once: the nightly housekeeping (which also upgrades) and a second upgrade copy nothing twice.
        var rowsAfterFirst = await CountRowsAsync(orders, "legacy1");
        await sandbox.Host.TriggerTimerAsync("HousekeepingTimer");
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        await sandbox.Handler.Services.GetRequiredService<LegacyStateUpgrade>().UpgradeAsync("legacy1", CancellationToken.None);
        Assert.Equal(rowsAfterFirst, await CountRowsAsync(orders, "legacy1"));
    }

    [Fact]
    public async Task An_order_upgraded_from_the_old_layout_moves_tab_when_TikTok_ships_it()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("legacy2");
        store.AddProduct("Mug", ("MUG", 10m, 100));
        var order = sandbox.TikTok.CreateOrder("legacy2", TestOrders.Spec("AWAITING_SHIPMENT", ("MUG", 1, 10m)));
        await sandbox.FetchAndWaitAsync("legacy2");

        // Put the shop's state back into the old layout: pointers, usage records and activity leave the Orders partition.
        var service = new TableServiceClient(sandbox.StorageConnectionString);
        var orders = service.GetTableClient(sandbox.TablePrefix + "Orders");
        var moved = await orders.QueryAsync<TableEntity>(e => e.PartitionKey == "legacy2" && e.RowKey.CompareTo("~") > 0).ToListAsync();
        Assert.Contains(moved, e => e.RowKey.StartsWith("~s|AWAITING_SHIPMENT|", StringComparison.Ordinal));
        foreach (var row in moved)
        {
            await orders.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        var summary = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/orders/summary?shopId=legacy2");
        Assert.Equal(0, summary.GetProperty("all").GetInt32()); // what an upgrade without the copy would show

        var result = await sandbox.Handler.Services.GetRequiredService<LegacyStateUpgrade>().UpgradeAsync("legacy2", CancellationToken.None);
        Assert.Equal((2, 1), (result.Pointers, result.UsageRecords));

        sandbox.TikTok.AdvanceTo(order.Id, "IN_TRANSIT");
        await TestWait.UntilPastAsync(sandbox.TikTok.GetOrder(order.Id).UpdateTime); // the fetch reads whole past seconds
        await sandbox.FetchAndWaitAsync("legacy2");

        summary = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/orders/summary?shopId=legacy2");
        Assert.Equal(1, summary.GetProperty("counts").GetProperty("IN_TRANSIT").GetInt32());
        Assert.Equal(0, summary.GetProperty("counts").GetProperty("AWAITING_SHIPMENT").GetInt32());
        Assert.Equal("IN_TRANSIT", (await sandbox.GetOrderAsync("legacy2", order.Id)).GetProperty("status").GetString());
    }

    private static async Task<int> CountRowsAsync(TableClient table, string shopId) =>
        await table.QueryAsync<TableEntity>(e => e.PartitionKey == shopId, select: ["RowKey"]).CountAsync();
}
