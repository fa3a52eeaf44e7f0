using Connector.State;

namespace Connector.Stores;

/// <summary>
/// The store registry: which platforms exist and what each can do. A capability a platform lacks (Etsy's change feed)
/// is simply not registered, so callers ask "does it have one?" instead of naming platforms.
/// </summary>
public sealed class StoreClients(IEnumerable<StorePlatform> platforms, IServiceProvider services)
{
    private readonly Dictionary<string, string> _keys = platforms.ToDictionary(p => p.Key, p => p.Key, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Platforms => _keys.Keys;

    public bool Supports(string? platform) => platform is not null && _keys.ContainsKey(platform);

    public IStoreConnection Connection(string platform) => Required<IStoreConnection>(platform);

    public IStoreConnection Connection(ShopEntity shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return Connection(shop.Platform);
    }

    public IStoreCatalog Catalog(string platform) => Required<IStoreCatalog>(platform);

    public IStoreOrderWriter Orders(string platform) => Required<IStoreOrderWriter>(platform);

    /// <summary>The platform's store → TikTok feed; null when it has none (or the shop has no store yet).</summary>
    public IStoreChangeFeed? ChangeFeed(string? platform) =>
        platform is not null && _keys.TryGetValue(platform, out var key) ? services.GetKeyedService<IStoreChangeFeed>(key) : null;

    /// <summary>The platform's catalogue with stock; null when it has none.</summary>
    public IStoreStock? Stock(string? platform) =>
        platform is not null && _keys.TryGetValue(platform, out var key) ? services.GetKeyedService<IStoreStock>(key) : null;

    /// <summary>The platform's name as merchants write it (messages, activity).</summary>
    public string DisplayName(string platform) => StorePlatforms.Name(platform);

    private T Required<T>(string platform)
        where T : notnull =>
        platform is not null && _keys.TryGetValue(platform, out var key)
            ? services.GetRequiredKeyedService<T>(key)
            : throw new StoreRejectedException($"Store platform '{platform}' is not supported.");
}
