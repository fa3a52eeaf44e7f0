using Azure.Data.Tables;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>The nightly housekeeping keeps webhook ids 3 days and the activity feed 90 days, per shop through the queue.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class HousekeepingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Old_notification_ids_and_old_activity_are_removed_and_recent_ones_kept()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("house1");
        var service = new TableServiceClient(sandbox.StorageConnectionString);
        var dedupe = service.GetTableClient(sandbox.TablePrefix + "Dedupe");
        // The shop's activity feed lives in the Orders table's shop partition (State.OrderPartition).
        var activity = service.GetTableClient(sandbox.TablePrefix + "Orders");
        await dedupe.CreateIfNotExistsAsync();
        await activity.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        await dedupe.AddEntityAsync(new TableEntity("house1", "old-notification") { ["Type"] = 1, ["At"] = now.AddDays(-4) });
        await dedupe.AddEntityAsync(new TableEntity("house1", "new-notification") { ["Type"] = 1, ["At"] = now.AddHours(-2) });
        string Feed(DateTimeOffset at) => $"{Connector.State.ActivityEntity.FeedKeyFrom(at)}-{Guid.NewGuid():N}";
        await activity.AddEntityAsync(new TableEntity("house1", Feed(now.AddDays(-120))) { ["Kind"] = "fetch", ["Message"] = "old", ["At"] = now.AddDays(-120) });
        await activity.AddEntityAsync(new TableEntity("house1", Feed(now.AddDays(-1))) { ["Kind"] = "fetch", ["Message"] = "recent", ["At"] = now.AddDays(-1) });

        await sandbox.Host.TriggerTimerAsync("HousekeepingTimer");
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        var ids = await dedupe.QueryAsync<TableEntity>(e => e.PartitionKey == "house1").Select(e => e.RowKey).ToListAsync();
        Assert.Equal(["new-notification"], ids);
        var feed = await activity.QueryAsync<TableEntity>(e => e.PartitionKey == "house1" && e.RowKey.CompareTo("~a|") > 0 && e.RowKey.CompareTo("~a}") < 0)
            .Select(e => e.GetString("Message")).ToListAsync();
        Assert.Contains("recent", feed);
        Assert.DoesNotContain("old", feed);
    }
}
