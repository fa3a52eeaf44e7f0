using Connector.Stores.Shopify;
using Microsoft.Extensions.Options;
using Polly;

namespace Connector.Stores;

public static class ShopifyServiceCollectionExtensions
{
    /// <summary>
    /// The Shopify store client: a typed HttpClient, and a pipeline that retries THROTTLED answers until the bucket refills
    /// (nothing else: <c>orderCreate</c> has no idempotency key). Shopify has every capability, the change feed included.
    /// </summary>
    public static IServiceCollection AddShopifyStore(this IServiceCollection services)
    {
        services.AddOptions<ShopifyOptions>().BindConfiguration(ShopifyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<ShopifyClient>(http => http.Timeout = TimeSpan.FromSeconds(30)).UseStoreAddressPolicy();
        services.AddTransient<ShopifyWebhooks>();
        services.AddStoreConnection<ShopifyClient>(StorePlatforms.Shopify)
            .AddStoreCapability<IStoreCatalog, ShopifyClient>(StorePlatforms.Shopify)
            .AddStoreCapability<IStoreOrderWriter, ShopifyClient>(StorePlatforms.Shopify)
            .AddStoreCapability<IStoreChangeFeed, ShopifyClient>(StorePlatforms.Shopify)
            .AddStoreCapability<IStoreStock, ShopifyClient>(StorePlatforms.Shopify);
        services.AddResiliencePipeline<string, System.Text.Json.Nodes.JsonNode?>(ShopifyClient.ThrottlePipeline, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<ShopifyOptions>>().Value;
            pipeline.AddRetry(new Polly.Retry.RetryStrategyOptions<System.Text.Json.Nodes.JsonNode?>
            {
                // Only THROTTLED: Shopify did not run the request, so repeating it cannot duplicate an order (store-apis.md §2.5).
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && ShopifyThrottle.IsThrottled(args.Outcome.Result)),
                MaxRetryAttempts = Math.Max(1, options.MaxThrottleRetries),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    ShopifyThrottle.Delay(args.Outcome.Result, options.MaxThrottleDelay) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100))),
            });
        });
        return services;
    }
}
