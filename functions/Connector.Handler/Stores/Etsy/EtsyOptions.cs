namespace Connector.Stores.Etsy;

/// <summary>
/// The Etsy app's settings (section <c>Etsy</c>). Not required at start-up: a deployment without Etsy shops leaves them
/// unset, and an Etsy shop then fails with a message naming the settings (<see cref="EnsureConfigured"/>).
/// </summary>
public sealed class EtsyOptions
{
    public const string Section = "Etsy";

    /// <summary>The app's keystring (OAuth client_id; first half of x-api-key).</summary>
    public string? Keystring { get; set; }

    /// <summary>The app's shared secret (second half of x-api-key since 2026, store-apis.md §3.3). A secret: Key Vault in Azure.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>Open API v3 host; requests go to <c>{ApiBaseUrl}/v3/application/...</c>.</summary>
    public string ApiBaseUrl { get; set; } = "https://openapi.etsy.com";

    /// <summary>Token endpoint; default <c>{ApiBaseUrl}/v3/public/oauth/token</c>.</summary>
    public string? TokenUrl { get; set; }

    /// <summary>Where the seller consents.</summary>
    public string AuthorizeUrl { get; set; } = "https://www.etsy.com/oauth/connect";

    /// <summary>The registered redirect URI, i.e. this app's <c>https://{host}/api/etsy/callback</c>.</summary>
    public string? OAuthRedirectUrl { get; set; }

    public string Scopes { get; set; } = "listings_r listings_w shops_r";

    /// <summary>Refresh the 1-hour access token this long before it expires.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The app's allowance per second until Etsy's answers report it (<c>x-limit-per-second</c>; default 10, §3.4).</summary>
    public int RequestsPerSecond { get; set; } = 10;

    public int MaxRetryAttempts { get; set; } = 4;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A 429 asking to wait longer than this (the daily budget) is not waited for: the message is redelivered later.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a listing's inventory lock is held at most (read-modify-write of updateListingInventory).</summary>
    public TimeSpan ListingLockLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long to wait for another import holding a listing's lock.</summary>
    public TimeSpan ListingLockWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Minimum time between two incremental refreshes of a shop's SKU index.</summary>
    public TimeSpan SkuIndexRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A full scan (which also forgets listings that went away) at least this often.</summary>
    public TimeSpan SkuIndexFullScanInterval { get; set; } = TimeSpan.FromHours(24);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Keystring) && !string.IsNullOrWhiteSpace(SharedSecret);

    public string TokenEndpoint => TokenUrl ?? $"{ApiBaseUrl.TrimEnd('/')}/v3/public/oauth/token";

    public void EnsureConfigured()
    {
        if (!IsConfigured)
        {
            throw new StoreRejectedException(
                "Etsy is not set up on this Connector: set the app settings Etsy__Keystring and Etsy__SharedSecret (the Etsy app's keystring and shared secret).");
        }
    }
}
