using System.ComponentModel.DataAnnotations;

namespace Connector.Stores.PrestaShop;

/// <summary>App settings for every PrestaShop shop (section <c>PrestaShop</c>); all optional.</summary>
public sealed class PrestaShopOptions
{
    public const string Section = "PrestaShop";

    /// <summary>Timeout of one Webservice request (shared hosts can be slow to run validateOrder).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a read (GET) answered with 5xx/429 or a network error is retried within one invocation.</summary>
    [Range(0, 10)] public int MaxRetryAttempts { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a shop's configuration (order state ids, rounding, tax rates, carriers) is reused before it is read again.</summary>
    public TimeSpan ConfigCacheLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Orders per page when listing the orders the merchant changed (store → TikTok).</summary>
    [Range(1, 1000)] public int ChangesPageSize { get; set; } = 50;
}
