using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Connector.Sandbox;
using Connector.Sandbox.Functions;
using Connector.Sandbox.Shopify;
using Connector.Sandbox.TikTok;
using Connector.State;
using Connector.Testing;

/// <summary>
/// Issue 12 item 4, scale figures. The handler runs as its own process here (started by the host emulation, as the
/// Functions host does), so its memory is its own: peak resident set (Linux VmHWM, reset before each phase through
/// /proc/PID/clear_refs) — the simulators, Azurite and the emulated broker live elsewhere.
/// </summary>
internal static class ScaleBench
{
    private const string AppKey = "scale_app_key";
    private const string AppSecret = "scale_app_secret_0123456789";

    public static async Task FanOutAsync(int shops)
    {
        // The bulk lane is off (as the Functions host does for AzureWebJobs.<name>.Disabled): the jobs stay queued rather than
        // being worked on while the fan-out is measured.
        await using var run = await HandlerRun.StartAsync(disableBulk: true);

        // Connected shops written as the shops API writes them (a Shopify store each), in batches of 100 per transaction.
        var table = new TableServiceClient(run.Storage).GetTableClient(run.Prefix + StateTables.Shops);
        await table.CreateIfNotExistsAsync();
        for (var i = 0; i < shops; i += 100)
        {
            await table.SubmitTransactionAsync(Enumerable.Range(i, Math.Min(100, shops - i)).Select(n => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new ShopEntity { RowKey = $"scale-{n:D5}", ShopCipher = "cipher", AccessToken = "token", Platform = "shopify", StoreBaseUrl = "https://scale.example", ConnectionStatus = "connected" })));
        }

