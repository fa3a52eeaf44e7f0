using System.Text.Json.Serialization;

namespace Connector.TikTok;

// Shapes of the 202309 order objects (reference/tiktok-shop-api.md §4.4; tiktok-oas/order.json). JSON is snake_case;
// ids are strings, money is decimal strings, times are Unix seconds. Only the fields Connector uses are modelled.

public sealed record TikTokEnvelope<T>(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("data")] T? Data,
    [property: JsonPropertyName("request_id")] string? RequestId);

public sealed record OrderSearchData(
    [property: JsonPropertyName("orders")] List<TikTokOrder>? Orders,
    [property: JsonPropertyName("next_page_token")] string? NextPageToken,
    [property: JsonPropertyName("total_count")] int TotalCount);

public sealed record OrderDetailData([property: JsonPropertyName("orders")] List<TikTokOrder>? Orders);

public sealed record TikTokOrder
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("create_time")] public long CreateTime { get; init; }
    [JsonPropertyName("update_time")] public long UpdateTime { get; init; }
    [JsonPropertyName("paid_time")] public long? PaidTime { get; init; }
    [JsonPropertyName("fulfillment_type")] public string? FulfillmentType { get; init; }
    [JsonPropertyName("shipping_type")] public string? ShippingType { get; init; }
    [JsonPropertyName("delivery_type")] public string? DeliveryType { get; init; }
    [JsonPropertyName("delivery_option_name")] public string? DeliveryOptionName { get; init; }
    [JsonPropertyName("buyer_email")] public string? BuyerEmail { get; init; }
    [JsonPropertyName("buyer_message")] public string? BuyerMessage { get; init; }
    [JsonPropertyName("user_id")] public string? UserId { get; init; }
    [JsonPropertyName("is_on_hold_order")] public bool? IsOnHoldOrder { get; init; }
    [JsonPropertyName("is_sample_order")] public bool? IsSampleOrder { get; init; }
    [JsonPropertyName("tracking_number")] public string? TrackingNumber { get; init; }
    [JsonPropertyName("shipping_provider")] public string? ShippingProvider { get; init; }
    [JsonPropertyName("cancel_reason")] public string? CancelReason { get; init; }
    [JsonPropertyName("cancellation_initiator")] public string? CancellationInitiator { get; init; }
    [JsonPropertyName("recipient_address")] public TikTokAddress? RecipientAddress { get; init; }
    [JsonPropertyName("payment")] public TikTokPayment? Payment { get; init; }
    [JsonPropertyName("line_items")] public List<TikTokLineItem> LineItems { get; init; } = [];
}

public sealed record TikTokAddress
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("first_name")] public string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public string? LastName { get; init; }
    [JsonPropertyName("phone_number")] public string? PhoneNumber { get; init; }
    [JsonPropertyName("full_address")] public string? FullAddress { get; init; }
    [JsonPropertyName("address_detail")] public string? AddressDetail { get; init; }
    [JsonPropertyName("address_line1")] public string? AddressLine1 { get; init; }
    [JsonPropertyName("address_line2")] public string? AddressLine2 { get; init; }
    [JsonPropertyName("postal_code")] public string? PostalCode { get; init; }
    [JsonPropertyName("region_code")] public string? RegionCode { get; init; }
    [JsonPropertyName("post_town")] public string? PostTown { get; init; }
    [JsonPropertyName("district_info")] public List<TikTokDistrict> DistrictInfo { get; init; } = [];
}

public sealed record TikTokDistrict(
    [property: JsonPropertyName("address_level")] string? AddressLevel,
    [property: JsonPropertyName("address_level_name")] string? AddressLevelName,
    [property: JsonPropertyName("address_name")] string? AddressName,
    [property: JsonPropertyName("iso_code")] string? IsoCode);

public sealed record TikTokPayment
{
    [JsonPropertyName("currency")] public string? Currency { get; init; }
    [JsonPropertyName("sub_total")] public string? SubTotal { get; init; }
    [JsonPropertyName("shipping_fee")] public string? ShippingFee { get; init; }
    [JsonPropertyName("tax")] public string? Tax { get; init; }
    [JsonPropertyName("total_amount")] public string? TotalAmount { get; init; }
}

public sealed record TikTokLineItem
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("sku_id")] public string? SkuId { get; init; }
    [JsonPropertyName("product_id")] public string? ProductId { get; init; }
    [JsonPropertyName("seller_sku")] public string? SellerSku { get; init; }
    [JsonPropertyName("product_name")] public string? ProductName { get; init; }
    [JsonPropertyName("sku_name")] public string? SkuName { get; init; }
    [JsonPropertyName("sale_price")] public string? SalePrice { get; init; }
    [JsonPropertyName("original_price")] public string? OriginalPrice { get; init; }
    [JsonPropertyName("currency")] public string? Currency { get; init; }
    [JsonPropertyName("display_status")] public string? DisplayStatus { get; init; }
    [JsonPropertyName("tracking_number")] public string? TrackingNumber { get; init; }
    [JsonPropertyName("package_id")] public string? PackageId { get; init; }
    [JsonPropertyName("cancel_user")] public string? CancelUser { get; init; }
}

public sealed record TikTokTokenData(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("access_token_expire_in")] long AccessTokenExpireIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("refresh_token_expire_in")] long RefreshTokenExpireIn);

public sealed record AuthorizedShopsData([property: JsonPropertyName("shops")] List<AuthorizedShop>? Shops);

public sealed record AuthorizedShop(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("cipher")] string Cipher,
    [property: JsonPropertyName("region")] string? Region,
    [property: JsonPropertyName("seller_type")] string? SellerType);

// Write-back shapes (§6, tiktok-oas fulfillment.json, logistics.json, return_refund.json).

public sealed record MarkShippedBody(
    [property: JsonPropertyName("tracking_number")] string TrackingNumber,
    [property: JsonPropertyName("shipping_provider_id")] string ShippingProviderId,
    [property: JsonPropertyName("order_line_item_ids")] List<string> OrderLineItemIds);

public sealed record ShippedPackage(
    [property: JsonPropertyName("order_id")] string? OrderId,
    [property: JsonPropertyName("package_id")] string? PackageId,
    [property: JsonPropertyName("order_line_item_ids")] List<string>? OrderLineItemIds);

public sealed record ShippingInfoBody(
    [property: JsonPropertyName("tracking_number")] string TrackingNumber,
    [property: JsonPropertyName("shipping_provider_id")] string ShippingProviderId);

public sealed record CancelBody(
    [property: JsonPropertyName("order_id")] string OrderId,
    [property: JsonPropertyName("cancel_reason")] string CancelReason);

public sealed record CancellationResult(
    [property: JsonPropertyName("cancel_id")] string? CancelId,
    [property: JsonPropertyName("cancel_status")] string? CancelStatus);

public sealed record WarehousesData([property: JsonPropertyName("warehouses")] List<TikTokWarehouse>? Warehouses);

public sealed record TikTokWarehouse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("effect_status")] string? EffectStatus,
    [property: JsonPropertyName("type")] string? Type);

public sealed record DeliveryOptionsData([property: JsonPropertyName("delivery_options")] List<TikTokDeliveryOption>? DeliveryOptions);

public sealed record TikTokDeliveryOption(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name);

public sealed record ShippingProvidersData([property: JsonPropertyName("shipping_providers")] List<TikTokShippingProvider>? ShippingProviders);

public sealed record TikTokShippingProvider(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name);
