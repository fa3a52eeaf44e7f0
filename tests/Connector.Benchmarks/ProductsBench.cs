using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Connector.Sandbox.Shopify;
using Connector.Sandbox.TikTok;
using Connector.Testing;

/// <summary>
/// Products and stock (issue 14): linking a catalogue of <c>skus</c> SKUs (time, TikTok and store calls, peak memory of
/// the whole process: handler and simulators share it), store stock change → TikTok quantity on the webhook path
/// (p50/p95), and TikTok calls per 1,000 stock changes.
/// </summary>
internal static class ProductsBench
{
    public static async Task RunAsync(int skus, int probes, int changes)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            ShopifyBucketSize = 100_000,
            ShopifyRestoreRate = 10_000,
        });
        const string shopId = "benchproducts";
        var store = sandbox.Shopify.AddShop($"store-{shopId}");
        using (var put = await sandbox.PutShopAsync(sandbox.TikTok.AddShop(shopId),
                   new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken, webhookSecret = store.ApiSecretKey }))
        {
            put.EnsureSuccessStatusCode();
        }

        // 4 SKUs a product; TikTok already lists the store's stock, so the sync measures linking, not pushing.
        const int perProduct = 4;
        for (var p = 0; p < skus / perProduct; p++)
        {
            var variants = Enumerable.Range(0, perProduct).Select(v => ($"SKU-{p:D5}-{v}", 10m, 50 + v)).ToArray();
            store.AddProduct($"Product {p}", variants);
            sandbox.TikTok.CreateProduct(shopId, new SimProductSpec
            {
                Title = $"Product {p}",
                Skus = [.. variants.Select(v => new SimSkuSpec { SellerSku = v.Item1, Stock = new Dictionary<string, int> { [TikTokSimulator.DefaultWarehouseId] = v.Item3 } })],
            });
        }

        var tiktokBefore = sandbox.TikTok.Requests.Count;
        var storeBefore = store.GraphQLRequests;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var memoryBefore = process.PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        using (var sync = await sandbox.Api.PostAsJsonAsync("/api/products/sync", new { shopId }))
        {
            sync.EnsureSuccessStatusCode();
        }

        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(20));
        clock.Stop();
        process.Refresh();
        var run = await sandbox.Api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/products/sync/status?shopId={shopId}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Catalogue link, {skus} SKUs ({skus / perProduct} products): {clock.Elapsed.TotalSeconds:0.0} s, {run.GetProperty("linked").GetInt32()} linked, "
            + $"{sandbox.TikTok.Requests.Count - tiktokBefore} TikTok calls, {store.GraphQLRequests - storeBefore} Shopify calls, "
            + $"peak working set {process.PeakWorkingSet64 / 1048576.0:0} MB (was {memoryBefore / 1048576.0:0} MB before the sync; whole process)"));

        // Webhook path: one store change at a time, timed until TikTok lists the new quantity.
        var random = new Random(14);
        var latencies = new List<double>();
        for (var i = 0; i < probes; i++)
        {
            var sku = $"SKU-{random.Next(skus / perProduct):D5}-{random.Next(perProduct)}";
            var quantity = random.Next(0, 40);
            var product = sandbox.TikTok.GetProducts(shopId).First(p => p.Skus.Any(s => s.SellerSku == sku));
            if (product.Skus.Single(s => s.SellerSku == sku).Stock.Sum(s => s.Quantity) == quantity)
            {
                continue;
            }

            var probe = Stopwatch.StartNew();
            store.SetInventory(sku, quantity);
            while (sandbox.TikTok.GetProduct(product.Id).Skus.Single(s => s.SellerSku == sku).Stock.Sum(s => s.Quantity) != quantity
                   && probe.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(5);
            }

            latencies.Add(probe.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Store stock change → TikTok quantity (Shopify inventory_levels/update webhook): {latencies.Count} changes, p50 {P(latencies, 0.50):0} ms, p95 {P(latencies, 0.95):0} ms"));

        // A burst of changes: TikTok calls per 1,000.
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(5));
        await sandbox.Shopify.WaitForWebhooksAsync(TimeSpan.FromMinutes(5));
        var callsBefore = sandbox.TikTok.Requests.Count;
        var inventoryBefore = InventoryCalls(sandbox);
        var burst = Stopwatch.StartNew();
        for (var i = 0; i < changes; i++)
        {
            store.SetInventory($"SKU-{random.Next(skus / perProduct):D5}-{random.Next(perProduct)}", random.Next(0, 40));
        }

        await sandbox.Shopify.WaitForWebhooksAsync(TimeSpan.FromMinutes(10));
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(10));
        burst.Stop();
        var calls = sandbox.TikTok.Requests.Count - callsBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{changes} store stock changes on random SKUs: {calls} TikTok calls ({InventoryCalls(sandbox) - inventoryBefore} UpdateInventory), {calls * 1000.0 / changes:0} per 1,000 changes, all settled in {burst.Elapsed.TotalSeconds:0.0} s"));
        await RestockAsync(sandbox, store, Math.Min(250, skus / perProduct), perProduct);
    }

    /// <summary>A restock: every SKU of <paramref name="products"/> products changes at once (4 changes a product).</summary>
    public static async Task RestockAsync(TestSandbox sandbox, SimShopifyShop store, int products, int perProduct)
    {
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(5));
        var before = InventoryCalls(sandbox);
        var clock = Stopwatch.StartNew();
        for (var p = 0; p < products; p++)
        {
            for (var v = 0; v < perProduct; v++)
            {
                store.SetInventory($"SKU-{p:D5}-{v}", 100 + v);
            }
        }

        await sandbox.Shopify.WaitForWebhooksAsync(TimeSpan.FromMinutes(10));
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromMinutes(10));
        var calls = InventoryCalls(sandbox) - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Restock of {products} products ({products * perProduct} SKU changes at once): {calls} UpdateInventory calls, {calls * 1000.0 / (products * perProduct):0} per 1,000 changes, settled in {clock.Elapsed.TotalSeconds:0.0} s"));
    }

    private static int InventoryCalls(TestSandbox sandbox) =>
        sandbox.TikTok.Requests.Count(r => r.Path.EndsWith("/inventory/update", StringComparison.Ordinal));

    private static double P(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
