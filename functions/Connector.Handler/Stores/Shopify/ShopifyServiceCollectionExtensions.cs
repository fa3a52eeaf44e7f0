using Connector.Stores.Shopify;
using Microsoft.Extensions.Options;
using Polly;

namespace Connector.Stores;

public static class ShopifyServiceCollectionExtensions
{
    /// <summary>
    /// The Shopify store client: a typed HttpClient drawing on each store's cost budget (<see cref="ShopifyBudget"/>), and a
    /// pipeline that retries THROTTLED answers (nothing else: <c>orderCreate</c> has no idempotency key); the retry itself
    /// waits on the budget, which the THROTTLED answer has corrected. Shopify has every capability, the change feed included.
    /// </summary>
    public static IServiceCollection AddShopifyStore(this IServiceCollection services)
    {
        services.AddOptions<ShopifyOptions>().BindConfiguration(ShopifyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<ShopifyClient>(http => http.Timeout = TimeSpan.FromSeconds(30)).UseStoreAddressPolicy();
        services.AddTransient<ShopifyWebhooks>();
        services.AddStoreBudgets();
        services.AddSingleton<ShopifyBudget>();
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
                // No pause of its own: the next attempt waits on the store's budget, which this answer's throttleStatus has set.
                Delay = TimeSpan.Zero,
                BackoffType = DelayBackoffType.Constant,
            });
        });
        return services;
    }
}