        run.ResetPeak();
        var before = run.Host.Invocations.Count;
        await run.Host.TriggerTimerAsync("FetchOrdersTimer");
        var invocation = run.Host.Invocations.Skip(before).First(i => i.FunctionName == "FetchOrdersTimer");
        var jobs = run.Host.GetQueue("bulk").Sent.Count(m => m.Body.Contains("\"timer\"", StringComparison.Ordinal));
        var peak = run.PeakMegabytes();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Timer fan-out, {shops} connected shops: invocation {invocation.Duration.TotalSeconds:0.00} s ({(invocation.Succeeded ? "succeeded" : "FAILED")}), {jobs} fetch jobs queued "
            + $"in batches of 100, handler peak resident set {peak:0} MB during it (idle {run.IdleMegabytes:0} MB)"));
        Figures.Add($"Timer fan-out, {shops} shops", $"{invocation.Duration.TotalSeconds:0.00} s, {jobs} messages, handler peak {peak:0} MB",
            "one message per shop", invocation.Succeeded && jobs == shops);
    }

    public static async Task PendingAsync(int pending)
    {
        await using var run = await HandlerRun.StartAsync(disableBulk: false);
        var shopId = "scalepending";
        var tiktokShop = run.TikTok.AddShop(shopId);
        var store = run.Shopify.AddShop($"store-{shopId}");
        using (var put = await run.Api.PutAsJsonAsync($"/api/shops/{shopId}", new
        {
            tiktok = new
            {
                shopCipher = tiktokShop.Cipher, accessToken = tiktokShop.AccessToken, accessTokenExpiresAt = tiktokShop.AccessTokenExpiresAt,
                refreshToken = tiktokShop.RefreshToken, refreshTokenExpiresAt = tiktokShop.RefreshTokenExpiresAt,
            },
            store = new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken },
        }))
        {
            put.EnsureSuccessStatusCode();
        }

        store.AddProduct("Mug", ("MUG", 9.5m, 10_000_000));
        run.TikTok.CreateOrders(shopId, pending, _ => new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "MUG", SalePrice = 9.5m }], ShippingType = "SELLER" });
        run.ResetPeak();
        var samples = new List<double>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                samples.Add(run.ResidentMegabytes());
                await Task.Delay(500, CancellationToken.None);
            }
        });
        var clock = Stopwatch.StartNew();
        using (await run.Api.PostAsJsonAsync("/api/orders/fetch", new { shopId }))
        {
        }

        await run.Host.WaitForIdleAsync(TimeSpan.FromHours(2));
        clock.Stop();
        await sampling.CancelAsync();
        await sampler;
        var pages = run.TikTok.Requests.Count(r => r.Path == "/order/202309/orders/search");
        var imported = store.Orders.Count;
        var peak = run.PeakMegabytes();

        // Linear: resident set over the first and the second half of the run (a handler holding the orders grows with them).
        var half = samples.Count / 2;
        var firstHalf = samples.Take(half).DefaultIfEmpty(0).Max();
        var secondHalf = samples.Skip(half).DefaultIfEmpty(0).Max();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"One shop, {pending} orders pending at TikTok: {pages} search pages, {imported} imported in {clock.Elapsed.TotalSeconds:0} s ({imported / clock.Elapsed.TotalSeconds:0.0} orders/s), "
            + $"handler peak resident set {peak:0} MB (max over the first half of the run {firstHalf:0} MB, second half {secondHalf:0} MB; idle {run.IdleMegabytes:0} MB)"));
        Figures.Add($"One shop, {pending} orders pending: handler peak memory", $"{peak:0} MB ({pages} pages, {clock.Elapsed.TotalSeconds:0} s, {imported} imported)",
            "< 300 MB, flat", peak < 300 && imported == pending);
    }

    public static async Task SkuCatalogueAsync(int skus, int orders)
    {
        // A catalogue of `skus` SKUs (4 per product); orders of 1–3 lines, 80% of the lines on the 200 best sellers, the rest
        // anywhere in the catalogue. A SKU found in the store goes to the shop's SKU map; later lines read it there.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ShopifyBucketSize = 100_000, ShopifyRestoreRate = 10_000 });
        var (_, store) = await sandbox.ConnectShopAsync("benchskus");
        for (var p = 0; p < skus / 4; p++)
        {
            store.AddProduct($"Product {p}", [.. Enumerable.Range(0, 4).Select(v => ($"SKU-{p:D5}-{v}", 10m, 1_000_000))]);
        }

        var random = new Random(12);
        string Sku() => random.NextDouble() < 0.8 ? $"SKU-{random.Next(50):D5}-{random.Next(4)}" : $"SKU-{random.Next(skus / 4):D5}-{random.Next(4)}";
        var lines = 0;
        var specs = Enumerable.Range(0, orders).Select(_ =>
        {
            var count = 1 + random.Next(3);
            lines += count;
            return new SimOrderSpec { Lines = [.. Enumerable.Range(0, count).Select(_ => new SimLineSpec { SellerSku = Sku(), SalePrice = 10m })], ShippingType = "SELLER" };
        }).ToList();
        var distinct = specs.SelectMany(o => o.Lines!.Select(l => l.SellerSku)).Distinct().Count();
        var calls = store.GraphQLRequests;
        sandbox.EnableWebhooks();
        var clock = Stopwatch.StartNew();
        sandbox.TikTok.CreateOrders("benchskus", orders, i => specs[i]);
        await sandbox.SettleAsync(TimeSpan.FromMinutes(20));
        var storeCalls = store.GraphQLRequests - calls;
        var imported = store.Orders.Count;

        // Per order: one look-up by source identifier and one orderCreate; the rest are SKU look-ups.
        var lookups = storeCalls - (2 * imported);
        var hitRate = 1 - ((double)lookups / lines);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SKU matching, {skus}-SKU catalogue: {imported}/{orders} orders ({lines} lines, {distinct} distinct SKUs) in {clock.Elapsed.TotalSeconds:0.0} s; "
            + $"{lookups} store SKU look-ups = cache hit rate {hitRate:P1} (best possible {1 - ((double)distinct / lines):P1}); {(double)storeCalls / Math.Max(1, imported):0.00} store calls per order"));
        Figures.Add($"SKU matching, {skus}-SKU catalogue (80% of lines on 200 SKUs)", $"hit rate {hitRate:P1}, {(double)storeCalls / Math.Max(1, imported):0.00} store calls/order",
            $"best possible {1 - ((double)distinct / lines):P1} (each SKU looked up once)", imported == orders && hitRate >= 1 - ((double)distinct / lines) - 0.01);
    }

    /// <summary>The sandbox with the handler in its own process (the build's Connector.Handler.dll run by dotnet).</summary>
    private sealed class HandlerRun : IAsyncDisposable
    {
        private HandlerRun(TikTokSimulator tiktok, ShopifySimulator shopify, FunctionsHost host, string storage, string prefix, double idle)
        {
            TikTok = tiktok;
            Shopify = shopify;
            Host = host;
            Storage = storage;
            Prefix = prefix;
            IdleMegabytes = idle;
            Api = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        }

        public TikTokSimulator TikTok { get; }
        public ShopifySimulator Shopify { get; }
        public FunctionsHost Host { get; }
        public string Storage { get; }
        public string Prefix { get; }
        public double IdleMegabytes { get; }
        public HttpClient Api { get; }

        public static async Task<HandlerRun> StartAsync(bool disableBulk)
        {
            var azurite = await SharedAzurite.GetAsync();
            var tiktok = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions { AppKey = AppKey, AppSecret = AppSecret });
            var shopify = await ShopifySimulator.StartAsync(new ShopifySimulatorOptions { BucketSize = 100_000, RestoreRatePerSecond = 10_000 });
            var prefix = "s" + Guid.NewGuid().ToString("N")[..10];
            var dll = Path.Combine(RepositoryPaths.Root, "functions", "Connector.Handler", "bin", "Release", "net10.0", "Connector.Handler.dll");
            var options = new FunctionsHostOptions
            {
                ScriptRoot = RepositoryPaths.Root,
                EnableTimers = false,
                HandlerExecutablePath = "dotnet",
                HandlerArguments = [dll],
                HandlerWorkingDirectory = Path.GetDirectoryName(dll),
            };
            options.FunctionDirectories.Add(RepositoryPaths.Functions);
            foreach (var (key, value) in new Dictionary<string, string>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["OrdersQueueName"] = "orders",
                ["BulkQueueName"] = "bulk",
                ["FetchSchedule"] = "0 */5 * * * *",
                ["TikTok__ApiBaseUrl"] = tiktok.BaseUrl.ToString(),
                ["TikTok__AuthBaseUrl"] = tiktok.BaseUrl.ToString(),
                ["TikTok__AppKey"] = AppKey,
                ["TikTok__AppSecret"] = AppSecret,
                ["Stores__AllowLoopback"] = "true",
                ["State__TablePrefix"] = prefix,
                ["Logging__LogLevel__Default"] = "Warning",
                ["AzureWebJobs.ProcessBulkMessage.Disabled"] = disableBulk ? "true" : "false",
            })
            {
                options.Settings[key] = value;
            }

            var host = await FunctionsHost.StartAsync(options);
            var run = new HandlerRun(tiktok, shopify, host, azurite.ConnectionString, prefix, 0);
            return new HandlerRun(tiktok, shopify, host, azurite.ConnectionString, prefix, run.ResidentMegabytes());
        }

        private string Proc(string file) => $"/proc/{Host.HandlerProcessId}/{file}";

        /// <summary>Resets the kernel's peak resident set of the handler process (write 5 to clear_refs, Linux ≥ 4.0).</summary>
        public void ResetPeak() => File.WriteAllText(Proc("clear_refs"), "5");

        public double PeakMegabytes() => Status("VmHWM:");

        public double ResidentMegabytes() => Status("VmRSS:");

        private double Status(string field)
        {
            var line = File.ReadLines(Proc("status")).First(l => l.StartsWith(field, StringComparison.Ordinal));
            return double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        }

        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            await Host.DisposeAsync();
            await TikTok.DisposeAsync();
            await Shopify.DisposeAsync();
        }
    }
}
