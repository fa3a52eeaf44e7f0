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
var backfill = Arg("--backfill", 5000);
var probes = Arg("--probes", 40);
var tableOrders = Arg("--table-orders", 1000);

// --only a,b runs some sections: table-cost, overhead, budget, fan-out, pending, skus, webhook-burst, lanes, fetch, webhook, button, shipments, shopify-webhook, products.
var only = Array.IndexOf(args, "--only") is var o && o >= 0 && o + 1 < args.Length ? args[o + 1].Split(',') : null;
bool Run(string section) => only is null || only.Contains(section, StringComparer.Ordinal);
Console.WriteLine($"Connector benchmark — {Environment.ProcessorCount} cores, {DateTimeOffset.UtcNow:u}");

using var sends = new SendLatencies();
if (Run("table-cost"))
{
    await TableCostAsync(tableOrders);
}

if (Run("overhead"))
{
    await OverheadAsync(Arg("--overhead-orders", 500));
}

if (Run("budget"))
{
    await BudgetBench.RunAsync(Arg("--budget-orders", 400), Arg("--budget-restore", 100), Arg("--etsy-orders", 300));
}

if (Run("fan-out"))
{
    await ScaleBench.FanOutAsync(Arg("--shops", 10_000));
}

if (Run("pending"))
{
    await ScaleBench.PendingAsync(Arg("--pending-orders", 100_000));
}

if (Run("skus"))
{
    await ScaleBench.SkuCatalogueAsync(Arg("--catalogue", 10_000), Arg("--sku-orders", 1000));
}

if (Run("webhook-burst"))
{
    await WebhookBurst.RunAsync(Arg("--burst", 200));
}

if (Run("lanes"))
{
    await WaitingWorkFirstAsync(backfill, probes);
}

if (Run("fetch"))
{
    await FetchThroughputAsync(orders);
}

if (Run("webhook"))
{
    await WebhookLatencyAsync(webhookOrders);
}

if (Run("button"))
{
    await FetchButtonAsync(pending);
}

if (Run("shipments"))
{
    await StoreToTikTokAsync(shipments);
}

if (Run("shopify-webhook"))
{
    await ShopifyWebhookLatencyAsync(webhookOrders);
}

if (Run("products"))
{
    await ProductsBench.RunAsync(Arg("--skus", 10_000), Arg("--stock-probes", 50), Arg("--stock-changes", 1000));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Service Bus send (SDK over AMQP to the local broker, whole run): {sends.Count} batches, p50 {sends.Percentile(0.50):0.0} ms, p95 {sends.Percentile(0.95):0.0} ms, {sends.Messages} messages"));
Figures.Print();
return 0;

static async Task TableCostAsync(int count)
{
    // Issue 12: Table operations per order, counted at the Azure SDK transport (a pipeline policy in the handler's
    // TableServiceClient), per kind; "in the order's own message" is the handling of the order's queue message alone.
    var result = await TableCost.MeasureAsync(count);
    Console.WriteLine(result.NewOrders.Format());
    Console.WriteLine(result.StoreReadBack.Format());
    Console.WriteLine(result.StatusUpdates.Format());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Table operations per order: new order {result.NewOrders.ImportPerOrder:0.00} (limit {TableCost.NewOrderLimit:0}: {(result.NewOrders.ImportPerOrder <= TableCost.NewOrderLimit ? "met" : "NOT met")}), "
        + $"status update that changes nothing in the store {result.StatusUpdates.MessagePerOrder:0.00} in its message (limit {TableCost.StatusUpdateLimit:0}: {(result.StatusUpdates.MessagePerOrder <= TableCost.StatusUpdateLimit ? "met" : "NOT met")}), {result.StatusUpdates.ImportPerOrder:0.00} with the fetch run; "
        + $"store scan reading back a new store order {result.NewOrders.StoreScanPerOrder + result.StoreReadBack.StoreScanPerOrder:0.00}; store orders {result.StoreOrders}, duplicates {result.Duplicates}"));
    Figures.Add("Table operations per new order (import)", Figures.Format(result.NewOrders.ImportPerOrder, "0.00"), $"≤ {TableCost.NewOrderLimit:0}",
        result.NewOrders.ImportPerOrder <= TableCost.NewOrderLimit);
    Figures.Add("Table operations per status message (changes nothing in the store)", Figures.Format(result.StatusUpdates.MessagePerOrder, "0.00"),
        $"≤ {TableCost.StatusUpdateLimit:0}", result.StatusUpdates.MessagePerOrder <= TableCost.StatusUpdateLimit);
    Figures.Add("  duplicates (table-cost run)", $"{result.Duplicates}", "0", result.Duplicates == 0);
}

