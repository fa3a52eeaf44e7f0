namespace Connector.Stores;

/// <summary>
/// A refund TikTok completed, as the store should show it: which seller SKUs and how many units (one TikTok line item is one
/// unit), whether those units go back into stock, and the amount TikTok refunded.
/// </summary>
/// <param name="Key">TikTok's return id: the store-side idempotency key, so one return is refunded once.</param>
/// <param name="Resumed">An earlier attempt of this refund started and did not finish: a step the store cannot tell apart
/// from a repeat (a PrestaShop stock change) is not repeated.</param>
public sealed record StoreRefund(
    string Key,
    string TikTokOrderId,
    IReadOnlyDictionary<string, int> Units,
    bool Restock,
    decimal? Amount,
    string? Currency,
    string Note,
    bool Resumed);
