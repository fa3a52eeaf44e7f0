using Connector.Stores.PrestaShop;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Connector.Stores;

public static class PrestaShopServiceCollectionExtensions
{
    /// <summary>
    /// The PrestaShop store: its capabilities share one Webservice transport, a typed HttpClient whose reads (GET) are retried on 5xx/429/timeouts with jittered
    /// back-off; writes are not retried (the importer's look-up-before-create settles a lost answer). Connections go only to
    /// addresses <see cref="StoreAddressPolicy"/> allows, and redirects are not followed: the payment-module check reads the 302
    /// itself, and a Webservice call that is redirected fails naming where to.
    /// </summary>
    public static IServiceCollection AddPrestaShopStore(this IServiceCollection services)
    {
        services.AddOptions<PrestaShopOptions>().BindConfiguration(PrestaShopOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PrestaShopConfigCache>();
        services.AddHttpClient<PrestaShopWebservice>()
            .UseStoreAddressPolicy()
            .AddResilienceHandler("prestashop", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<PrestaShopOptions>>().Value;
                var retry = new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = TimeSpan.FromSeconds(30),
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = async args =>
                    {
                        if (!HttpClientResiliencePredicates.IsTransient(args.Outcome))
                        {
                            return false;
                        }

                        // "The PrestaShop webservice is disabled" is a 503 that waiting does not fix.
                        if (args.Outcome.Result is { StatusCode: System.Net.HttpStatusCode.ServiceUnavailable } response)
                        {
                            await response.Content.LoadIntoBufferAsync(args.Context.CancellationToken);
                            var body = await response.Content.ReadAsStringAsync(args.Context.CancellationToken);
                            return !body.Contains("webservice is disabled", StringComparison.OrdinalIgnoreCase);
                        }

                        return true;
                    },
                };
                retry.DisableForUnsafeHttpMethods();
                pipeline
                    .AddTimeout(options.RequestTimeout * 3)
                    .AddRetry(retry)
                    .AddTimeout(options.RequestTimeout);
            });
        services.AddTransient<PrestaShopConfigReader>();
        services.AddTransient<PrestaShopCheckout>();
        services.AddTransient<PrestaShopConnection>();
        services.AddTransient<PrestaShopCatalog>();
        services.AddTransient<PrestaShopOrderWriter>();
        services.AddTransient<PrestaShopChangeFeed>();
        services.AddTransient<PrestaShopStock>();
        services.AddStoreConnection<PrestaShopConnection>(StorePlatforms.PrestaShop)
            .AddStoreCapability<IStoreCatalog, PrestaShopCatalog>(StorePlatforms.PrestaShop)
            .AddStoreCapability<IStoreOrderWriter, PrestaShopOrderWriter>(StorePlatforms.PrestaShop)
            .AddStoreCapability<IStoreChangeFeed, PrestaShopChangeFeed>(StorePlatforms.PrestaShop)
            .AddStoreCapability<IStoreStock, PrestaShopStock>(StorePlatforms.PrestaShop);
        return services;
    }
}
