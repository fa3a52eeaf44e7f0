using System.Text.Json;
using Connector.State;
using Connector.TikTok;

namespace Connector.Orders;

/// <summary>Copies what the merchant sees (grid and detail) from a TikTok order onto its row.</summary>
public static class OrderSnapshot
{
    public static void Apply(OrderEntity row, TikTokOrder order)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(order);
        var lines = OrderLines.Group(order);
        row.TikTokStatus = TikTokStatus.Normalize(order.Status);
        row.TikTokUpdateTime = order.UpdateTime;
        row.CreatedAt = order.CreateTime;
        row.CustomerName = CustomerName(order) ?? row.CustomerName;
        row.Currency = order.Payment?.Currency ?? (lines.Count > 0 ? lines[0].Currency : null);
        row.Price = order.Payment?.TotalAmount ?? lines.Sum(l => l.UnitPrice * l.Quantity).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        row.Quantity = order.LineItems.Count;
        row.FulfilledBy = FulfilledBy(order);
        row.LogisticMode = LogisticMode(order);
        row.ProductNames = string.Join(" | ", lines.Select(l => l.ProductName).Where(n => !string.IsNullOrEmpty(n)).Distinct());
        row.ProductIds = string.Join(",", lines.Select(l => l.ProductId).Where(n => !string.IsNullOrEmpty(n)).Distinct());
        row.Skus = string.Join(",", lines.Select(l => l.SellerSku).Distinct());
        row.LinesJson = JsonSerializer.Serialize(lines, JsonOptions);
        row.ShippedByTikTok = ShippedByTikTok(order);
        row.TrackingNumber = order.TrackingNumber is { Length: > 0 } tracking
            ? tracking
            : order.LineItems.Select(l => l.TrackingNumber).FirstOrDefault(t => !string.IsNullOrEmpty(t)) ?? row.TrackingNumber;
        row.ShippingProvider = order.ShippingProvider ?? row.ShippingProvider;
        row.ShippedUnitsJson = JsonSerializer.Serialize(ShippedUnits(order), JsonOptions);
        row.CancellationInitiator = order.CancellationInitiator ?? row.CancellationInitiator;
        row.CancelReason = order.CancelReason ?? row.CancelReason;
        if (order.RecipientAddress is { } address)
        {
            row.AddressJson = JsonSerializer.Serialize(address, JsonOptions);
        }
    }

    public static string? CustomerName(TikTokOrder order)
    {
        var address = order.RecipientAddress;
        if (address is null)
        {
            return null;
        }

        var joined = $"{address.FirstName} {address.LastName}".Trim();
        return !string.IsNullOrWhiteSpace(address.Name) ? address.Name : joined.Length > 0 ? joined : null;
    }

    /// <summary>"TikTok" for Fulfilled-by-TikTok orders, otherwise the seller.</summary>
    public static string FulfilledBy(TikTokOrder order) =>
        string.Equals(order.FulfillmentType, "FULFILLMENT_BY_TIKTOK", StringComparison.Ordinal) ? "TikTok" : "Seller";

    /// <summary>Who ships: TikTok-provided shipping (label from TikTok) or the seller's own logistics.</summary>
    public static string LogisticMode(TikTokOrder order) => order.ShippingType switch
    {
        "TIKTOK" => "TikTok shipping",
        "SELLER" => "Seller shipping",
        _ => order.DeliveryOptionName ?? "Unknown",
    };

    /// <summary>TikTok handles the shipment (TikTok shipping or FBT): the store order says so (CedCommerce's wording).</summary>
    public static bool ShippedByTikTok(TikTokOrder order) =>
        order.ShippingType == "TIKTOK" || FulfilledBy(order) == "TikTok";

    /// <summary>
    /// Units TikTok has shipped, per seller SKU: a line item with a tracking number, or one already in transit or later
    /// (US/UK local sellers get package ids only once shipped, §4.4).
    /// </summary>
    public static Dictionary<string, int> ShippedUnits(TikTokOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.LineItems
            .Where(l => !string.IsNullOrEmpty(l.TrackingNumber) || l.DisplayStatus is "IN_TRANSIT" or "DELIVERED" or "COMPLETED")
            .GroupBy(l => l.SellerSku?.Trim() ?? "")
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    public static Dictionary<string, int> ShippedUnits(OrderEntity row) =>
        string.IsNullOrEmpty(row.ShippedUnitsJson)
            ? new Dictionary<string, int>(StringComparer.Ordinal)
            : JsonSerializer.Deserialize<Dictionary<string, int>>(row.ShippedUnitsJson, JsonOptions) ?? new Dictionary<string, int>(StringComparer.Ordinal);

    public static IReadOnlyList<OrderLineView> Lines(OrderEntity row) =>
        JsonSerializer.Deserialize<List<OrderLineView>>(row.LinesJson, JsonOptions) ?? [];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
