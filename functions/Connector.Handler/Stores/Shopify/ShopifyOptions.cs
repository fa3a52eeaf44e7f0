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

    /// <summary>
    /// Longest wait for the store's budget within one delivery (well inside the message lock); beyond it the work is given
    /// back to the queue for later rather than holding the message.
    /// </summary>
    public TimeSpan MaxBudgetWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First guesses until a store's first answer reports its real bucket (§2.5: read the live values, do not hard-code).</summary>
    [Range(1, 1_000_000)] public double AssumedBucketSize { get; set; } = 1000;

    [Range(1, 1_000_000)] public double AssumedRestoreRate { get; set; } = 100;

    /// <summary>Reserved for a query Shopify has not charged yet in this process.</summary>
    [Range(1, 1_000_000)] public double AssumedQueryCost { get; set; } = 50;
}
