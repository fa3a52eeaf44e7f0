using Azure;
using Connector.State;

namespace Connector.Stores;

/// <summary>
/// What a store client may use of a shop: its store connection, not the whole shop row (which also holds TikTok's tokens).
/// Built from the row in one place (<see cref="From"/>); build one per unit of work and pass it to every store call, so a
/// token Etsy renews in one call is used by the next. <see cref="CopyTo"/> carries what the store learned back to a row
/// about to be saved.
/// </summary>
public sealed class StoreAccess
{
    public required string ShopId { get; init; }

    public required string Platform { get; init; }

    public string BaseUrl { get; init; } = "";

    /// <summary>Shopify's Admin API token; Etsy's OAuth access token (renewed in place when it expires).</summary>
    public string AccessToken { get; set; } = "";

    public long AccessTokenExpiresAt { get; set; }

    public string RefreshToken { get; set; } = "";

    public long RefreshTokenExpiresAt { get; set; }

    /// <summary>PrestaShop's Webservice key.</summary>
    public string ApiKey { get; init; } = "";

    /// <summary>Etsy's numeric shop id; verification fills it in when the merchant did not give it.</summary>
    public string? AccountId { get; set; }

    /// <summary>The platform's own settings (JSON object); each client parses and validates its own.</summary>
    public string OptionsJson { get; init; } = "{}";

    /// <summary>Shopify's app secret, which turns its webhooks on.</summary>
    public string WebhookSecret { get; init; } = "";

    /// <summary>The shop row's version when read (default: not stored yet): Etsy persists renewed tokens onto that row only.</summary>
    public ETag ETag { get; set; }

    public static StoreAccess From(ShopEntity shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return new StoreAccess
        {
            ShopId = shop.ShopId,
            Platform = shop.Platform,
            BaseUrl = shop.StoreBaseUrl,
            AccessToken = shop.StoreAccessToken,
            AccessTokenExpiresAt = shop.StoreAccessTokenExpiresAt,
            RefreshToken = shop.StoreRefreshToken,
            RefreshTokenExpiresAt = shop.StoreRefreshTokenExpiresAt,
            ApiKey = shop.StoreApiKey,
            AccountId = shop.StoreAccountId,
            OptionsJson = shop.StoreOptionsJson,
            WebhookSecret = shop.StoreWebhookSecret,
            ETag = shop.ETag,
        };
    }

    /// <summary>Carries renewed tokens, the account id verification found and the row version they were saved under back to <paramref name="shop"/>.</summary>
    public void CopyTo(ShopEntity shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        shop.StoreAccessToken = AccessToken;
        shop.StoreAccessTokenExpiresAt = AccessTokenExpiresAt;
        shop.StoreRefreshToken = RefreshToken;
        shop.StoreRefreshTokenExpiresAt = RefreshTokenExpiresAt;
        shop.StoreAccountId = AccountId;
        shop.ETag = ETag;
    }
}
