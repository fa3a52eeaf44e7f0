using Connector.Stores;
using Connector.TikTok;

namespace Connector.Orders.Import;

/// <summary>Builds the store order from a TikTok order and its matched products.</summary>
public static class StoreOrderDrafts
{
    public const string ShippedByTikTokTitle = "Shipped by TTS platform";

    public static StoreOrderDraft Build(TikTokOrder order, IReadOnlyList<OrderLineView> lines, SkuMatchResult match, ShopSettings settings)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(settings);
        var storeLines = lines
            .Select(l =>
            {
                var product = match.Matched[l.SellerSku];
                return new StoreOrderLine(product.Id, l.SellerSku, l.ProductName ?? product.Title ?? l.SellerSku, l.Quantity, l.UnitPrice);
            })
            .ToList();
        var lineTotal = storeLines.Sum(l => l.UnitPrice * l.Quantity);
        var shipping = OrderLines.ParseMoney(order.Payment?.ShippingFee);
        var total = order.Payment?.TotalAmount is { } paid ? OrderLines.ParseMoney(paid) : lineTotal + shipping;
        return new StoreOrderDraft
        {
            TikTokOrderId = order.Id,
            Currency = order.Payment?.Currency ?? (lines.Count > 0 ? lines[0].Currency : null) ?? "USD",
            Lines = storeLines,
            Email = string.IsNullOrWhiteSpace(settings.BuyerEmail) ? ShopSettings.DefaultBuyerEmail : settings.BuyerEmail,
            ShippingAddress = Address(order.RecipientAddress),
            ShippingTitle = OrderSnapshot.ShippedByTikTok(order) ? ShippedByTikTokTitle : order.DeliveryOptionName ?? "Shipped by seller",
            ShippingPrice = shipping,
            TotalPaid = total,
            ProcessedAt = DateTimeOffset.FromUnixTimeSeconds(order.CreateTime),
            Tags = [.. settings.Tags, $"TikTok-{order.Id}"],
            Note = string.IsNullOrWhiteSpace(order.BuyerMessage) ? null : $"Buyer message: {order.BuyerMessage}",
            InventoryBehaviour = settings.InventoryBehaviour,
        };
    }

    /// <summary>
    /// City and state come from <c>district_info</c> (§4.4): L1 is the state, L3 (else L2) the city; names may be masked
    /// as TikTok masks them for platform shipping.
    /// </summary>
    public static StoreAddress? Address(TikTokAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        string? Level(string level) => address.DistrictInfo.FirstOrDefault(d => d.AddressLevel == level)?.AddressName;
        var stateIso = address.DistrictInfo.FirstOrDefault(d => d.AddressLevel == "L1")?.IsoCode;
        var (first, last) = (address.FirstName, address.LastName);
        if (string.IsNullOrWhiteSpace(first) && string.IsNullOrWhiteSpace(last) && !string.IsNullOrWhiteSpace(address.Name))
        {
            var space = address.Name.Trim().LastIndexOf(' ');
            (first, last) = space > 0 ? (address.Name[..space].Trim(), address.Name[(space + 1)..].Trim()) : (null, address.Name.Trim());
        }

        return new StoreAddress(
            first,
            last,
            address.AddressLine1 ?? address.AddressDetail ?? address.FullAddress,
            address.AddressLine2,
            Level("L3") ?? Level("L2") ?? address.PostTown,
            Level("L1"),
            stateIso is { } iso && iso.Contains('-', StringComparison.Ordinal) ? iso[(iso.IndexOf('-', StringComparison.Ordinal) + 1)..] : stateIso,
            address.PostalCode,
            address.RegionCode,
            address.PhoneNumber);
    }
}
