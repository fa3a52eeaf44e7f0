using System.Globalization;
using Microsoft.Extensions.Options;
using static Connector.Stores.PrestaShop.PrestaShopOrders;
using static Connector.Stores.PrestaShop.PrestaShopWebservice;

namespace Connector.Stores.PrestaShop;

/// <summary>A shop's configuration (states, rounding, currencies, carriers, time zone), shared by every PrestaShop capability through <see cref="PrestaShopConfigCache"/>.</summary>
public sealed class PrestaShopConfigReader(
    PrestaShopWebservice ws, PrestaShopConfigCache configCache, IOptions<PrestaShopOptions> options, TimeProvider time, ILogger<PrestaShopConfigReader> logger)
{
    private static string CacheKey(StoreAccess shop) => $"{shop.ShopId}|{shop.BaseUrl}";

    /// <summary>The shop's configuration, read once per <see cref="PrestaShopOptions.ConfigCacheLifetime"/>.</summary>
    public async Task<PrestaShopShopConfig> GetAsync(StoreAccess shop, CancellationToken cancellationToken)
    {
        var key = CacheKey(shop);
        var now = time.GetUtcNow();
        if (configCache.TryGet(key, now, options.Value.ConfigCacheLifetime, out var cached))
        {
            return cached;
        }

        var storeOptions = PrestaShopStoreOptions.Parse(shop.OptionsJson);
        string[] names =
        [
            .. StateKeys, storeOptions.OrderStateOnImport, "PS_ROUND_TYPE", "PS_PRICE_ROUND_MODE", "PS_PRICE_DISPLAY_PRECISION",
            "PS_LANG_DEFAULT", "PS_CARRIER_DEFAULT", "PS_CUSTOMER_GROUP", "PS_TIMEZONE",
        ];
        var body = await ws.GetAsync(shop, $"configurations?{Q(("filter[name]", $"[{string.Join('|', names.Distinct(StringComparer.Ordinal))}]"), ("display", "[name,value]"))}", cancellationToken);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in PrestaShopXml.List(body, "configurations"))
        {
            // Multistore shops may hold shop-specific rows; the first (global) one wins.
            values.TryAdd(PrestaShopXml.Str(row["name"]), PrestaShopXml.Str(row["value"]));
        }

        int Int(string name, int fallback) =>
            values.TryGetValue(name, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;

        var states = values
            .Where(v => v.Key.StartsWith("PS_OS_", StringComparison.Ordinal))
            .ToDictionary(v => v.Key, v => int.TryParse(v.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0, StringComparer.Ordinal);

        var currencies = PrestaShopXml.List(await ws.GetAsync(shop, $"currencies?{Q(("display", "[id,iso_code,precision,active]"))}", cancellationToken), "currencies")
            .Select(c => new PrestaShopCurrency(PrestaShopXml.Long(c["id"]), PrestaShopXml.Str(c["iso_code"]).ToUpperInvariant(),
                c["precision"] is null ? 0 : (int)PrestaShopXml.Long(c["precision"]), PrestaShopXml.Bool(c["active"])))
            .GroupBy(c => c.IsoCode, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var carriers = PrestaShopXml.List(await ws.GetAsync(shop, $"carriers?{Q(("display", "[id,name,active,deleted,is_free]"))}", cancellationToken), "carriers")
            .Select(c => new PrestaShopCarrier(PrestaShopXml.Long(c["id"]), PrestaShopXml.Str(c["name"]), PrestaShopXml.Bool(c["active"]),
                PrestaShopXml.Bool(c["deleted"]), PrestaShopXml.Bool(c["is_free"])))
            .ToDictionary(c => c.Id);

        var config = new PrestaShopShopConfig(
            states,
            Int("PS_ROUND_TYPE", PrestaShopPricing.RoundItem),
            Int("PS_PRICE_ROUND_MODE", 2),
            Int("PS_PRICE_DISPLAY_PRECISION", 2),
            Int("PS_LANG_DEFAULT", 1),
            Int("PS_CARRIER_DEFAULT", 0),
            Int("PS_CUSTOMER_GROUP", 0),
            currencies,
            carriers,
            now)
        {
            TimeZone = PrestaShopTime.Zone(values.GetValueOrDefault("PS_TIMEZONE")),
        };
        configCache.Set(key, config);
        PrestaShopLog.ConfigRead(logger, shop.ShopId, config.RoundType, config.RoundMode, states.Count);
        return config;
    }

    /// <summary>Drops the cached configuration, so the next read sees the shop as it is now (after a connection change).</summary>
    public void Forget(StoreAccess shop) => configCache.Forget(CacheKey(shop));
}
