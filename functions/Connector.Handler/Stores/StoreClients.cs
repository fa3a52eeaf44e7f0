using Connector.State;

namespace Connector.Stores;

/// <summary>Picks the store client for a shop's platform.</summary>
public sealed class StoreClients(IEnumerable<IStoreClient> clients)
{
    private readonly Dictionary<string, IStoreClient> _byPlatform = clients.ToDictionary(c => c.Platform, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Platforms => _byPlatform.Keys;

    public IStoreClient For(ShopEntity shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return For(shop.Platform);
    }

    public IStoreClient For(string platform) =>
        _byPlatform.TryGetValue(platform, out var client)
            ? client
            : throw new StoreRejectedException($"Store platform '{platform}' is not supported.");
}
