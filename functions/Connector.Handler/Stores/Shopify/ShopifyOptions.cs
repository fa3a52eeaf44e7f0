using System.ComponentModel.DataAnnotations;

namespace Connector.Stores.Shopify;

public sealed class ShopifyOptions
{
    public const string Section = "Shopify";

    /// <summary>Pinned Admin API version (store-apis.md §2.1: upgrade quarterly).</summary>
    [Required] public string ApiVersion { get; set; } = "2026-01";

    /// <summary>How often a THROTTLED answer is retried before the message goes back to the queue.</summary>
    [Range(0, 20)] public int MaxThrottleRetries { get; set; } = 8;

    /// <summary>Upper bound of one throttle wait.</summary>
    public TimeSpan MaxThrottleDelay { get; set; } = TimeSpan.FromSeconds(10);
}
