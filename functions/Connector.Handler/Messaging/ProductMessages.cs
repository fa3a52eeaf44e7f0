using System.Text.Json.Serialization;

namespace Connector.Messaging;

/// <summary>
/// "Sync Shop Status" (or the periodic scan): read the shop's TikTok products and the store catalogue, link them by seller
/// SKU, and queue a stock push for every product whose TikTok quantity is not what the store says.
/// </summary>
public sealed record ProductSyncJob : QueueMessage
{
    [JsonIgnore] public override string Kind => "productsync";

    /// <summary>A merchant waits on a press; the timer's scan is bulk work.</summary>
    [JsonIgnore] public override WorkLane Lane => Trigger == MerchantTrigger ? WorkLane.Waiting : WorkLane.Bulk;

    public const string MerchantTrigger = "merchant";

    public required string RunId { get; init; }
    public required string Trigger { get; init; }

    public override string? Problem() => RunId.Length is > 0 and <= 40 ? null : "A product sync run id is 1–40 characters.";

    public override string MessageId => $"productsync:{ShopId}:{RunId}";
}

/// <summary>
/// Push the store's stock of some SKUs of one TikTok product to TikTok (one UpdateInventory). The handler reads the
/// SKUs' current rows, so a late message pushes the newest level, never the one it was queued with.
/// </summary>
public sealed record StockPush : QueueMessage
{
    [JsonIgnore] public override string Kind => "stockpush";

    [JsonIgnore] public override WorkLane Lane => FromWebhook ? WorkLane.Waiting : WorkLane.Bulk;

    public required string ProductId { get; init; }
    public required IReadOnlyList<string> SellerSkus { get; init; }

    /// <summary>The newest store level's time (Unix ms) among the SKUs: the same change queued twice is one message.</summary>
    public long Stamp { get; init; }

    public bool FromWebhook { get; init; }

    /// <summary>The sync run that queued it (a scan queues the same level again if an earlier push was refused).</summary>
    public string? RunId { get; init; }

    /// <summary>When the store's change reached Connector (measures store change → TikTok latency).</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    public override string? Problem() =>
        !TikTok.TikTokIds.IsProductId(ProductId) ? TikTok.TikTokIds.ProductIdRule
        : SellerSkus.Count is 0 or > 100 ? "A stock push names 1–100 seller SKUs."
        : null;

    public override string MessageId => RunId is null ? $"stock:{ShopId}:{ProductId}:{Stamp}" : $"stock:{ShopId}:{ProductId}:{Stamp}:{RunId}";
}

/// <summary>The store says a variant's stock changed (Shopify inventory_levels/update): read it, store it if newer, push it to TikTok.</summary>
public sealed record StoreStockChange : QueueMessage
{
    [JsonIgnore] public override string Kind => "stockchange";

    [JsonIgnore] public override WorkLane Lane => WorkLane.Waiting;

    /// <summary>The store's id of what changed (Shopify: <c>gid://shopify/InventoryItem/n</c>).</summary>
    public required string ItemId { get; init; }

    /// <summary>The store's time of the change, Unix milliseconds: orders levels (an older one never overwrites a newer one).</summary>
    public long ChangedAt { get; init; }

    public DateTimeOffset? ReceivedAt { get; init; }

    public override string? Problem() => ItemId.Length is > 0 and <= 128 ? null : "A store item id is 1–128 characters.";

    public override string MessageId => $"stockchange:{ShopId}:{ItemId}:{ChangedAt}";
}

/// <summary>A TikTok product webhook (status, audit, information change): refresh the product's rows from GetProduct.</summary>
public sealed record ProductChange : QueueMessage
{
    [JsonIgnore] public override string Kind => "productchange";

    [JsonIgnore] public override WorkLane Lane => WorkLane.Waiting;

    public required string ProductId { get; init; }
    public long UpdateTime { get; init; }

    /// <summary>The suspended_reason a status webhook (type 5) gave, shown when GetProduct no longer answers (FREEZE, DELETED).</summary>
    public string? Reason { get; init; }

    public required string NotificationId { get; init; }

    public override string? Problem() => TikTok.TikTokIds.IsProductId(ProductId) ? null : TikTok.TikTokIds.ProductIdRule;

    public override string MessageId => $"productchange:{ShopId}:{NotificationId}";
}
