using Connector.Diagnostics;
using Connector.Functions;
using Connector.Messaging;
using Connector.Orders;
using Connector.Orders.Work;
using Connector.State;
using Connector.Stores;
using Connector.Stores.Shopify;
using Connector.TikTok;
using Connector.Web;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Connector.Orders.Fetch;
using Connector.Orders.Import;
using Connector.Orders.Shops;
using Connector.Orders.StatusSync;
using Connector.Orders.WriteBack;

namespace Connector;

/// <summary>
/// Builds the custom handler: a plain ASP.NET Core app the Functions host starts and calls over local HTTP (design §2).
/// Tests build the same app with extra configuration; there is no test mode inside.
/// </summary>
public static class ConnectorApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        // The host passes the port to listen on (reference/azure-functions-custom-handler.md §1.3); loopback only.
        var port = builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"];
        if (!string.IsNullOrEmpty(port))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        // The Functions host forwards HTTP bodies up to 100 MB; each route then applies its own limit (Web/RouteInput).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 100 * 1024 * 1024);
        AddConnector(builder);
        builder.AddConnectorTelemetry();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<EdgeChecks>();
        app.MapGet("/", () => TypedResults.Text("Connector custom handler"));
        app.MapTriggerEndpoints();
        app.MapShopsApi();
        app.MapEtsyConnectApi();
        app.MapOrderListApi();
        app.MapReturnsApi();
        app.MapOrdersApi();
        app.MapProductsApi();
        app.MapOrderActionsApi();
        app.MapShipmentApi();
        app.MapShopToolsApi();
        app.MapAppEndpoints();
        app.MapWebhookEndpoint();
        app.MapShopifyWebhookEndpoint();
        app.MapTikTokAuthorizationApi();
        return app;
    }

    private static void AddConnector(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        services.AddSingleton(TimeProvider.System);

        // State.
        services.AddSingleton(_ => TableServiceClientFactory.Create(configuration));
        services.AddOptions<StateOptions>().BindConfiguration(StateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StateTables>();
        services.AddSingleton<ShopStore>();
        services.AddSingleton<OrderIndexStore>();
        services.AddSingleton<OrderStore>();
        services.AddSingleton<OrderReads>();
        services.AddSingleton<CursorStore>();
        services.AddSingleton<FetchRunStore>();
        services.AddSingleton<SkuMapStore>();
        services.AddSingleton<ActivityStore>();
        services.AddSingleton<UsageStore>();
        services.AddSingleton<DedupeStore>();
        services.AddSingleton<LegacyStateUpgrade>();

        // Messaging: one ServiceBusClient (one AMQP connection) and one cached sender per queue; sends are idempotent by MessageId.
        services.AddOptions<QueueOptions>()
            .BindConfiguration(QueueOptions.Section)
            .Configure(o =>
            {
                // Design §6.1: the queue names are top-level settings, shared with the function.json bindings.
                o.OrdersQueueName = configuration["OrdersQueueName"] is { Length: > 0 } orders ? orders : o.OrdersQueueName;
                o.BulkQueueName = configuration["BulkQueueName"] is { Length: > 0 } bulk ? bulk : o.BulkQueueName;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(_ => ServiceBusClientFactory.Create(configuration));
        services.AddSingleton<IQueueSender, ServiceBusQueueSender>();
        services.AddSingleton<BulkLane>();

        // TikTok.
        services.AddOptions<TikTokOptions>().BindConfiguration(TikTokOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddTransient<TikTokSigningHandler>();
        services.AddSingleton<TikTokRateBudget>();
        services.AddTransient<TikTokRateBudgetHandler>();
        var tiktok = services.AddHttpClient<TikTokClient>((sp, http) =>
            http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<TikTokOptions>>().Value.ApiBaseUrl));
        tiktok.AddResilienceHandler("tiktok", (pipeline, context) => AddTikTokResilience(pipeline, context.ServiceProvider.GetRequiredService<IOptions<TikTokOptions>>().Value));
        tiktok.AddHttpMessageHandler<TikTokRateBudgetHandler>();
        tiktok.AddHttpMessageHandler<TikTokSigningHandler>();
        services.AddHttpClient<TikTokAuthClient>()
            .AddResilienceHandler("tiktok-auth", (pipeline, context) => AddTikTokResilience(pipeline, context.ServiceProvider.GetRequiredService<IOptions<TikTokOptions>>().Value));
        services.AddSingleton<Concurrency.KeyedLocks<TikTokTokenProvider>>();
        services.AddTransient<TikTokTokenProvider>();

        // Stores: merchant-given addresses are checked at connect time and on every connection (design §3, §6.1).
        services.AddStoreAddressPolicy();
        services.AddShopifyStore();
        services.AddPrestaShopStore();
        services.AddEtsyStore();
        services.AddTransient<StoreClients>();

        // Orders.
        services.AddOptions<FetchOptions>()
            .BindConfiguration(FetchOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SkuMatcher>();
        services.AddTransient<OrderFetcher>();
        services.AddTransient<Orders.Shops.ShopFanOut>();
        services.AddTransient<StoreStatusSync>();
        services.AddTransient<StoreChangeScanner>();
        services.AddSingleton<ShippingProviderDirectory.Cache>();
        services.AddTransient<ShippingProviderDirectory>();
        services.AddTransient<StoreWriteBack>();
        services.AddTransient<TransientRetries>();
        services.AddTransient<QueueWorkDispatcher>();
        services.AddQueueWorkHandler<FetchJob, FetchJobHandler>();
        services.AddQueueWorkHandler<OrderWork, OrderWorkHandler>();
        services.AddQueueWorkHandler<StoreScanJob, StoreScanJobHandler>();
        services.AddQueueWorkHandler<StoreChangeWork, StoreChangeWorkHandler>();
        services.AddQueueWorkHandler<ShopEvent, ShopEventWorkHandler>();
        services.AddQueueWorkHandler<CleanupJob, CleanupJobHandler>();
        services.AddQueueWorkHandler<OrderActionWork, OrderActionWorkHandler>();
        services.AddQueueWorkHandler<ReverseWork, ReverseWorkHandler>();
        services.AddQueueWorkHandler<RefundWork, RefundWorkHandler>();
        services.AddTransient<Orders.Refunds.StoreRefunds>();
        services.AddQueueWorkHandler<ShipWork, ShipWorkHandler>();
        services.AddTransient<Orders.Actions.ShipFromPage>();
        services.AddTransient<Orders.Actions.OrderActionRunner>();
        services.AddTransient<Orders.Actions.BuyerCancellations>();
        services.AddTransient<Orders.Actions.ExternalReferences>();
        services.AddTransient<OrderImporter>();
        services.AddTransient<OrderRetries>();
        services.AddTransient<WebhookIntake>();
        services.AddSingleton<WebhookIntake.InFlight>();
        services.AddTransient<ShopEvents>();
        services.AddTransient<Housekeeping>();

        // Products and stock (seed 004).
        services.AddSingleton<Products.ProductStore>();
        services.AddTransient<Products.PendingUnits>();
        services.AddTransient<Products.ProductSync>();
        services.AddTransient<Products.ProductSyncStarter>();
        services.AddTransient<Products.StockPusher>();
        services.AddQueueWorkHandler<ProductSyncJob, Products.ProductSyncJobHandler>();
        services.AddQueueWorkHandler<StockPush, Products.StockPushHandler>();
        services.AddTransient<Products.StockChanges>();
        services.AddTransient<Products.ProductScanFanOut>();
        services.AddTransient<Products.ProductChanges>();
        services.AddQueueWorkHandler<ProductChange, Products.ProductChangeHandler>();
        services.AddQueueWorkHandler<StoreStockChange, Products.StoreStockChangeHandler>();
    }

    /// <summary>
    /// Reads are retried on 429 (honouring Retry-After), 5xx and timeouts with jittered exponential back-off; a circuit
    /// breaker stops hammering an unhealthy API. The signing handler sits inside, so every attempt is re-signed.
    /// </summary>
    private static void AddTikTokResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, TikTokOptions options)
    {
        pipeline
            .AddTimeout(TimeSpan.FromSeconds(90))
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldRetryAfterHeader = true,
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
            })
            .AddTimeout(TimeSpan.FromSeconds(20));
    }
}
