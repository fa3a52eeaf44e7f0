using Connector.Stores.Etsy;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Connector.Stores;

public static class EtsyServiceCollectionExtensions
{
    /// <summary>
    /// The Etsy store client. Settings are optional at start-up (Shopify-only deployments start without them). Requests
    /// go through the app's budget (<see cref="EtsyBudgetHandler"/>: Etsy's allowance is per app, 10/s by default, and its
    /// answers say the current one) and a retry that waits out 429s for as long as <c>retry-after</c> says (up to
    /// <see cref="EtsyOptions.MaxRetryAfter"/>): Etsy did not run a throttled
    /// request, so repeating it is safe even for the inventory PUT. Other failures are retried for reads only.
    /// </summary>
    public static IServiceCollection AddEtsyStore(this IServiceCollection services)
    {
        services.AddOptions<EtsyOptions>().BindConfiguration(EtsyOptions.Section);
        services.AddSingleton<Concurrency.KeyedLocks<EtsyTokens>>();
        services.AddTransient<EtsyTokens>();
        services.AddTransient<EtsySkuIndex>();
        services.AddSingleton<EtsyLedger>();
        services.AddSingleton<EtsyListingLocks>();
        // Etsy's addresses are this app's settings, not the merchant's; still, a redirect never takes the tokens along.
        services.AddHttpClient<EtsyAuthClient>().ConfigurePrimaryHttpMessageHandler(NoRedirects).AddStandardResilienceHandler();
        var api = services.AddHttpClient<EtsyApi>().ConfigurePrimaryHttpMessageHandler(NoRedirects);
        api.AddResilienceHandler("etsy", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<EtsyOptions>>().Value;
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger<EtsyApi>();
            pipeline
                .AddTimeout(TimeSpan.FromMinutes(3))
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    ShouldHandle = args =>
                    {
                        if (args.Outcome.Result is { StatusCode: System.Net.HttpStatusCode.TooManyRequests } throttled)
                        {
                            return ValueTask.FromResult(RetryAfter(throttled) <= options.MaxRetryAfter);
                        }

                        var method = args.Outcome.Result?.RequestMessage?.Method ?? args.Context.GetRequestMessage()?.Method;
                        return ValueTask.FromResult(method == HttpMethod.Get && HttpClientResiliencePredicates.IsTransient(args.Outcome));
                    },
                    DelayGenerator = args =>
                    {
                        if (args.Outcome.Result is { StatusCode: System.Net.HttpStatusCode.TooManyRequests } throttled)
                        {
                            // The budget (EtsyBudgetHandler) holds every call back for retry-after: the attempt waits there.
                            EtsyLog.Throttled(logger, 429, RetryAfter(throttled));
                            return ValueTask.FromResult<TimeSpan?>(TimeSpan.Zero);
                        }

                        return ValueTask.FromResult<TimeSpan?>(null);
                    },
                })
                .AddTimeout(TimeSpan.FromSeconds(30));
        });
        api.AddHttpMessageHandler<EtsyBudgetHandler>(); // inside the retry: every attempt waits for the allowance
        services.AddStoreBudgets();
        services.AddTransient<EtsyBudgetHandler>();
        services.AddTransient<EtsyClient>();
        services.AddTransient<EtsyStock>();

        // No change feed: Etsy holds no order for a TikTok order, so the merchant ships and cancels in TikTok Shop itself.
        services.AddStoreConnection<EtsyClient>(StorePlatforms.Etsy)
            .AddStoreCapability<IStoreCatalog, EtsyClient>(StorePlatforms.Etsy)
            .AddStoreCapability<IStoreOrderWriter, EtsyClient>(StorePlatforms.Etsy)
            .AddStoreCapability<IStoreStock, EtsyStock>(StorePlatforms.Etsy);
        return services;
    }

    private static SocketsHttpHandler NoRedirects() => new() { AllowAutoRedirect = false };

    private static TimeSpan RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.FromSeconds(1));
}
