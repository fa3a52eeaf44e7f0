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
}
