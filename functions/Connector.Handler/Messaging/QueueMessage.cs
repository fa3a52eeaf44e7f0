using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Connector.TikTok;

namespace Connector.Messaging;

/// <summary>
/// Everything on the one queue (design §2, contract): each message says what kind of work it is.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(FetchJob), "fetch")]
[JsonDerivedType(typeof(OrderWork), "order")]
[JsonDerivedType(typeof(ShopEvent), "shop")]
[JsonDerivedType(typeof(CleanupJob), "cleanup")]
[JsonDerivedType(typeof(StoreScanJob), "storescan")]
[JsonDerivedType(typeof(StoreChangeWork), "storechange")]
[JsonDerivedType(typeof(ProductSyncJob), "productsync")]
[JsonDerivedType(typeof(StockPush), "stockpush")]
[JsonDerivedType(typeof(StoreStockChange), "stockchange")]
[JsonDerivedType(typeof(ProductChange), "productchange")]
[JsonDerivedType(typeof(OrderActionWork), "action")]
[JsonDerivedType(typeof(ReverseWork), "reverse")]
[JsonDerivedType(typeof(RefundWork), "refund")]
[JsonDerivedType(typeof(ShipWork), "ship")]
public abstract record QueueMessage
{
    public required string ShopId { get; init; }

    /// <summary>Deterministic id for Service Bus duplicate detection: the same work in the same state has the same id.</summary>
    [JsonIgnore] public abstract string MessageId { get; }

    /// <summary>Deliver no earlier than this (Service Bus <c>ScheduledEnqueueTimeUtc</c>); null = now.</summary>
    [JsonIgnore] public DateTimeOffset? NotBefore { get; init; }

    /// <summary>How many times this work was put back on the queue after TikTok, the store or Azure did not answer (see TransientRetries).</summary>
    public int Retry { get; init; }

    /// <summary>
    /// The Service Bus message id: a rescheduled attempt is a new message, so it must not be dropped as a duplicate. Service
    /// Bus takes at most 128 characters; a longer id keeps its start and ends in a hash of the whole, so it stays deterministic.
    /// </summary>
    [JsonIgnore] public string ServiceBusMessageId => Retry == 0 ? FirstAttemptMessageId : Bounded($"{MessageId}{RetrySuffix}{Retry}");

    /// <summary>The Service Bus message id of the first attempt, which every rescheduled attempt continues.</summary>
    [JsonIgnore] public string FirstAttemptMessageId => Bounded(MessageId);

    /// <summary>What kind of work this is: the JSON discriminator, also sent as the message's Subject for operators.</summary>
    [JsonIgnore] public abstract string Kind { get; }

    /// <summary>The queue it travels on: waiting work never sits behind bulk work (design §3).</summary>
    [JsonIgnore] public abstract WorkLane Lane { get; }

    /// <summary>Why this message can never be processed (ids that are not ids), or null: checked before any handler runs.</summary>
    public virtual string? Problem() => null;

    public const string RetrySuffix = ":retry";

    public const int MaxMessageIdLength = 128;

