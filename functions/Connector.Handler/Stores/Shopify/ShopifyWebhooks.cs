using System.Security.Cryptography;
using System.Text;

namespace Connector.Stores.Shopify;

/// <summary>
/// Shopify's webhooks to Connector: the subscription a connected shop gets, and the check that a delivery came from
/// Shopify (<c>X-Shopify-Hmac-Sha256</c> = base64 HMAC-SHA256 of the raw body with the app's API secret key).
/// </summary>
public sealed class ShopifyWebhooks(ShopifyClient client, IConfiguration configuration)
{
    /// <summary>
    /// Public address Shopify sends webhooks to (<c>{this}/api/webhooks/shopify/{shopId}</c>): <c>Shopify__WebhookBaseUrl</c>,
    /// else <c>https://</c> + <c>WEBSITE_HOSTNAME</c>, which Azure sets on every function app; neither (a local run): no
    /// webhooks, and the fetch runs' store scan alone carries the merchant's changes to TikTok. Read on use, not at start.
    /// </summary>
    public Uri? WebhookBaseUrl =>
        Uri.TryCreate(configuration["Shopify:WebhookBaseUrl"], UriKind.Absolute, out var configured) ? configured
        : configuration["WEBSITE_HOSTNAME"] is { Length: > 0 } host ? new Uri($"https://{host}") : null;

    public static Uri CallbackUri(Uri baseUrl, string shopId) => new(baseUrl, $"/api/webhooks/shopify/{Uri.EscapeDataString(shopId)}");

    /// <summary>Subscribes a Shopify shop that gave its app secret; returns the status shown with the shop (never throws for Shopify's answer).</summary>
    public async Task<string?> EnsureAsync(StoreAccess shop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        if (!string.Equals(shop.Platform, client.Platform, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (shop.WebhookSecret.Length == 0)
        {
            return "Off: give the app's API secret key (webhookSecret) so Shopify can send order changes at once; until then they reach TikTok with the next fetch run.";
        }

        if (WebhookBaseUrl is not { } baseUrl)
        {
            return "Off: this deployment has no public address (Shopify__WebhookBaseUrl or WEBSITE_HOSTNAME); order changes reach TikTok with the next fetch run.";
        }

        var uri = CallbackUri(baseUrl, shop.ShopId);
        try
        {
            await client.EnsureOrdersWebhookAsync(shop, uri, cancellationToken);
            await client.EnsureInventoryWebhookAsync(shop, uri, cancellationToken);
            return $"On: orders/updated and inventory_levels/update → {uri}";
        }
        catch (Exception e) when (e is StoreRejectedException or StoreUnavailableException)
        {
            return $"Off: {e.Message} Order changes reach TikTok with the next fetch run; save the store again to retry.";
        }
    }

    /// <summary>Constant-time check of Shopify's signature over the exact bytes received.</summary>
    public static bool SignatureMatches(string secret, ReadOnlySpan<byte> body, string? header)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(header))
        {
            return false;
        }

        // Compared as canonical base64 text: a decoder would also accept variants of the last character.
        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(header.Trim()));
    }
}
