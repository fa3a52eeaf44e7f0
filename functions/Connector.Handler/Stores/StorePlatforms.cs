namespace Connector.Stores;

/// <summary>The store platforms (<c>ShopEntity.Platform</c>) and their names as merchants write them.</summary>
public static class StorePlatforms
{
    // Properties, not constants: a constant would be copied into every caller, and only Stores/ should spell platform keys.
    public static string Shopify => "shopify";

    public static string PrestaShop => "prestashop";

    public static string Etsy => "etsy";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [Shopify] = "Shopify",
        [PrestaShop] = "PrestaShop",
        [Etsy] = "Etsy",
    };

    public static string Name(string platform) => Names.TryGetValue(platform, out var name) ? name : platform;
}
