using System.ComponentModel.DataAnnotations;

namespace Connector.TikTok;

/// <summary>Settings <c>TikTok__*</c> (design §6.1).</summary>
public sealed class TikTokOptions
{
    public const string Section = "TikTok";

    [Required, Url] public string ApiBaseUrl { get; set; } = "https://open-api.tiktokglobalshop.com";
    [Required, Url] public string AuthBaseUrl { get; set; } = "https://auth.tiktok-shops.com";
    [Required] public string AppKey { get; set; } = "";
    [Required] public string AppSecret { get; set; } = "";

    /// <summary>The app's service id from Partner Center, for the seller consent link (reference §3.1 step 1).</summary>
    public string? ServiceId { get; set; }

    /// <summary>Seller consent page; the US Partner Center uses https://services.us.tiktokshop.com/open/authorize.</summary>
    [Url] public string AuthorizeUrl { get; set; } = "https://services.tiktokshop.com/open/authorize";

    /// <summary>Refresh the access token when it expires within this window.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>First retry delay of reads (exponential with jitter; Retry-After wins when TikTok sends it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(0, 10)] public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>Product and inventory calls per second, per shop and operation, before TikTok is asked (TikTokRateBudget).</summary>
    [Range(1, 1000)] public int ProductCallsPerSecond { get; set; } = 10;
}