static async Task OverheadAsync(int count)
{
    // 16 concurrent deliveries (host.json), 20 ms per TikTok call and 50 ms per Shopify call injected in the handler's clients.
    var overhead = new Connector.Benchmarks.Overhead();
    await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
    {
        ShopifyBucketSize = 100_000,
        ShopifyRestoreRate = 10_000,
        ConfigureHandler = overhead.Register,
    });
    overhead.TikTokAuthority = sandbox.TikTok.BaseUrl.Authority;
    var (_, store) = await sandbox.ConnectShopAsync("benchover");
    store.AddProduct("Mug", ("MUG", 9.5m, 10_000_000), ("CAP", 12m, 10_000_000));
    SimOrderSpec Spec(int i) => new() { Lines = [new SimLineSpec { SellerSku = i % 2 == 0 ? "MUG" : "CAP", SalePrice = 9.5m }], ShippingType = "SELLER" };
    sandbox.TikTok.CreateOrders("benchover", 20, Spec);
    using (await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "benchover" }))
    {
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(5));
    }

    overhead.Messages.Clear();
    overhead.Requests.Clear();

    // New orders as webhooks bring them: each is one message on the orders queue (16 at once, host.json), which reads the
    // order from TikTok, looks for it in Shopify and creates it there. (Fetch Order's bulk lane runs 8 at once on purpose.)
    sandbox.EnableWebhooks();
    var invocationsBefore = sandbox.Host.Invocations.Count;
    sandbox.TikTok.CreateOrders("benchover", count, Spec);
    await sandbox.SettleAsync(TimeSpan.FromMinutes(10));

    var messages = overhead.Messages.Where(m => m.Calls > 0).ToList();
    var total = messages.Select(m => m.Total).Order().ToList();
    var api = messages.Select(m => m.Api).Order().ToList();
    var ratio = messages.Select(m => m.Total / m.Api).Order().ToList();
    var requests = overhead.Requests.Order().ToList();
    var hosted = sandbox.Host.Invocations.Skip(invocationsBefore).Where(i => i.FunctionName == "ProcessOrderMessage")
        .Select(i => i.Duration.TotalMilliseconds).Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Order message overhead (16 concurrent, TikTok +20 ms, Shopify +50 ms per call): {messages.Count} messages, {messages.Average(m => m.Calls):0.0} API calls each; "
        + $"p50 {P(total, 0.5):0} ms handling vs p50 {P(api, 0.5):0} ms waiting on API calls = {P(total, 0.5) / P(api, 0.5):0.00}× (limit 1.3×; per-message ratio p50 {P(ratio, 0.5):0.00}×, p95 {P(ratio, 0.95):0.00}×); "
        + $"the handler's HTTP pipeline p50 {P(requests, 0.5):0} ms; host-side invocation p50 {P(hosted, 0.5):0} ms over {hosted.Count} order-queue invocations"));
    var overheadRatio = P(total, 0.5) / P(api, 0.5);
    Figures.Add("Order message p50 vs the API calls it waits on (TikTok +20 ms, Shopify +50 ms, 16 at once)",
        string.Create(CultureInfo.InvariantCulture, $"{overheadRatio:0.00}× ({P(total, 0.5):0} ms vs {P(api, 0.5):0} ms)"), "≤ 1.3×", overheadRatio <= 1.3);
}

