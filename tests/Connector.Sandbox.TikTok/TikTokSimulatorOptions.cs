namespace Connector.Sandbox.TikTok;

/// <summary>Settings of a <see cref="TikTokSimulator"/>. Section numbers refer to shared/reference/tiktok-shop-api.md.</summary>
public sealed class TikTokSimulatorOptions
{
    public string AppKey { get; set; } = "sandbox_app_key";

    public string AppSecret { get; set; } = "sandbox_app_secret";

    /// <summary>Port on 127.0.0.1; 0 picks any free port.</summary>
    public int Port { get; set; }

    /// <summary>Clock for tokens, timestamps, orders, rate-limit windows and webhook retry delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>§3.1: "default expiration time set to seven days".</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>§3.1: commonly reported as about 365 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>§3.1: "The auth_code expires in 30 minutes and can only be used once."</summary>
    public TimeSpan AuthCodeLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>§8.2: requests per second per (app, shop, path); 0 = unlimited.</summary>
    public int RateLimitPerSecond { get; set; }

    /// <summary>
    /// §3.1 leaves open whether a refresh rotates the refresh token. Default (false): the refresh answer carries the
    /// same refresh token with the same expiry. True: a new refresh token is issued and the old one stops working.
    /// </summary>
    public bool RotateRefreshTokenOnRefresh { get; set; }

    /// <summary>Seed of the simulator's Random (ids, webhook duplicate/drop/reorder draws). Null = a random seed.</summary>
    public int? Seed { get; set; }

    /// <summary>§7.1: where webhooks are POSTed; null = no webhooks. Can be changed later with <see cref="TikTokSimulator.SetWebhookUrl"/>.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>§5.1: the ORDER_STATUS_CHANGE webhook spells CANCELLED as "CANCEL" (WH1Doc). Set "CANCELLED" for the API spelling.</summary>
    public string WebhookStatusSpelling { get; set; } = "CANCEL";

    /// <summary>§7.1 at-least-once: probability that a notification is delivered twice (same tts_notification_id).</summary>
    public double WebhookDuplicateProbability { get; set; }

    /// <summary>§7.1 "may be lost": probability that a notification is never sent.</summary>
    public double WebhookDropProbability { get; set; }

    /// <summary>§7.1 "no ordering guarantee": when true, first attempts go out after a random delay up to <see cref="WebhookReorderMaxDelay"/>.</summary>
    public bool WebhookReorder { get; set; }

    public TimeSpan WebhookReorderMaxDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>§7.1: retries after a non-2xx answer, each after the previous failure (2 min, 30 min, 3 h, 12 h), then discarded.</summary>
    public IReadOnlyList<TimeSpan> WebhookRetrySchedule { get; set; } =
        [TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(30), TimeSpan.FromHours(3), TimeSpan.FromHours(12)];

    /// <summary>§7.1: the receiver must answer within 3 seconds; a slower answer counts as a failure.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// §6.2: how long the seller has to answer a buyer cancellation request (SELLER_RESPOND_CANCEL deadline) before it is
    /// approved automatically. Default 24 h ([COMMUNITY] "within 24 hours or auto-approval occurs").
    /// </summary>
    public TimeSpan CancellationResponseWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>[INFERENCE] The reference gives no number: how long the seller has to answer a return request or a returned package.</summary>
    public TimeSpan ReturnResponseWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>[INFERENCE] How long the buyer has to ship an approved return before the platform closes it (OAS AWAITING_BUYER_SHIP).</summary>
    public TimeSpan ReturnShipWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>§7.3 type 2 REVERSE_STATUS_UPDATE (legacy, [COMMUNITY] fields) alongside types 11 and 12; off by default.</summary>
    public bool SendReverseStatusUpdates { get; set; }

    /// <summary>product.json UpdateInventory quantity "Valid range: [1, 99,999]": the lower bound (set 0 to accept zero stock).</summary>
    public int InventoryQuantityMin { get; set; } = 1;
}
