using Connector.Sandbox;
using System.Net.Http.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Connector.Sandbox.Etsy;
using Connector.Sandbox.Functions;
using Connector.Sandbox.PrestaShop;
using Connector.Sandbox.Shopify;
using Connector.Sandbox.TikTok;
using Connector.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Connector.Testing;

/// <summary>
/// Everything an integration test needs, over real HTTP: Azurite, the TikTok Shop and Shopify simulators, the handler
/// (built by <see cref="ConnectorApp"/>, listening on loopback) and the Functions host emulation in front of it, reading
/// the repository's host.json and function folders. Each sandbox has its own tables (prefix) and its own queue.
/// </summary>
public sealed class TestSandbox : IAsyncDisposable
{
    public const string AppKey = "test_app_key";
    public const string AppSecret = "test_app_secret_0123456789";
    public const string EtsyKeystring = "etsy_test_keystring";
    public const string EtsySharedSecret = "etsy_test_shared_secret";
    public const string EtsyRedirectUrl = "https://connector.test/api/etsy/callback";

    private TestSandbox(
        TikTokSimulator tiktok, ShopifySimulator shopify, PrestaShopSimulator prestaShop, EtsySimulator etsy, WebApplication handler, FunctionsHost host,
        CapturingLoggerProvider logs, string tablePrefix, string storage)
    {
        TikTok = tiktok;
        Shopify = shopify;
        PrestaShop = prestaShop;
        Etsy = etsy;
        Handler = handler;
        Host = host;
        Logs = logs;
        TablePrefix = tablePrefix;
        StorageConnectionString = storage;
        Api = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    private ITestOutputHelper? _output;

    public TikTokSimulator TikTok { get; }
    public ShopifySimulator Shopify { get; }
    public PrestaShopSimulator PrestaShop { get; }
    public EtsySimulator Etsy { get; }
    public WebApplication Handler { get; }
    public FunctionsHost Host { get; }
    public CapturingLoggerProvider Logs { get; }
    public string TablePrefix { get; }
    public string StorageConnectionString { get; }

    /// <summary>Calls go through the host emulation's public /api/* address, as the merchant's browser would.</summary>
    public HttpClient Api { get; }

    /// <summary>The orders queue: work a webhook or the merchant waits for.</summary>
    public EmulatedQueue Queue => Host.GetQueue("orders");

    /// <summary>The bulk queue: fetch pages and the orders they find, store scans, housekeeping.</summary>
    public EmulatedQueue BulkQueue => Host.GetQueue("bulk");

    /// <summary>Every message accepted on either queue, in the order they were enqueued.</summary>
    public IReadOnlyList<EmulatedMessage> Sent => [.. Queue.Sent.Concat(BulkQueue.Sent).OrderBy(m => m.EnqueuedTime).ThenBy(m => m.SequenceNumber)];

    public IReadOnlyList<EmulatedMessage> CompletedMessages => [.. Queue.CompletedMessages, .. BulkQueue.CompletedMessages];

    public IReadOnlyList<EmulatedMessage> DeadLetters => [.. Queue.DeadLetters, .. BulkQueue.DeadLetters];

    public static async Task<TestSandbox> StartAsync(SandboxOptions? options = null)
    {
        options ??= new SandboxOptions();
        var azurite = await SharedAzurite.GetAsync();
        var tiktokOptions = new TikTokSimulatorOptions { AppKey = AppKey, AppSecret = AppSecret };
        options.ConfigureTikTok?.Invoke(tiktokOptions);
        var tiktok = await TikTokSimulator.StartAsync(tiktokOptions);
        var shopify = await ShopifySimulator.StartAsync(new ShopifySimulatorOptions
        {
            BucketSize = options.ShopifyBucketSize,
            RestoreRatePerSecond = options.ShopifyRestoreRate,
        });
        var prestaShop = await PrestaShopSimulator.StartAsync(new PrestaShopSimulatorOptions());
        var etsy = await EtsySimulator.StartAsync(new EtsySimulatorOptions { RequestsPerSecond = options.EtsyRequestsPerSecond });
        etsy.AddApp(EtsyKeystring, EtsySharedSecret);

        var tablePrefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["OrdersQueueName"] = "orders",
            ["BulkQueueName"] = "bulk",
            ["FetchSchedule"] = "0 */5 * * * *",
            ["TikTok:ApiBaseUrl"] = tiktok.BaseUrl.ToString(),
            ["TikTok:AuthBaseUrl"] = tiktok.BaseUrl.ToString(),
            ["TikTok:AppKey"] = AppKey,
            ["TikTok:AppSecret"] = AppSecret,
            ["TikTok:RetryBaseDelay"] = "00:00:00.050",
            ["Fetch:RetryBaseDelay"] = "00:00:00.200",
            ["Shopify:MaxThrottleDelay"] = "00:00:01",
            ["PrestaShop:RetryBaseDelay"] = "00:00:00.050",

            // The store simulators listen on http://127.0.0.1:port (design §6.1); tests of the production rules set it back to false.
            ["Stores:AllowLoopback"] = "true",
            ["Etsy:Keystring"] = EtsyKeystring,
            ["Etsy:SharedSecret"] = EtsySharedSecret,
            ["Etsy:ApiBaseUrl"] = etsy.BaseUrl.ToString(),
            ["Etsy:AuthorizeUrl"] = new Uri(etsy.BaseUrl, "/oauth/connect").ToString(),
            ["Etsy:RetryBaseDelay"] = "00:00:00.050",
            ["Etsy:OAuthRedirectUrl"] = EtsyRedirectUrl,
            ["State:TablePrefix"] = tablePrefix,
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };

        var logs = new CapturingLoggerProvider();
        var handler = ConnectorApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            if (options.StoragePolicy is { } policy)
            {
                // A fault at the storage transport, like a network failure between Functions and Table Storage.
                builder.Services.AddSingleton(_ =>
                {
                    var clientOptions = new TableClientOptions();
                    clientOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
                    return new TableServiceClient(azurite.ConnectionString, clientOptions);
                });
            }

            options.ConfigureHandler?.Invoke(builder);
        });
        await handler.StartAsync();
        var handlerUrl = new Uri(handler.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var hostOptions = new FunctionsHostOptions
        {
            ScriptRoot = RepositoryPaths.Root,
            HandlerUrl = handlerUrl,
            EnableTimers = false,
            MaxDeliveryCount = options.MaxDeliveryCount,
            RequireFunctionKeys = options.RequireFunctionKeys,
        };
        hostOptions.FunctionDirectories.Add(RepositoryPaths.Functions);
        foreach (var (key, value) in settings)
        {
            hostOptions.Settings[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        // Every listener binds port 0 (a port picked in advance can be taken meanwhile by another test process); the
        // handler reads ServiceBusConnection on its first send, after the host is up and its endpoint known.
        var host = await FunctionsHost.StartAsync(hostOptions);
        handler.Configuration["ServiceBusConnection"] = host.ServiceBusConnectionString;
        handler.Configuration["Shopify:WebhookBaseUrl"] = host.BaseUrl.ToString(); // read on use, like the line above
        return new TestSandbox(tiktok, shopify, prestaShop, etsy, handler, host, logs, tablePrefix, azurite.ConnectionString) { _output = options.Output };
    }

    /// <summary>Connects a TikTok shop to a Shopify store through the shops API; returns both simulator shops.</summary>
    public async Task<(SimShop TikTokShop, SimShopifyShop Store)> ConnectShopAsync(string shopId, object? settings = null)
    {
        var tiktokShop = TikTok.AddShop(shopId);
        var store = Shopify.AddShop($"store-{shopId}");
        var response = await Api.PutAsJsonAsync($"/api/shops/{shopId}", new
        {
            tiktok = new
            {
                shopCipher = tiktokShop.Cipher,
                accessToken = tiktokShop.AccessToken,
                accessTokenExpiresAt = tiktokShop.AccessTokenExpiresAt,
                refreshToken = tiktokShop.RefreshToken,
                refreshTokenExpiresAt = tiktokShop.RefreshTokenExpiresAt,
            },
            store = new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken },
            settings,
        });
        response.EnsureSuccessStatusCode();
        return (tiktokShop, store);
    }

    /// <summary><c>PUT /api/shops/{shopId}</c> with the TikTok shop's authorisation and the given store part; the answer is the caller's.</summary>
    public async Task<HttpResponseMessage> PutShopAsync(SimShop tiktokShop, object store, object? settings = null)
    {
        ArgumentNullException.ThrowIfNull(tiktokShop);
        return await Api.PutAsJsonAsync($"/api/shops/{tiktokShop.ShopId}", new
        {
            tiktok = new
            {
                shopCipher = tiktokShop.Cipher,
                accessToken = tiktokShop.AccessToken,
                accessTokenExpiresAt = tiktokShop.AccessTokenExpiresAt,
                refreshToken = tiktokShop.RefreshToken,
                refreshTokenExpiresAt = tiktokShop.RefreshTokenExpiresAt,
            },
            store,
            settings,
        });
    }

    /// <summary>Connects a TikTok shop (in <paramref name="region"/>) to a new simulated PrestaShop shop; returns both.</summary>
    public async Task<(SimShop TikTokShop, SimPrestaShop Store)> ConnectPrestaShopAsync(
        string shopId, PrestaShopShopOptions? shopOptions = null, object? storeOptions = null, object? settings = null, string region = "US")
    {
        var tiktokShop = TikTok.AddShop(shopId, region: region);
        var store = PrestaShop.AddShop($"ps-{shopId}", shopOptions);
        using var response = await PutShopAsync(tiktokShop, new { platform = "prestashop", baseUrl = store.BaseUrl.ToString(), apiKey = store.ApiKey, options = storeOptions }, settings);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Connecting PrestaShop failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (tiktokShop, store);
    }

    /// <summary>Connects a TikTok shop to a new simulated Etsy shop with the tokens the seller's consent produced; returns both.</summary>
    public async Task<(SimShop TikTokShop, SimEtsyShop Store)> ConnectEtsyAsync(string shopId, object? settings = null, long? accessTokenExpiresAt = null)
    {
        var tiktokShop = TikTok.AddShop(shopId);
        var store = Etsy.AddShop($"Etsy{shopId.Replace("-", "", StringComparison.Ordinal)}");
        using var response = await PutShopAsync(tiktokShop, EtsyStore(store, accessTokenExpiresAt), settings);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Connecting Etsy failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (tiktokShop, store);
    }

    /// <summary>The <c>store</c> part of an Etsy connection for a simulated Etsy shop.</summary>
    public static object EtsyStore(SimEtsyShop store, long? accessTokenExpiresAt = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = DateTimeOffset.UtcNow;
        return new
        {
            platform = "etsy",
            baseUrl = $"https://www.etsy.com/shop/{store.ShopName}",
            accessToken = store.AccessToken,
            refreshToken = store.RefreshToken,
            accessTokenExpiresAt = accessTokenExpiresAt ?? now.AddHours(1).ToUnixTimeSeconds(),
            refreshTokenExpiresAt = now.AddDays(90).ToUnixTimeSeconds(),
            accountId = store.ShopId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Points the TikTok simulator's webhooks at the host's public webhook route.</summary>
    public Uri EnableWebhooks()
    {
        var url = new Uri(Host.BaseUrl, "api/webhooks/tiktok");
        TikTok.SetWebhookUrl(url);
        return url;
    }

    /// <summary>Waits until TikTok has delivered its webhooks and the queue has drained.</summary>
    public async Task SettleAsync(TimeSpan? timeout = null)
    {
        await TikTok.WaitForWebhooksIdleAsync(timeout ?? TimeSpan.FromSeconds(60));
        await Host.WaitForIdleAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    public async Task<HttpResponseMessage> FetchAsync(string shopId) =>
        await Api.PostAsJsonAsync("/api/orders/fetch", new { shopId });

    /// <summary>Presses "Fetch Order" and waits until every queued message is handled.</summary>
    public async Task FetchAndWaitAsync(string shopId, TimeSpan? timeout = null)
    {
        using var response = await FetchAsync(shopId);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await Host.WaitForIdleAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    public async Task<System.Text.Json.JsonElement> GetOrderAsync(string shopId, string orderId)
    {
        using var response = await Api.GetAsync($"/api/orders/{orderId}?shopId={shopId}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    }

    /// <summary>What happened, for the test output of a failed test: handler logs, host invocations, TikTok calls, dead letters.</summary>
    public void WriteDiagnostics(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var line in Logs.Lines.TakeLast(300))
        {
            output.WriteLine(line);
        }

        foreach (var invocation in Host.Invocations.TakeLast(100))
        {
            output.WriteLine($"invocation: {invocation}");
        }

        foreach (var request in TikTok.Requests.TakeLast(50))
        {
            output.WriteLine($"tiktok: {request.Method} {request.Path} -> {request.HttpStatus} {request.Code} {request.Message}");
        }

        foreach (var dead in Queue.DeadLetters)
        {
            output.WriteLine($"dead letter: {dead}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_output is not null)
        {
            WriteDiagnostics(_output);
        }

        Api.Dispose();
        await Host.DisposeAsync();
        await Handler.StopAsync();
        await Handler.DisposeAsync();
        await Shopify.DisposeAsync();
        await PrestaShop.DisposeAsync();
        await Etsy.DisposeAsync();
        await TikTok.DisposeAsync();
    }
}

public sealed class SandboxOptions
{
    public int ShopifyBucketSize { get; set; } = 1000;
    public int ShopifyRestoreRate { get; set; } = 100;
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>Enforce authLevel function as Azure does (x-functions-key header or ?code=).</summary>
    public bool RequireFunctionKeys { get; set; }
    public Azure.Core.Pipeline.HttpPipelinePolicy? StoragePolicy { get; set; }
    public Action<WebApplicationBuilder>? ConfigureHandler { get; set; }

    public Action<TikTokSimulatorOptions>? ConfigureTikTok { get; set; }

    /// <summary>The Etsy simulator's per-app budget (Etsy's default for new apps is 10 per second).</summary>
    public int EtsyRequestsPerSecond { get; set; } = 10;

    /// <summary>Where to write diagnostics when the sandbox is disposed (shown for failed tests).</summary>
    public ITestOutputHelper? Output { get; set; }
}
