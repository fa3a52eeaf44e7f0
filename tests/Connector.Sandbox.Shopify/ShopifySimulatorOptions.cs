namespace Connector.Sandbox.Shopify;

public sealed class ShopifySimulatorOptions
{
    /// <summary>Loopback port; 0 picks any free port.</summary>
    public int Port { get; set; }

    /// <summary>Clock for the leaky bucket, order timestamps, processedAt checks and orderCreate delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Leaky bucket size in cost points per shop (store-apis.md §2.5); also the single-query cost limit.</summary>
    public int BucketSize { get; set; } = 1000;

    /// <summary>Points restored per second (Shopify standard plan: 100).</summary>
    public int RestoreRatePerSecond { get; set; } = 100;

    /// <summary>The one API version served; any other version in the URL answers 404.</summary>
    public string ApiVersion { get; set; } = "2026-01";
}
