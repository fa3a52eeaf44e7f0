using System.Collections.Concurrent;
using Connector.State;
using Connector.TikTok;

namespace Connector.Orders.WriteBack;

/// <summary>
/// Each shop's TikTok shipping providers (three look-ups, §6.1), kept for an hour: they change rarely and every
/// store shipment needs them.
/// </summary>
public sealed class ShippingProviderDirectory(TikTokClient tiktok, ShippingProviderDirectory.Cache cache, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<TikTokShippingProvider> Providers)> _byShop = cache.ByShop;

    /// <summary>The process-wide cache (a singleton), so the directory itself can be transient with a fresh typed client.</summary>
    public sealed class Cache
    {
        public ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<TikTokShippingProvider> Providers)> ByShop { get; } = new(StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<TikTokShippingProvider>> GetAsync(ShopEntity shop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var now = time.GetUtcNow();
        if (_byShop.TryGetValue(shop.ShopId, out var known) && now - known.At < Lifetime && known.Providers.Count > 0)
        {
            return known.Providers;
        }

        var providers = await tiktok.GetShippingProvidersAsync(shop, cancellationToken);
        _byShop[shop.ShopId] = (now, providers);
        return providers;
    }
}
