using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;

/// <summary>
/// Issue 12 item 2: a throttled store's budget used to the full. New orders arrive as webhooks (16 deliveries at once,
/// host.json) for a store whose budget allows fewer orders a second than the handler could import; measured: the share
/// of the store's budget the import used (points charged ÷ (points in the bucket at the start + restore rate × time)),
/// orders/s, failed orders, THROTTLED/429 answers, and Service Bus messages spent on throttling (redelivered or rescheduled).
/// </summary>
internal static class BudgetBench
{
    private static readonly SimOrderSpec Spec = new() { Lines = [new SimLineSpec { SellerSku = "MUG", SalePrice = 9.5m }], ShippingType = "SELLER" };

    public static async Task RunAsync(int orders, int restoreRate, int etsyOrders)
    {
        await ShopifyAsync(orders, restoreRate);
        if (etsyOrders > 0)
        {
            await EtsyAsync(etsyOrders);
        }
    }

    private static async Task ShopifyAsync(int count, int restoreRate)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ShopifyBucketSize = 1000, ShopifyRestoreRate = restoreRate });
        var (_, store) = await sandbox.ConnectShopAsync("benchbudget");
        store.AddProduct("Mug", ("MUG", 9.5m, 10_000_000));

        // Warm-up (connections, JIT, the SKU map); then wait for the bucket to be full again.
        sandbox.TikTok.CreateOrders("benchbudget", 10, _ => Spec);
        using (await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "benchbudget" }))
        {
            await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(5));
        }

        await Task.Delay(TimeSpan.FromSeconds(1000.0 / restoreRate + 0.5));
        sandbox.EnableWebhooks();
        var before = store.Orders.Count;
        var charged = store.CostCharged;
        var throttled = store.ThrottledRequests;
        var queued = sandbox.Queue.Sent.Count;
        var bucket = store.ThrottleStatus();
        var clock = Stopwatch.StartNew();
        sandbox.TikTok.CreateOrders("benchbudget", count, _ => Spec);
        while (store.Orders.Count < before + count && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(10);
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        var spent = store.CostCharged - charged;
        var budget = bucket.CurrentlyAvailable + (bucket.RestoreRate * elapsed);
        await sandbox.SettleAsync(TimeSpan.FromMinutes(5));
        var imported = store.Orders.Count - before;
        var duplicates = store.Orders.Count - store.Orders.Select(o => o.SourceIdentifier).Distinct().Count();
        var messages = sandbox.Queue.Sent.Skip(queued).ToList();
        var spentOnThrottling = messages.Count(m => m.DeliveryCount > 1 || m.ScheduledEnqueueTimeUtc is not null);
        var used = spent / budget;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Store budget, Shopify ({bucket.MaximumAvailable} points, {bucket.RestoreRate} points/s; 16 concurrent deliveries): {imported}/{count} orders in {elapsed:0.0} s = {imported / elapsed:0.0} orders/s; "
            + $"{spent} points charged of {budget:0} available = {used:P1} of the budget; failed {count - imported}, duplicates {duplicates}; "
            + $"THROTTLED answers {store.ThrottledRequests - throttled}; messages redelivered or rescheduled {spentOnThrottling} of {messages.Count}"));
        Figures.Add($"Shopify budget used ({bucket.RestoreRate} points/s, 16 at once)", $"{used:P1} ({imported / elapsed:0.0} orders/s)", "≥ 90%", used >= 0.9);
        Figures.Add("  failed orders / THROTTLED answers / messages spent on throttling",
            $"{count - imported} / {store.ThrottledRequests - throttled} / {spentOnThrottling}", "0 / – / 0", count == imported && spentOnThrottling == 0);
    }

    private static async Task EtsyAsync(int count)
    {
        // Etsy's allowance is per app and per second (store-apis.md §3.4); the simulator counts it over a sliding second.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { EtsyRequestsPerSecond = 10 });
        var (_, shop) = await sandbox.ConnectEtsyAsync("benchetsy");
        // 20 listings: orders of one listing take its inventory lock in turn (EtsyListingLocks), which is not what is measured here.
        for (var l = 0; l < 20; l++)
        {
            shop.AddListing($"Mug {l}", ($"MUG-{l}", 9.5m, 1_000_000, null));
        }

        SimOrderSpec Listing(int i) => new() { Lines = [new SimLineSpec { SellerSku = $"MUG-{i % 20}", SalePrice = 9.5m }], ShippingType = "SELLER" };
        sandbox.TikTok.CreateOrders("benchetsy", 20, Listing);
        using (await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "benchetsy" }))
        {
            await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(5));
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        sandbox.EnableWebhooks();
        var requests = sandbox.Etsy.Requests.Count;
        var queued = sandbox.Queue.Sent.Count;
        var imported = InventoryUpdates(sandbox);
        var clock = Stopwatch.StartNew();
        var created = sandbox.TikTok.CreateOrders("benchetsy", count, Listing);
        await sandbox.SettleAsync(TimeSpan.FromMinutes(10));
        var calls = sandbox.Etsy.Requests.Skip(requests).ToList();
        var elapsed = (calls.Max(r => r.Time) - calls.Min(r => r.Time)).TotalSeconds + 1; // the last second counts whole
        var accepted = calls.Count(r => r.Status != 429);
        var refused = calls.Count(r => r.Status == 429);
        var done = InventoryUpdates(sandbox) - imported;
        var messages = sandbox.Queue.Sent.Skip(queued).ToList();
        var spentOnThrottling = messages.Count(m => m.DeliveryCount > 1 || m.ScheduledEnqueueTimeUtc is not null);
        var used = accepted / (10 * elapsed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Store budget, Etsy (10 requests/s per app): {created.Count} orders ({done} inventory updates) in {clock.Elapsed.TotalSeconds:0.0} s, {accepted} requests in {elapsed:0.0} s = {used:P1} of the allowance; "
            + $"429 answers {refused}; messages redelivered or rescheduled {spentOnThrottling} of {messages.Count}"));
        Figures.Add("Etsy budget used (10 requests/s)", $"{used:P1} ({created.Count / clock.Elapsed.TotalSeconds:0.0} orders/s)", "≥ 90%", used >= 0.9);
    }

    private static int InventoryUpdates(TestSandbox sandbox) =>
        sandbox.Etsy.Requests.Count(r => r.Method == "PUT" && r.Status is >= 200 and < 300);
}
