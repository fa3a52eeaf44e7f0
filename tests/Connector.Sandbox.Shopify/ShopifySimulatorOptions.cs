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

    /// <summary>Pause before each webhook retry (on <see cref="TimeProvider"/>); Shopify spreads 8 retries over 4 hours, compressed here.</summary>
    public IReadOnlyList<TimeSpan> WebhookRetrySchedule { get; set; } =
        [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800)];

    /// <summary>An attempt without an answer within this time counts as failed (Shopify: 5 seconds).</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Share (0..1) of webhooks never sent (recorded with <c>Dropped</c>); Shopify does not promise delivery.</summary>
    public double WebhookDropProbability { get; set; }

    /// <summary>Share (0..1) of webhooks sent twice (same X-Shopify-Webhook-Id and X-Shopify-Event-Id).</summary>
    public double WebhookDuplicateProbability { get; set; }

    /// <summary>Seed for the drop/duplicate draws; null = unseeded.</summary>
    public int? WebhookRandomSeed { get; set; }

    /// <summary>
    /// Also send orders/updated right after orders/create, as live shops are often seen to do (not documented); off by
    /// default so that orders/updated means "changed after creation".
    /// </summary>
    public bool WebhookOrdersUpdatedOnCreate { get; set; }
}
