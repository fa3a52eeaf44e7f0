namespace Connector.Stores;

/// <summary>
/// The store part. Every platform uses <c>platform</c> and <c>baseUrl</c>; Shopify an Admin API <c>accessToken</c>;
/// PrestaShop a Webservice <c>apiKey</c>; Etsy OAuth tokens with expiries and its <c>accountId</c> (shop id).
/// Shopify's optional <c>webhookSecret</c> (the app's API secret key) turns on its webhooks for store → TikTok in seconds.
/// <c>options</c> holds non-secret platform settings (each store client validates its own).
/// </summary>
public sealed record StoreConnection(
    string? Platform,
    string? BaseUrl,
    string? AccessToken,
    string? ApiKey = null,
    string? RefreshToken = null,
    long? AccessTokenExpiresAt = null,
    long? RefreshTokenExpiresAt = null,
    string? AccountId = null,
    System.Text.Json.JsonElement? Options = null,
    string? WebhookSecret = null);
