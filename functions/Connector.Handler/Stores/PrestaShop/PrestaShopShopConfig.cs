using System.Collections.Concurrent;

namespace Connector.Stores.PrestaShop;

/// <summary>
/// What Connector reads from a shop instead of assuming it (store-apis.md §1.7, §1.5): the order state ids behind the
/// PS_OS_* keys, the rounding configuration, default language/carrier/group, currencies, carriers and tax rates.
/// </summary>
public sealed record PrestaShopShopConfig(
    IReadOnlyDictionary<string, int> StateIds,
    int RoundType,
    int RoundMode,
    int DisplayPrecision,
    long DefaultLanguageId,
    long DefaultCarrierId,
    long CustomerGroupId,
    IReadOnlyDictionary<string, PrestaShopCurrency> Currencies,
    IReadOnlyDictionary<long, PrestaShopCarrier> Carriers,
    DateTimeOffset ReadAt)
{
    /// <summary>PS_TIMEZONE: the zone of every date the shop stores and filters on (UTC when unset).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Tax rates by (rules group, country, state), filled on first use.</summary>
    public ConcurrentDictionary<(long Group, long Country, long State), decimal> TaxRates { get; } = new();

    /// <summary>The state id a PS_OS_* key points at in this shop; a missing key is a configuration problem the merchant must fix.</summary>
    public int State(string key) =>
        StateIds.TryGetValue(key, out var id) && id > 0
            ? id
            : throw new StoreRejectedException($"The PrestaShop configuration key {key} does not point at an order state in this shop (Shop Parameters > Order Settings > Statuses).");

    public bool TryState(string key, out int id) => StateIds.TryGetValue(key, out id) && id > 0;
}

public sealed record PrestaShopCurrency(long Id, string IsoCode, int Precision, bool Active);

public sealed record PrestaShopCarrier(long Id, string Name, bool Active, bool Deleted, bool IsFree);

/// <summary>The per-shop configuration cache (one per process; entries live <see cref="PrestaShopOptions.ConfigCacheLifetime"/>).</summary>
public sealed class PrestaShopConfigCache
{
    private readonly ConcurrentDictionary<string, PrestaShopShopConfig> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string key, DateTimeOffset now, TimeSpan lifetime, out PrestaShopShopConfig config)
    {
        if (_entries.TryGetValue(key, out var entry) && now - entry.ReadAt < lifetime)
        {
            config = entry;
            return true;
        }

        config = null!;
        return false;
    }

    public void Set(string key, PrestaShopShopConfig config) => _entries[key] = config;

    public void Forget(string key) => _entries.TryRemove(key, out _);
}
