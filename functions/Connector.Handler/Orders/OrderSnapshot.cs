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
        row.ProductNames = TableLimits.Fit(string.Join(" | ", lines.Select(l => l.ProductName).Where(n => !string.IsNullOrEmpty(n)).Distinct()));
        row.ProductIds = TableLimits.Fit(string.Join(",", lines.Select(l => l.ProductId).Where(n => !string.IsNullOrEmpty(n)).Distinct()));
        row.Skus = TableLimits.Fit(string.Join(",", lines.Select(l => l.SellerSku).Distinct()));
        row.LinesJson = LinesJson(lines);
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

    /// <summary>
    /// The lines as one string property (at most <see cref="TableLimits.MaxStringChars"/>): an order of hundreds of line items
    /// with 255-character names does not fit, so names are shortened, then left out (the grid shows SKUs); SKUs, quantities,
    /// prices and TikTok's line item ids (which shipments name) are always kept.
    /// </summary>
    public static string LinesJson(IReadOnlyList<OrderLineView> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var json = JsonSerializer.Serialize(lines, JsonOptions);
        if (json.Length <= TableLimits.MaxStringChars)
        {
            return json;
        }

        json = JsonSerializer.Serialize(lines.Select(l => l with { ProductName = Shorten(l.ProductName, 60), SkuName = Shorten(l.SkuName, 40) }), JsonOptions);
        if (json.Length <= TableLimits.MaxStringChars)
        {
            return json;
        }

        // Thousands of line items: the ids alone are too long as text, but compress well (digits).
        var bare = lines.Select(l => l with { ProductName = null, SkuName = null }).ToList();
        var packed = Pack(bare);
        if (packed.Length <= TableLimits.MaxStringChars)
        {
            return packed;
        }

        // Beyond any order TikTok takes: keep what the grid and the store need (SKUs, quantities, prices), not the unit ids.
        return Pack([.. bare.Select(l => l with { LineItemIds = [] })]);
    }

    private static string Pack(List<OrderLineView> lines) => Compressed + Convert.ToBase64String(Compress(JsonSerializer.SerializeToUtf8Bytes(lines, JsonOptions)));

    private const string Compressed = "br:";

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var brotli = new System.IO.Compression.BrotliStream(output, System.IO.Compression.CompressionLevel.Optimal))
        {
            brotli.Write(data);
        }

        return output.ToArray();
    }

    public static List<OrderLineView>? ParseLinesJson(string json)
    {
        if (!json.StartsWith(Compressed, StringComparison.Ordinal))
        {
            return JsonSerializer.Deserialize<List<OrderLineView>>(json, JsonOptions);
        }

        using var input = new MemoryStream(Convert.FromBase64String(json[Compressed.Length..]));
        using var brotli = new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress);
        return JsonSerializer.Deserialize<List<OrderLineView>>(brotli, JsonOptions);
    }

    private static string? Shorten(string? text, int length) => text is null || text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

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
        ParseLinesJson(row.LinesJson) ?? [];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