    private static string Bounded(string id)
    {
        if (id.Length <= MaxMessageIdLength)
        {
            return id;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32];
        return $"{id[..(MaxMessageIdLength - 33)]}#{hash}";
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>
/// One page of one shop's order search. The first page fixes the window and remembers the cursor's ETag; the
/// last page moves the cursor only if that ETag is still current (so two runs never both move it).
/// </summary>
public sealed record FetchJob : QueueMessage
{
    [JsonIgnore] public override string Kind => "fetch";

    [JsonIgnore] public override WorkLane Lane => WorkLane.Bulk;

    public required string RunId { get; init; }
    public required string Trigger { get; init; }
    public long? Since { get; init; }
    public long? WindowStart { get; init; }
    public long? WindowEnd { get; init; }
    public string? CursorETag { get; init; }
    public string? PageToken { get; init; }
    public int Page { get; init; }
    public int OrdersQueued { get; init; }
    public int OrdersSeen { get; init; }

    public override string MessageId => $"fetch:{ShopId}:{RunId}:{Page}";
}

/// <summary>An order to import or update. <see cref="Order"/> is the snapshot from the search, if any; without it the processor re-reads.</summary>
public sealed record OrderWork : QueueMessage
{
    [JsonIgnore] public override string Kind => "order";

    /// <summary>Orders a fetch found (timer, Fetch Order, a first-connection backfill) are bulk; a webhook, a retry or a hold release is waited for.</summary>
    [JsonIgnore] public override WorkLane Lane => Reason == FetchReason ? WorkLane.Bulk : WorkLane.Waiting;

    public const string FetchReason = "fetch";

    public required string OrderId { get; init; }
    public long UpdateTime { get; init; }
    public required string Reason { get; init; }
    public TikTokOrder? Order { get; init; }

    /// <summary>
    /// Makes the message id unique per attempt: a merchant's retry (the earlier attempt's id may still be in the
    /// duplicate window) or a webhook (its notification id, so TikTok's retries of one notification collapse).
    /// </summary>
    public string? Attempt { get; init; }

    /// <summary>When the webhook behind this work arrived (measures webhook → store latency).</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The fetch that queued this work found no row for the order (the first delivery need not read it).</summary>
    public bool NotStored { get; init; }

    public override string? Problem() => TikTok.TikTokIds.IsOrderId(OrderId) ? null : TikTok.TikTokIds.OrderIdRule;

    public override string MessageId => Attempt is null
        ? $"order:{ShopId}:{OrderId}:{UpdateTime}"
        : $"order:{ShopId}:{OrderId}:{UpdateTime}:{Attempt}";
}

/// <summary>Something about the shop's authorisation (webhook types 6 and 7).</summary>
public sealed record ShopEvent : QueueMessage
{
    [JsonIgnore] public override string Kind => "shop";

    [JsonIgnore] public override WorkLane Lane => WorkLane.Waiting;

    public required string Event { get; init; }
    public required string NotificationId { get; init; }
    public string? Message { get; init; }
    public long? ExpiresAt { get; init; }

    public override string MessageId => $"shop:{ShopId}:{NotificationId}";
}

/// <summary>A shop's nightly housekeeping (old webhook ids and old activity), one message per shop.</summary>
public sealed record CleanupJob : QueueMessage
{
    [JsonIgnore] public override string Kind => "cleanup";

    [JsonIgnore] public override WorkLane Lane => WorkLane.Bulk;

    public required string RunId { get; init; }

    public override string MessageId => $"cleanup:{ShopId}:{RunId}";
}

/// <summary>
/// One page of a shop's scan for orders the merchant changed in the store (store → TikTok). Each fetch run starts one.
/// The first page fixes the window; the last moves the store cursor if its ETag is still the one the run started from.
/// </summary>
public sealed record StoreScanJob : QueueMessage
{
    [JsonIgnore] public override string Kind => "storescan";

    [JsonIgnore] public override WorkLane Lane => WorkLane.Bulk;

    public required string RunId { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? ScanStartedAt { get; init; }
    public string? CursorETag { get; init; }
    public string? PageToken { get; init; }
    public int Page { get; init; }
    public int OrdersQueued { get; init; }

    public override string MessageId => $"storescan:{ShopId}:{RunId}:{Page}";
}

/// <summary>A store order Connector created was changed in the store (maybe by the merchant): carry shipments and cancellation to TikTok.</summary>
public sealed record StoreChangeWork : QueueMessage
{
    [JsonIgnore] public override string Kind => "storechange";

    public required string OrderId { get; init; }
    public required string StoreOrderId { get; init; }

    /// <summary>The store's update time of the change, Unix milliseconds.</summary>
    public long ChangedAt { get; init; }

    /// <summary>The scan that saw it: stores give update times in whole seconds, so a later change may carry the same time.</summary>
    public required string RunId { get; init; }

    /// <summary>
    /// A scan's change: the order row's <c>StoreChangeSeen</c> when it was queued. Scans that see the same change not yet
    /// handled send the same MessageId (duplicate detection drops the repeats); once handled, the row moves on and a change
    /// in the same second can be queued again.
    /// </summary>
    public long Seen { get; init; }

    /// <summary>Queued by the store's webhook (the merchant just acted: waiting lane) rather than by a scan (bulk lane).</summary>
    public bool FromWebhook { get; init; }

    [JsonIgnore] public override WorkLane Lane => FromWebhook ? WorkLane.Waiting : WorkLane.Bulk;

    public override string? Problem() => TikTok.TikTokIds.IsOrderId(OrderId) ? null : TikTok.TikTokIds.OrderIdRule;

    public override string MessageId => FromWebhook
        ? $"storechange:{ShopId}:{OrderId}:{ChangedAt}:{RunId}"
        : $"storechange:{ShopId}:{OrderId}:{ChangedAt}:s{Seen}";
}
