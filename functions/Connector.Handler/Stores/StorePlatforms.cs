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

    /// <summary>
    /// The <c>platform</c> TikTok's external order reference names the store by (order API 202406 enum): Shopify is listed;
    /// PrestaShop and Etsy are not, so they are the merchant's order management system.
    /// </summary>
    public static string TikTokExternalPlatform(string? platform) =>
        string.Equals(platform, Shopify, StringComparison.OrdinalIgnoreCase) ? "SHOPIFY" : "ORDER_MANAGEMENT_SYSTEM";
}
