using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>A connected shop: its TikTok authorisation, its store connection and its settings. Holds secrets: never returned or logged.</summary>
public sealed class ShopEntity : ITableEntity
{
    public const string Partition = "shop";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string ShopId => RowKey;
    public string? ShopName { get; set; }

    // TikTok authorisation (times are absolute Unix seconds, as TikTok returns them).
    public string ShopCipher { get; set; } = "";
    public string AccessToken { get; set; } = "";
    public long AccessTokenExpiresAt { get; set; }
    public string RefreshToken { get; set; } = "";
    public long RefreshTokenExpiresAt { get; set; }

    // Store connection. Secrets: StoreAccessToken, StoreApiKey, StoreRefreshToken.
    public string Platform { get; set; } = "";
    public string StoreBaseUrl { get; set; } = "";
    public string StoreAccessToken { get; set; } = "";

    /// <summary>PrestaShop Webservice key.</summary>
    public string StoreApiKey { get; set; } = "";

    /// <summary>OAuth refresh token (Etsy) and the expiries, in Unix seconds.</summary>
    public string StoreRefreshToken { get; set; } = "";
    public long StoreAccessTokenExpiresAt { get; set; }
    public long StoreRefreshTokenExpiresAt { get; set; }

    /// <summary>The store-side account id where the API needs one (Etsy shop id).</summary>
    public string? StoreAccountId { get; set; }

    /// <summary>The Shopify app's API secret key: Shopify signs its webhooks with it (write-only, like every secret here).</summary>
    public string StoreWebhookSecret { get; set; } = "";

    /// <summary>What Connector knows of the store's webhooks to it, in words (registered where, or why not).</summary>
    public string? StoreWebhookStatus { get; set; }

    /// <summary>Platform options that are not secret (JSON object), e.g. PrestaShop's payment module.</summary>
    public string StoreOptionsJson { get; set; } = "{}";

    /// <summary>The shop's settings as JSON (Orders.ShopSettings).</summary>
    public string SettingsJson { get; set; } = "{}";

    /// <summary>connected, disconnected (deauthorised), or expiring.</summary>
    public string ConnectionStatus { get; set; } = "connected";
    public string? ConnectionMessage { get; set; }
    public DateTimeOffset? LastWebhookAt { get; set; }
    public DateTimeOffset? LastFetchAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A copy the caller may change (every property is a value or an immutable string).</summary>
    public ShopEntity Copy() => (ShopEntity)MemberwiseClone();
}
