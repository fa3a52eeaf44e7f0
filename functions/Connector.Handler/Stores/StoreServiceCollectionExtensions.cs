using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connector.Stores;

/// <summary>How a platform's registration (<c>AddShopifyStore</c>, ...) declares the capabilities it has.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>Every platform has a connection; registering it makes the platform known to <see cref="StoreClients"/>.</summary>
    public static IServiceCollection AddStoreConnection<TImplementation>(this IServiceCollection services, string platform)
        where TImplementation : class, IStoreConnection
    {
        services.AddSingleton(new StorePlatform(platform));
        return services.AddStoreCapability<IStoreConnection, TImplementation>(platform);
    }

    /// <summary>One capability (<see cref="IStoreCatalog"/>, <see cref="IStoreOrderWriter"/>, <see cref="IStoreChangeFeed"/>) of a platform.</summary>
    public static IServiceCollection AddStoreCapability<TCapability, TImplementation>(this IServiceCollection services, string platform)
        where TCapability : class
        where TImplementation : class, TCapability =>
        services.AddKeyedTransient<TCapability>(platform, (sp, _) => sp.GetRequiredService<TImplementation>());

    /// <summary>The per-process budgets of the stores' rate limits (<see cref="StoreBudgets"/>), shared by every store client.</summary>
    public static IServiceCollection AddStoreBudgets(this IServiceCollection services)
    {
        services.TryAddSingleton<StoreBudgets>();
        return services;
    }

    /// <summary>The rules for merchant-given store addresses (<see cref="StoreAddressPolicy"/>, <see cref="StoresOptions"/>), validated at start.</summary>
    public static IServiceCollection AddStoreAddressPolicy(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(StoreAddressPolicy)))
        {
            return services; // each store client asks for it; registered once
        }

        services.AddOptions<StoresOptions>().BindConfiguration(StoresOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IStoreHostResolver, DnsStoreHostResolver>();
        services.AddSingleton<StoreAddressPolicy>();
        return services;
    }

    /// <summary>
    /// The transport of a store client that calls a merchant-given address: connections only to addresses the policy allows
    /// (checked on the resolved IP, which is the one connected to), redirects never followed, and no proxy (through a proxy the
    /// check would see the proxy's address instead of the store's).
    /// </summary>
    public static IHttpClientBuilder UseStoreAddressPolicy(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddStoreAddressPolicy();
        return builder.ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = services.GetRequiredService<StoreAddressPolicy>().ConnectAsync,
        });
    }
}
