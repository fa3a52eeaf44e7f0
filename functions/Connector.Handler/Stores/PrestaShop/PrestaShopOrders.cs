using System.Globalization;

namespace Connector.Stores.PrestaShop;

/// <summary>What the order writer, the checkout steps and the change feed share: the state keys, the TikTok marker and product keys.</summary>
public static class PrestaShopOrders
{
    public const string PaymentError = "PS_OS_ERROR";
    public const string WsPayment = "PS_OS_WS_PAYMENT";
    public const string Canceled = "PS_OS_CANCELED";
    public const string Shipping = "PS_OS_SHIPPING";
    public const string Delivered = "PS_OS_DELIVERED";
    public const string Refund = "PS_OS_REFUND";

    /// <summary>The order states Connector reads from the configuration (with the one the shop maps imports to).</summary>
    public static readonly IReadOnlyList<string> StateKeys =
    [
        "PS_OS_CHEQUE", "PS_OS_PAYMENT", "PS_OS_PREPARATION", Shipping, Delivered, Canceled, Refund, PaymentError,
        "PS_OS_OUTOFSTOCK_PAID", "PS_OS_OUTOFSTOCK_UNPAID", "PS_OS_BANKWIRE", WsPayment, "PS_OS_COD_VALIDATION",
    ];

    /// <summary>The marker without an order id: what every Connector order's gift_message starts with.</summary>
    public static readonly string MarkerPrefix = Marker(string.Empty);

    /// <summary>The deterministic marker on the cart of a TikTok order (a filterable field validateOrder copies to the order).</summary>
    public static string Marker(string tiktokOrderId) => $"TikTok Shop order {tiktokOrderId}";

    public static bool IsOneOf(PrestaShopShopConfig config, int state, params string[] keys) =>
        keys.Any(k => config.TryState(k, out var id) && id == state);

    public static string ProductKey(long productId, long attributeId) =>
        string.Create(CultureInfo.InvariantCulture, $"{productId}:{attributeId}");

    public static (long ProductId, long AttributeId) ParseProductKey(string key)
    {
        var parts = key.Split(':');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var product)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var attribute)
            ? (product, attribute)
            : throw new StoreRejectedException($"'{key}' is not a PrestaShop product reference; retry the order to match its SKU again.");
    }
}
