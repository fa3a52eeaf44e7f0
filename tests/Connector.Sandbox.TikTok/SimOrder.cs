using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// An immutable snapshot of one simulated order. <see cref="ToApiJson"/> renders it exactly as GetOrderList/GetOrderDetail
/// return it (field names from the official OAS, order.json; data realism per §11).
/// </summary>
public sealed record SimOrder
{
    public required string Id { get; init; }
    public required string ShopId { get; init; }
    public required string Status { get; init; }
    public required long CreateTime { get; init; }

    /// <summary>Bumped on every status change (strictly increasing per order) and on address changes.</summary>
    public required long UpdateTime { get; init; }

    public long? PaidTime { get; init; }
    public long? RtsTime { get; init; }
    public long? CollectionTime { get; init; }
    public long? DeliveryTime { get; init; }
    public long? CancelTime { get; init; }
    public string? CancelReason { get; init; }

    /// <summary>SELLER, BUYER or SYSTEM.</summary>
    public string? CancellationInitiator { get; init; }

    public bool IsOnHoldOrder { get; init; }
    public bool IsBuyerRequestCancel { get; init; }
    public long? RequestCancelTime { get; init; }
    public bool HasUpdatedRecipientAddress { get; init; }
    public required string Currency { get; init; }
    public required string ShippingType { get; init; }
    public required string FulfillmentType { get; init; }
    public string DeliveryType { get; init; } = "HOME_DELIVERY";
    public required string DeliveryOptionId { get; init; }
    public string DeliveryOptionName { get; init; } = "Standard Shipping";
    public required string UserId { get; init; }
    public required string BuyerEmail { get; init; }
    public string? BuyerMessage { get; init; }
    public required string WarehouseId { get; init; }
    public required SimAddress RecipientAddress { get; init; }
    public required IReadOnlyList<SimLineItem> LineItems { get; init; }
    public required SimPayment Payment { get; init; }
    public IReadOnlyList<string> PackageIds { get; init; } = [];
    public string? TrackingNumber { get; init; }
    public string? ShippingProvider { get; init; }
    public string? ShippingProviderId { get; init; }

    /// <summary>True while the status hides the recipient address (§4.4: "not available under UNPAID and ON_HOLD").</summary>
    public bool RecipientAddressHidden => Status is TikTokOrderStatus.Unpaid or TikTokOrderStatus.OnHold;

    /// <summary>
    /// The order object as the Open API returns it. <paramref name="detail"/> adds the GetOrderDetail-only payment fields
    /// (payment_method_code, payment_card_type).
    /// </summary>
    public JsonObject ToApiJson(bool detail = false)
    {
        var o = new JsonObject
        {
            ["buyer_email"] = BuyerEmail,
        };
        if (BuyerMessage is not null)
        {
            o["buyer_message"] = BuyerMessage;
        }

        if (PaidTime is { } paid)
        {
            // Deadlines per §4.4, counted from payment.
            o["cancel_order_sla_time"] = paid + 3600;
            o["collection_due_time"] = paid + (5 * 86400);
            o["delivery_due_time"] = paid + (14 * 86400);
            o["delivery_sla_time"] = paid + (10 * 86400);
        }

        if (CancelTime is { } cancelTime)
        {
            o["cancel_reason"] = CancelReason ?? "";
            o["cancel_time"] = cancelTime;
            o["cancellation_initiator"] = CancellationInitiator ?? "SYSTEM";
        }

        if (CollectionTime is { } collected)
        {
            o["collection_time"] = collected;
        }

        o["commerce_platform"] = "TIKTOK_SHOP";
        o["create_time"] = CreateTime;
        o["delivery_option_id"] = DeliveryOptionId;
        o["delivery_option_name"] = DeliveryOptionName;
        if (DeliveryTime is { } delivered)
        {
            o["delivery_time"] = delivered;
        }

        o["delivery_type"] = DeliveryType;
        o["fulfillment_type"] = FulfillmentType;
        o["has_updated_recipient_address"] = HasUpdatedRecipientAddress;
        o["id"] = Id;
        o["is_buyer_request_cancel"] = IsBuyerRequestCancel;
        o["is_cod"] = false;
        o["is_on_hold_order"] = IsOnHoldOrder;
        o["is_replacement_order"] = false;
        o["is_sample_order"] = false;
        var lines = new JsonArray();
        foreach (var line in LineItems)
        {
            lines.Add(LineJson(line));
        }

        o["line_items"] = lines;
        o["order_type"] = "NORMAL";
        if (PackageIds.Count > 0)
        {
            var packages = new JsonArray();
            foreach (var id in PackageIds)
            {
                packages.Add(new JsonObject { ["id"] = id });
            }

            o["packages"] = packages;
        }

        if (PaidTime is { } paidTime)
        {
            o["paid_time"] = paidTime;
        }

        o["payment"] = PaymentJson(Payment);
        if (detail)
        {
            o["payment_card_type"] = "Credit";
            o["payment_method_code"] = "pm_pi_ccdc_visa_c_d";
        }

        o["payment_method_name"] = "CCDC";
        if (!RecipientAddressHidden)
        {
            o["recipient_address"] = AddressJson(RecipientAddress, masked: ShippingType == "TIKTOK");
        }

        if (RequestCancelTime is { } requested)
        {
            o["request_cancel_time"] = requested;
        }

        if (PaidTime is { } p)
        {
            o["rts_sla_time"] = p + (2 * 86400);
        }

        if (RtsTime is { } rts)
        {
            o["rts_time"] = rts;
        }

        if (PaidTime is { } due)
        {
            o["shipping_due_time"] = due + (3 * 86400);
        }

        if (ShippingProvider is not null)
        {
            o["shipping_provider"] = ShippingProvider;
            o["shipping_provider_id"] = ShippingProviderId;
        }

        o["shipping_type"] = ShippingType;
        o["status"] = Status;
        if (TrackingNumber is not null)
        {
            o["tracking_number"] = TrackingNumber;
        }

        if (PaidTime is { } tts)
        {
            o["tts_sla_time"] = tts + (4 * 86400);
        }

        o["update_time"] = UpdateTime;
        o["user_id"] = UserId;
        o["warehouse_id"] = WarehouseId;
        return o;
    }

