namespace Connector.Stores.Etsy;

/// <summary>Etsy log events (ids 350–399), with shop, order and listing ids; never tokens or the shared secret.</summary>
internal static partial class EtsyLog
{
    [LoggerMessage(350, LogLevel.Information, "Etsy access token of shop {ShopId} refreshed; valid until {ExpiresAt}")]
    public static partial void TokenRefreshed(ILogger logger, string shopId, DateTimeOffset expiresAt);

    [LoggerMessage(351, LogLevel.Information, "Etsy throttled a request ({Status}); retry after {RetryAfter}")]
    public static partial void Throttled(ILogger logger, int status, TimeSpan retryAfter);

    [LoggerMessage(352, LogLevel.Warning, "Etsy daily request budget nearly spent: {Remaining} of {Limit} left")]
    public static partial void DailyBudgetLow(ILogger logger, int remaining, int limit);

    [LoggerMessage(353, LogLevel.Information, "Order {OrderId} of shop {ShopId}: Etsy listing {ListingId} stock {Kind} ({Lines})")]
    public static partial void InventoryWritten(ILogger logger, string shopId, string orderId, long listingId, string kind, string lines);

    [LoggerMessage(354, LogLevel.Warning, "Shop {ShopId}: an interrupted {Kind} of order {OrderId} on Etsy listing {ListingId} was found; it {Outcome}")]
    public static partial void PendingResolved(ILogger logger, string shopId, string orderId, long listingId, string kind, string outcome);

    [LoggerMessage(355, LogLevel.Information, "Etsy SKU index of shop {ShopId} refreshed ({Mode}): {Listings} listings read, {Changed} changed")]
    public static partial void IndexRefreshed(ILogger logger, string shopId, string mode, int listings, int changed);

    [LoggerMessage(356, LogLevel.Information, "Etsy shop {EtsyShopId} connected to shop {ShopId} through OAuth")]
    public static partial void Connected(ILogger logger, string shopId, string etsyShopId);

    [LoggerMessage(357, LogLevel.Warning, "Etsy shop {EtsyShopId} authorised for shop {ShopId}, but the shop row kept changing for {Attempts} attempts; the tokens were not saved")]
    public static partial void TokensNotSaved(ILogger logger, string shopId, string etsyShopId, int attempts);
}