static async Task WaitingWorkFirstAsync(int backfill, int probes)
{
    // Webhook → store order for new orders, first idle, then while a first-connection backfill drains through the bulk queue.
    await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
    {
        ShopifyBucketSize = 100_000,
        ShopifyRestoreRate = 10_000,
        ConfigureTikTok = o => o.WebhookRetrySchedule = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)],
    });
    var (_, store) = await sandbox.ConnectShopAsync("benchlane");
    store.AddProduct("Mug", ("MUG", 9.5m, 10_000_000));
    var spec = new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "MUG", SalePrice = 9.5m }], ShippingType = "SELLER" };
    var webhookUrl = sandbox.EnableWebhooks();

    await ProbeAsync(sandbox, store, spec, 10); // warm-up (first connections, JIT): not measured
    var idle = await ProbeAsync(sandbox, store, spec, probes);
    var webhookMessagesPerOrder = (double)sandbox.Sent.Count / Math.Max(1, store.Orders.Count);

    sandbox.TikTok.SetWebhookUrl(null); // the backlog is old orders: no webhooks for them
    sandbox.TikTok.CreateOrders("benchlane", backfill, _ => spec);
    var before = store.Orders.Count;
    var sentBefore = sandbox.Sent.Count;
    var clock = Stopwatch.StartNew();
    using (await sandbox.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId = "benchlane" }))
    {
    }

    while (store.Orders.Count < before + 100 && clock.Elapsed < TimeSpan.FromMinutes(2))
    {
        await Task.Delay(50);
    }

    sandbox.TikTok.SetWebhookUrl(webhookUrl);
    var busy = await ProbeAsync(sandbox, store, spec, probes);
    var importedDuringProbes = store.Orders.Count - before - probes;
    await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(20));
    clock.Stop();
    var imported = store.Orders.Count - before - probes;
    var backfillMessages = sandbox.Sent.Count - sentBefore;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Webhook → store order, idle: {idle.Count}/{probes} orders, p50 {P(idle, 0.50):0} ms, p95 {P(idle, 0.95):0} ms"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Webhook → store order, {backfill}-order backfill draining: {busy.Count}/{probes} orders, p50 {P(busy, 0.50):0} ms, p95 {P(busy, 0.95):0} ms ({P(busy, 0.50) / P(idle, 0.50):0.0}× idle p50; {importedDuringProbes} backfill orders imported meanwhile)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Backfill of {backfill} orders: {imported} imported in {clock.Elapsed.TotalSeconds:0.0} s; messages sent per imported order: {(double)backfillMessages / Math.Max(1, imported + probes):0.00} (backfill incl. pages and store scan), {webhookMessagesPerOrder:0.00} (webhook)"));
}

static async Task<List<double>> ProbeAsync(TestSandbox sandbox, Connector.Sandbox.Shopify.SimShopifyShop store, SimOrderSpec spec, int count)
{
    var ids = new List<string>();
    for (var i = 0; i < count; i++)
    {
        ids.Add(sandbox.TikTok.CreateOrder("benchlane", spec).Id);
        await Task.Delay(100);
    }

    var deadline = Stopwatch.StartNew();
    while (ids.Any(id => store.Orders.All(o => o.SourceIdentifier != id)) && deadline.Elapsed < TimeSpan.FromMinutes(5))
    {
        await Task.Delay(50);
    }

    var latencies = new List<double>();
    foreach (var created in store.Orders.Where(o => ids.Contains(o.SourceIdentifier!)))
    {
        var sent = sandbox.TikTok.WebhookDeliveries.Where(d => d.Body.Contains(created.SourceIdentifier!, StringComparison.Ordinal)).Min(d => d.Time);
        latencies.Add((created.CreatedAt - sent).TotalMilliseconds);
    }

    latencies.Sort();
    return latencies;
}

static double P(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

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
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Webhook → store order created: {latencies.Count}/{count} orders, p50 {P(latencies, 0.50):0} ms, p95 {P(latencies, 0.95):0} ms, max {P(latencies, 1.0):0} ms"));
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
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Shopify fulfilment → TikTok package (webhook): {latencies.Count}/{count} orders, p50 {P(latencies, 0.50):0} ms, p95 {P(latencies, 0.95):0} ms, max {P(latencies, 1.0):0} ms"));
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