    private JsonObject LineJson(SimLineItem line)
    {
        var o = new JsonObject();
        if (line.CancelReason is not null)
        {
            o["cancel_reason"] = line.CancelReason;
            o["cancel_user"] = line.CancelUser;
        }

        o["currency"] = Currency;
        o["display_status"] = line.DisplayStatus;
        o["id"] = line.Id;
        o["is_gift"] = false;
        o["item_tax"] = new JsonArray(new JsonObject
        {
            ["tax_amount"] = Money(line.TaxAmount),
            ["tax_rate"] = Money(line.TaxRate),
            ["tax_type"] = "SALES_TAX",
        });
        o["original_price"] = Money(line.OriginalPrice);
        if (line.PackageId is not null)
        {
            o["package_id"] = line.PackageId;
        }

        if (line.PackageStatus is not null)
        {
            o["package_status"] = line.PackageStatus;
        }

        o["platform_discount"] = Money(line.PlatformDiscount);
        o["product_id"] = line.ProductId;
        o["product_name"] = line.ProductName;
        if (line.RtsTime is { } rts)
        {
            o["rts_time"] = rts;
        }

        o["sale_price"] = Money(line.SalePrice);
        o["seller_discount"] = Money(line.SellerDiscount);
        o["seller_sku"] = line.SellerSku;
        if (line.ShippingProviderId is not null)
        {
            o["shipping_provider_id"] = line.ShippingProviderId;
            o["shipping_provider_name"] = line.ShippingProviderName;
        }

        o["sku_id"] = line.SkuId;
        o["sku_image"] = line.SkuImage;
        o["sku_name"] = line.SkuName;
        o["sku_type"] = "NORMAL";
        o["tracking_number"] = line.TrackingNumber ?? "";
        return o;
    }

    private static JsonObject PaymentJson(SimPayment p) => new()
    {
        ["currency"] = p.Currency,
        ["original_shipping_fee"] = Money(p.OriginalShippingFee),
        ["original_total_product_price"] = Money(p.OriginalTotalProductPrice),
        ["platform_discount"] = Money(p.PlatformDiscount),
        ["product_tax"] = Money(p.ProductTax),
        ["retail_delivery_fee"] = Money(p.RetailDeliveryFee),
        ["seller_discount"] = Money(p.SellerDiscount),
        ["shipping_fee"] = Money(p.ShippingFee),
        ["shipping_fee_cofunded_discount"] = "0",
        ["shipping_fee_platform_discount"] = Money(p.ShippingFeePlatformDiscount),
        ["shipping_fee_seller_discount"] = Money(p.ShippingFeeSellerDiscount),
        ["shipping_fee_tax"] = Money(p.ShippingFeeTax),
        ["sub_total"] = Money(p.SubTotal),
        ["tax"] = Money(p.Tax),
        ["total_amount"] = Money(p.TotalAmount),
    };

    private static JsonObject AddressJson(SimAddress a, bool masked)
    {
        var line2 = string.IsNullOrEmpty(a.AddressLine2) ? "" : " " + a.AddressLine2;
        return new JsonObject
        {
            ["address_detail"] = a.AddressLine2,
            ["address_line1"] = a.AddressLine1,
            ["address_line2"] = a.AddressLine2,
            ["address_line3"] = "",
            ["address_line4"] = "",
            ["district_info"] = new JsonArray(
                District("L0", "Country", a.Country, a.RegionCode),
                District("L1", "State", a.State, $"{a.RegionCode}-{a.StateCode}"),
                District("L2", "County", a.County, null),
                District("L3", "City", a.City, null)),
            ["first_name"] = masked ? MaskName(a.FirstName) : a.FirstName,
            ["full_address"] = $"{a.AddressLine1}{line2}, {a.City}, {a.StateCode} {a.PostalCode}",
            ["last_name"] = masked ? MaskName(a.LastName) : a.LastName,
            ["name"] = masked ? MaskName(a.Name) : a.Name,
            ["phone_number"] = masked ? MaskPhone(a.PhoneNumber) : a.PhoneNumber,
            ["postal_code"] = a.PostalCode,
            ["region_code"] = a.RegionCode,
        };
    }

    private static JsonObject District(string level, string levelName, string name, string? isoCode)
    {
        var o = new JsonObject
        {
            ["address_level"] = level,
            ["address_level_name"] = levelName,
            ["address_name"] = name,
        };
        if (isoCode is not null)
        {
            o["iso_code"] = isoCode;
        }

        return o;
    }

    /// <summary>"Jane Doe" → "J*** D**" (platform logistics desensitize the recipient name, §4.4).</summary>
    internal static string MaskName(string name) =>
        string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w[0] + new string('*', w.Length - 1)));

    /// <summary>"(+1)213-555-1234" → "(+1)213-***-1234", the OAS example's shape.</summary>
    internal static string MaskPhone(string phone)
    {
        var parts = phone.Split('-');
        if (parts.Length == 3)
        {
            return $"{parts[0]}-{new string('*', parts[1].Length)}-{parts[2]}";
        }

        return phone.Length <= 4 ? phone : new string('*', phone.Length - 4) + phone[^4..];
    }

    /// <summary>Money as a decimal string without trailing zeros ("19.99", "5", "0.0725").</summary>
    internal static string Money(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
