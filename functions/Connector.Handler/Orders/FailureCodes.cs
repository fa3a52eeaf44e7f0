namespace Connector.Orders;

/// <summary>
/// Why an order is not in the store (<c>OrderEntity.FailureCode</c>), in the merchant's words with what to do about it.
/// The order page reads these through <c>/api/app/labels.json</c>, so the words live here only.
/// </summary>
public static class FailureCodes
{
    public const string SkuNotFound = "SKU_NOT_FOUND";
    public const string SkuAmbiguous = "SKU_AMBIGUOUS";
    public const string SkuMissing = "SKU_MISSING";
    public const string AddressMissing = "ADDRESS_MISSING";
    public const string StoreRejected = "STORE_REJECTED";
    public const string StoreUnsupported = "STORE_UNSUPPORTED";
    public const string Unavailable = "UNAVAILABLE";
    public const string TikTokRefused = "TIKTOK_REFUSED";
    public const string OrderNotFound = "ORDER_NOT_FOUND";
    public const string QueueRefused = "QUEUE_REFUSED";

    /// <summary>What the page shows for a code it has no words for.</summary>
    public static readonly FailureHelp Unknown = new("The order could not be imported", "Read the reason below, fix it, then retry.");

    public static readonly IReadOnlyDictionary<string, FailureHelp> Help = new Dictionary<string, FailureHelp>(StringComparer.Ordinal)
    {
        [SkuNotFound] = new("Product not found in your store", "Give a store product this SKU, or map the TikTok SKU to an existing store SKU, then retry.", FixedByMapping: true),
        [SkuAmbiguous] = new("Several store products share this SKU", "Give each store product its own SKU, or map the TikTok SKU to one store SKU, then retry.", FixedByMapping: true),
        [SkuMissing] = new("A TikTok product has no seller SKU", "Set a seller SKU on the product in TikTok Shop Seller Center, then retry."),
        [AddressMissing] = new("Shipping address not released yet", "TikTok releases it once the order leaves its hold; Connector imports it with the next update, or retry later."),
        [StoreRejected] = new("Your store refused the order", "Fix what the store reports below (product, stock, address), then retry."),
        [StoreUnsupported] = new("Store connection problem", "Check the store connection in Settings, then retry."),
        [Unavailable] = new("Waiting for a service to answer", "Nothing to do: Connector keeps trying on its own and imports the order once TikTok and your store answer. Retry to try at once."),
        [TikTokRefused] = new("TikTok refused to show this order", "Reconnect the TikTok shop (Connect TikTok Shop), then retry."),
        [OrderNotFound] = new("TikTok no longer returns this order", "Check the order in TikTok Shop Seller Center, then retry."),
        [QueueRefused] = new("Connector could not queue this order's work", "Retry the order; if it fails again, the reason below says what is too large."),
    };
}

/// <summary>A failure in the merchant's words; <paramref name="FixedByMapping"/>: a SKU mapping override can fix it (the page offers "Map SKU").</summary>
public sealed record FailureHelp(string Title, string Fix, bool FixedByMapping = false);
