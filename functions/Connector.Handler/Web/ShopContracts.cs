using System.Text.Json.Serialization;
using Connector.Orders;

using Connector.Stores;

namespace Connector.Web;

/// <summary>Body of <c>PUT /api/shops/{shopId}</c> (times in Unix seconds). Parts left out keep their stored values.</summary>
public sealed record ShopConnectRequest([property: JsonPropertyName("tiktok")] TikTokConnection? TikTok, StoreConnection? Store, ShopSettings? Settings, string? Name);

public sealed record TikTokConnection(
    string? ShopCipher, string? AccessToken, long? AccessTokenExpiresAt, string? RefreshToken, long? RefreshTokenExpiresAt);

/// <summary>What GET answers: the connection without any secret.</summary>
public sealed record ShopView(
    string ShopId,
    string? Name,
    string ConnectionStatus,
    string? ConnectionMessage,
    [property: JsonPropertyName("tiktok")] TikTokConnectionView TikTok,
    StoreConnectionView Store,
    ShopSettings Settings,
    DateTimeOffset? LastWebhookAt,
    DateTimeOffset? LastFetchAt);

public sealed record TikTokConnectionView(string ShopCipher, bool HasAccessToken, long AccessTokenExpiresAt, bool HasRefreshToken, long RefreshTokenExpiresAt);

public sealed record StoreConnectionView(
    string Platform, string BaseUrl, bool HasAccessToken, bool HasApiKey, bool HasRefreshToken, long AccessTokenExpiresAt, string? AccountId,
    System.Text.Json.JsonElement Options, bool HasWebhookSecret = false, string? Webhooks = null);
