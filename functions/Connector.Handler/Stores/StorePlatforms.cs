namespace Connector.Stores;

/// <summary>The store platforms (<c>ShopEntity.Platform</c>) and their names as merchants write them.</summary>
public static class StorePlatforms
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["shopify"] = "Shopify",
        ["prestashop"] = "PrestaShop",
        ["etsy"] = "Etsy",
    };

    public static string Name(string platform) => Names.TryGetValue(platform, out var name) ? name : platform;
}
