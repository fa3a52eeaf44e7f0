using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;

// Measures what a merchant feels, end to end over real HTTP: Azurite, the simulators, the handler and the host emulation.
var orders = Arg("--orders", 500);
var webhookOrders = Arg("--webhook-orders", 100);
var pending = Arg("--pending", 2000);
var shipments = Arg("--shipments", 200);
Console.WriteLine($"Connector benchmark — {Environment.ProcessorCount} cores, {DateTimeOffset.UtcNow:u}");

await FetchThroughputAsync(orders);
await WebhookLatencyAsync(webhookOrders);
await FetchButtonAsync(pending);
await StoreToTikTokAsync(shipments);
await ShopifyWebhookLatencyAsync(webhookOrders);
return 0;

static async Task FetchThroughputAsync(int count)
{
    await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ShopifyBucketSize = 100_000, ShopifyRestoreRate = 10_000 });
    var (_, store) = await sandbox.ConnectShopAsync("benchfetch");
    store.AddProduct("Mug", ("MUG", 9.5m, 1_000_000), ("CAP", 12m, 1_000_000));
    sandbox.TikTok.CreateOrders("benchfetch", count, i => new SimOrderSpec
    {
        Lines = [new SimLineSpec { SellerSku = i % 2 == 0 ? "MUG" : "CAP", Quantity = 1 + (i % 3), SalePrice = 9.5m }],
        ShippingType = "SELLER",
    });
    var clock = Stopwatch.StartNew();
    using var response = await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "benchfetch" });
    await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(10));
    clock.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Fetch Order → store: {store.Orders.Count}/{count} orders imported in {clock.Elapsed.TotalSeconds:0.0} s ({store.Orders.Count / clock.Elapsed.TotalSeconds:0} orders/s), duplicates: {store.Orders.Count - store.Orders.Select(o => o.SourceIdentifier).Distinct().Count()}"));
}

static async Task WebhookLatencyAsync(int count)
{
    await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
    {
        ShopifyBucketSize = 100_000,
        ShopifyRestoreRate = 10_000,
        ConfigureTikTok = o => o.WebhookRetrySchedule = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)],
    });
    var (_, store) = await sandbox.ConnectShopAsync("benchhook");
    store.AddProduct("Mug", ("MUG", 9.5m, 1_000_000));
    sandbox.EnableWebhooks();
    var latencies = new List<double>();
    for (var i = 0; i < count; i++)
    {
        // One order at a time, a few ms apart, like real traffic: latency = webhook sent → Shopify order created.
        var order = sandbox.TikTok.CreateOrder("benchhook", new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "MUG", SalePrice = 9.5m }], ShippingType = "SELLER" });
        await Task.Delay(20);
        _ = order;
    }

    await sandbox.SettleAsync(TimeSpan.FromMinutes(5));
    foreach (var created in store.Orders)
    {
        var sent = sandbox.TikTok.WebhookDeliveries.Where(d => d.Body.Contains(created.SourceIdentifier!, StringComparison.Ordinal)).Min(d => d.Time);
        latencies.Add((created.CreatedAt - sent).TotalMilliseconds);
    }

    latencies.Sort();
    double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Webhook → store order created: {latencies.Count}/{count} orders, p50 {Percentile(0.50):0} ms, p95 {Percentile(0.95):0} ms, max {Percentile(1.0):0} ms"));
}

static async Task FetchButtonAsync(int count)
{
    await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ShopifyBucketSize = 100_000, ShopifyRestoreRate = 10_000 });
    var (_, store) = await sandbox.ConnectShopAsync("benchbutton");
    store.AddProduct("Mug", ("MUG", 9.5m, 1_000_000));
    sandbox.TikTok.CreateOrders("benchbutton", count, _ => new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "MUG", SalePrice = 9.5m }], ShippingType = "SELLER" });
    var clock = Stopwatch.StartNew();
    using var response = await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "benchbutton" });
    var answered = clock.Elapsed;
    await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(15));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Fetch Order with {count} orders pending: HTTP {(int)response.StatusCode} after {answered.TotalMilliseconds:0} ms; all {store.Orders.Count} imported after {clock.Elapsed.TotalSeconds:0.0} s"));
}

static async Task StoreToTikTokAsync(int count)
{
    // The merchant ships orders in Shopify with tracking; one Fetch Order press carries them all to TikTok.
    await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ShopifyBucketSize = 100_000, ShopifyRestoreRate = 10_000 });
    var (_, store) = await sandbox.ConnectShopAsync("benchship");
    store.AddProduct("Mug", ("MUG", 9.5m, 1_000_000));
    var created = sandbox.TikTok.CreateOrders("benchship", count, _ => new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "MUG", Quantity = 2, SalePrice = 9.5m }], ShippingType = "SELLER" });
    using (await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "benchship" }))
    {
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(10));
    }

    foreach (var (order, i) in store.Orders.Select((o, i) => (o, i)))
    {
        store.FulfillAsMerchant(order.Id, $"1Z{i:D16}", "UPS");
    }

    var clock = Stopwatch.StartNew();
    using var response = await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "benchship" });
    await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(10));
    clock.Stop();
    var shipped = created.Count(o => sandbox.TikTok.GetOrder(o.Id).Status == "AWAITING_COLLECTION");
    var packages = sandbox.TikTok.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/packages", StringComparison.Ordinal) && r.Code == 0);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Store → TikTok: {shipped}/{count} Shopify shipments on TikTok {clock.Elapsed.TotalSeconds:0.0} s after Fetch Order ({shipped / clock.Elapsed.TotalSeconds:0} orders/s), packages sent: {packages}"));
}

static async Task ShopifyWebhookLatencyAsync(int count)
{
    // With the app secret, Shopify's orders/updated webhook carries each fulfilment; latency = merchant fulfils → TikTok package.
    await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ShopifyBucketSize = 100_000, ShopifyRestoreRate = 10_000 });
    var tiktokShop = sandbox.TikTok.AddShop("benchshwh");
    var store = sandbox.Shopify.AddShop("store-benchshwh");
    using (var put = await sandbox.PutShopAsync(tiktokShop,
        new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken, webhookSecret = store.ApiSecretKey }))
    {
        put.EnsureSuccessStatusCode();
    }

    store.AddProduct("Mug", ("MUG", 9.5m, 1_000_000));
    var created = sandbox.TikTok.CreateOrders("benchshwh", count, _ => new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "MUG", SalePrice = 9.5m }], ShippingType = "SELLER" });
    using (await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "benchshwh" }))
    {
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(10));
    }

    var fulfilledAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
    foreach (var order in store.Orders)
    {
        fulfilledAt[order.SourceIdentifier!] = DateTimeOffset.UtcNow;
        store.FulfillAsMerchant(order.Id, $"1Z{order.Number:D16}", "UPS");
        await Task.Delay(20);
    }

    await sandbox.Shopify.WaitForWebhooksAsync(TimeSpan.FromMinutes(2));
    await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(5));
    var latencies = created
        .Select(o => sandbox.TikTok.Requests.Where(r => r.Path == $"/fulfillment/202309/orders/{o.Id}/packages" && r.Code == 0).Select(r => (DateTimeOffset?)r.Time).FirstOrDefault() - fulfilledAt[o.Id])
        .Where(l => l is not null).Select(l => l!.Value.TotalMilliseconds).Order().ToList();
    double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Shopify fulfilment → TikTok package (webhook): {latencies.Count}/{count} orders, p50 {Percentile(0.50):0} ms, p95 {Percentile(0.95):0} ms, max {Percentile(1.0):0} ms"));
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
