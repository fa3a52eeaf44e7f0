using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// §6 write-back, the part §11 lists for order sync: MarkPackageAsShipped, UpdatePackageShippingInfo, GetTracking, the
/// logistics look-ups that give a shipping_provider_id, and CancelOrder. Business rules follow §6.1/§6.2 "Rules to
/// simulate" ([INFERENCE] where marked).
/// </summary>
public sealed partial class TikTokSimulator
{
    /// <summary>[INFERENCE] §12: the reference found no code for "status does not allow shipping/cancelling"; the simulator uses this one.</summary>
    public const int StatusNotAllowedCode = 21011001;

    internal const string MsgStatusNotAllowed = "The current order status does not support this operation.";
    internal const string MsgReasonNotMatch = "Reason not match order status";

    /// <summary>
    /// [INFERENCE] §6.1 quotes the 72-hour limit on shipping-info updates but no error for it; the simulator answers this
    /// code with <see cref="MsgShippingInfoUpdateWindowClosed"/>.
    /// </summary>
    public const int ShippingInfoUpdateWindowClosedCode = 21011002;

    internal const string MsgSellerShippingOnly = "This API is only applicable to orders (or packages) shipped by the seller.";

    internal const string MsgShippingInfoUpdateWindowClosed = "Shipping information can only be updated within 72 hours after shipping.";

    /// <summary>§6.1: "TikTok Shop only allows merchants to update shipping information within 72 hours after shipping."</summary>
    public static readonly TimeSpan ShippingInfoUpdateWindow = TimeSpan.FromHours(72);

    public const string DefaultWarehouseId = "7068517275539719942";
    public const string DefaultDeliveryOptionId = "7091146663229654785";

    internal readonly record struct ShippingProvider(string Id, string Name);

    internal static readonly ShippingProvider TikTokVirtualExpress = new("6617675021119438849", "TT Virtual express");

    /// <summary>Providers of the default delivery option; USPS's id is the one quoted in §6.1.</summary>
    internal static readonly ShippingProvider[] ShippingProviders =
    [
        new("7117858858072016686", "USPS"),
        new("7117859084333745966", "UPS"),
        new("7117858963668716289", "FedEx"),
        new("7212608507307099910", "DHL eCommerce"),
    ];

    /// <summary>§6.2 US seller cancel reason keys (UK: the same keys with "_uk") → the localized text orders then carry.</summary>
    private static readonly Dictionary<string, string> UnpaidCancelReasons = new(StringComparer.Ordinal)
    {
        ["seller_cancel_unpaid_reason_out_of_stock"] = "Out of stock",
        ["seller_cancel_unpaid_reason_wrong_price"] = "Pricing error",
        ["seller_cancel_unpaid_reason_buyer_hasnt_paid_within_time_allowed"] = "Buyer hasn't paid within time allowed",
        ["seller_cancel_unpaid_reason_buyer_requested_cancellation"] = "Buyer requested cancellation",
    };

    private static readonly Dictionary<string, string> PaidCancelReasons = new(StringComparer.Ordinal)
    {
        ["seller_cancel_reason_out_of_stock"] = "Out of stock",
        ["seller_cancel_reason_wrong_price"] = "Pricing error",
        ["seller_cancel_paid_reason_address_not_deliver"] = "Unable to deliver to buyer address",
        ["seller_cancel_paid_reason_buyer_requested_cancellation"] = "Buyer requested cancellation",
    };

    // ---------------------------------------------------------------- POST /fulfillment/202309/orders/{order_id}/packages

    /// <summary>
    /// MarkPackageAsShipped (§6.1): ships the given line items (all unshipped ones when none are given) in a new package.
    /// All lines shipped → AWAITING_COLLECTION (then the carrier scan, SetStatus IN_TRANSIT); a subset → PARTIALLY_SHIPPING.
    /// Rejected while UNPAID/ON_HOLD, after shipping and when CANCELLED, for TikTok-shipped orders, and for line items
    /// already in a package, cancelled or of another order (more units than the order has left).
    /// </summary>
    private async Task<ApiResult> MarkPackageAsShippedAsync(ApiCall call, CancellationToken cancellationToken)
    {
        string tracking;
        ShippingProvider provider;
        List<string>? lineIds;
        try
        {
            var body = ObjectBody(call.Body);
            tracking = RequiredString(body, "tracking_number");
            provider = Provider(RequiredString(body, "shipping_provider_id"));
            lineIds = StringArray(body, "order_line_item_ids");
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            var orderId = call.Route["order_id"];
            if (!_orders.TryGetValue(orderId, out var order) || order.ShopId != call.Shop.ShopId)
            {
                return new ApiResult(200, 21008111, MsgNotOwner, new JsonObject());
            }

            if (order.Status is not (TikTokOrderStatus.AwaitingShipment or TikTokOrderStatus.PartiallyShipping))
            {
                return new ApiResult(200, StatusNotAllowedCode, MsgStatusNotAllowed, new JsonObject());
            }

            // fulfillment.json MarkPackageAsShipped: "This API is for sellers who fulfill orders through their own
            // selected/preferred logistics carrier". [INFERENCE] TikTok-shipped orders answer the simulator's status code.
            if (order.ShippingType != "SELLER")
            {
                return new ApiResult(200, StatusNotAllowedCode, MsgSellerShippingOnly, new JsonObject());
            }

            var shippable = order.LineItems.Where(l => l.PackageId is null && l.CancelUser is null).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
            var toShip = lineIds is { Count: > 0 } ? lineIds.ToHashSet(StringComparer.Ordinal) : shippable;
            if (toShip.Count == 0 || !toShip.IsSubsetOf(shippable))
            {
                // [INFERENCE] §6.1: "line ids of another order is a business error (exact codes not found)".
                return Error(400, 36009004, "param body.order_line_item_ids is invalid");
            }

            var now = Now();
            var lines = order.LineItems.ToList();
            var packages = order.PackageIds.ToList();
            var shipped = Ship(order, lines, packages, toShip, now, tracking, provider) with { LineItems = lines, PackageIds = packages };
            var target = lines.All(l => l.PackageId is not null || l.CancelUser is not null)
                ? TikTokOrderStatus.AwaitingCollection
                : TikTokOrderStatus.PartiallyShipping;
            var updated = ApplyStatus(shipped, target, now, null, null, autoShip: false) with { UpdateTime = NextUpdateTime(order) };
            _orders[orderId] = updated;
            if (target != order.Status)
            {
                PublishStatusChange(updated);
            }

            var shippedIds = new JsonArray();
            foreach (var id in lines.Where(l => toShip.Contains(l.Id)).Select(l => l.Id))
            {
                shippedIds.Add(id);
            }

            return ApiResult.Ok(new JsonObject
            {
                ["order_id"] = orderId,
                ["order_line_item_ids"] = shippedIds,
                ["package_id"] = packages[^1],
            });
        }
    }

    // ---------------------------------------------------------------- POST /fulfillment/202309/packages/{package_id}/shipping_info/update

    /// <summary>
    /// UpdatePackageShippingInfo (§6.1 "Fix wrong tracking (one package)"): replaces the tracking number and shipping
    /// provider of one shipped package. Every line of the package takes the new values; the order-level tracking_number /
    /// shipping_provider / shipping_provider_id follow when the package is the order's latest one. update_time moves
    /// forward, the status does not change, and success answers an empty <c>data</c> object. Refused for another shop's
    /// package (21008111), for a cancelled order and for TikTok shipping (<see cref="StatusNotAllowedCode"/>), and more than
    /// 72 hours after the package's rts_time (<see cref="ShippingInfoUpdateWindowClosedCode"/>).
    /// </summary>
    private async Task<ApiResult> UpdatePackageShippingInfoAsync(ApiCall call, CancellationToken cancellationToken)
    {
        string tracking;
        ShippingProvider provider;
        try
        {
            // [INFERENCE] The OAS marks neither field required; an update without both has nothing to apply, so the
            // simulator requires them with the same 36009004 messages as MarkPackageAsShipped.
            var body = ObjectBody(call.Body);
            tracking = RequiredString(body, "tracking_number");
            provider = Provider(RequiredString(body, "shipping_provider_id"));
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            var packageId = call.Route["package_id"];
            var order = _shopOrderIds.TryGetValue(call.Shop.ShopId, out var ids)
                ? ids.Select(id => _orders[id]).FirstOrDefault(o => o.PackageIds.Contains(packageId, StringComparer.Ordinal))
                : null;
            if (order is null)
            {
                // Unknown package or another seller's: §8.1 "The order or package does not belong to the current seller."
                return new ApiResult(200, 21008111, MsgNotOwner, new JsonObject());
            }

            // [INFERENCE] A cancelled order's package cannot be corrected; "This API is only applicable to orders (or
            // packages) shipped by the seller" (§6.1). Both answer the simulator's status code, with different messages.
            if (order.Status == TikTokOrderStatus.Cancelled)
            {
                return new ApiResult(200, StatusNotAllowedCode, MsgStatusNotAllowed, new JsonObject());
            }

            if (order.ShippingType != "SELLER")
            {
                return new ApiResult(200, StatusNotAllowedCode, MsgSellerShippingOnly, new JsonObject());
            }

            // "TikTok Shop only allows merchants to update shipping information within 72 hours after shipping" (§6.1),
            // counted from the package's rts_time on the simulator clock; exactly 72 hours is still allowed.
            var now = Now();
            var shippedAt = order.LineItems.Where(l => l.PackageId == packageId).Min(l => l.RtsTime) ?? order.RtsTime ?? now;
            if (now - shippedAt > (long)ShippingInfoUpdateWindow.TotalSeconds)
            {
                return new ApiResult(200, ShippingInfoUpdateWindowClosedCode, MsgShippingInfoUpdateWindowClosed, new JsonObject());
            }

            var lines = order.LineItems
                .Select(l => l.PackageId == packageId
                    ? l with { TrackingNumber = tracking, ShippingProviderId = provider.Id, ShippingProviderName = provider.Name }
                    : l)
                .ToList();
            var updated = order with { LineItems = lines, UpdateTime = NextUpdateTime(order) };
            if (order.PackageIds[^1] == packageId)
            {
                updated = updated with { TrackingNumber = tracking, ShippingProvider = provider.Name, ShippingProviderId = provider.Id };
            }

            _orders[order.Id] = updated;
            return ApiResult.Ok(new JsonObject());
        }
    }

    // ---------------------------------------------------------------- GET /fulfillment/202309/orders/{order_id}/tracking

    private async Task<ApiResult> GetTrackingAsync(ApiCall call, CancellationToken cancellationToken)
    {
        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            if (!_orders.TryGetValue(call.Route["order_id"], out var order) || order.ShopId != call.Shop.ShopId)
            {
                return new ApiResult(200, 21008111, MsgNotOwner, new JsonObject());
            }

            // Newest first; times in milliseconds (update_time_millis, §1).
            var events = new List<(long Time, string Text)>();
            if (order.RtsTime is { } rts)
            {
                events.Add((rts, "Shipping label created, carrier awaiting item"));
            }

            if (order.CollectionTime is { } collected)
            {
                events.Add((collected, "Picked up by carrier"));
            }

            if (order.DeliveryTime is { } delivered)
            {
                events.Add((delivered, "Delivered"));
            }

            var tracking = new JsonArray();
            foreach (var (time, text) in events.OrderByDescending(e => e.Time))
            {
                tracking.Add(new JsonObject { ["description"] = text, ["update_time_millis"] = time * 1000 });
            }

            return ApiResult.Ok(new JsonObject { ["tracking"] = tracking });
        }
    }

    // ---------------------------------------------------------------- logistics look-ups (§6.1 "Shipping provider ids")

    private async Task<ApiResult> GetWarehousesAsync(ApiCall call, CancellationToken cancellationToken)
    {
        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        var warehouses = new JsonArray(new JsonObject
        {
            ["address"] = new JsonObject
            {
                ["address_line1"] = "1199 Coleman Ave",
                ["city"] = "San Jose",
                ["contact_person"] = "Warehouse team",
                ["full_address"] = "1199 Coleman Ave, San Jose, CA 95110",
                ["phone_number"] = "(+1)408-555-0100",
                ["postal_code"] = "95110",
                ["region"] = "United States",
                ["region_code"] = "US",
                ["state"] = "California",
            },
            ["effect_status"] = "ENABLED",
            ["id"] = DefaultWarehouseId,
            ["is_default"] = true,
            ["name"] = "Main warehouse",
            ["sub_type"] = "DOMESTIC_WAREHOUSE",
            ["type"] = "SALES_WAREHOUSE",
        });
        lock (_gate)
        {
            // Warehouses added with AddWarehouse (products keep stock per warehouse).
            foreach (var (id, name) in _warehouses.GetValueOrDefault(call.Shop.ShopId) ?? [])
            {
                warehouses.Add(new JsonObject
                {
                    ["address"] = new JsonObject { ["full_address"] = "Sandbox warehouse " + name, ["region_code"] = "US" },
                    ["effect_status"] = "ENABLED",
                    ["id"] = id,
                    ["is_default"] = false,
                    ["name"] = name,
                    ["sub_type"] = "DOMESTIC_WAREHOUSE",
                    ["type"] = "SALES_WAREHOUSE",
                });
            }
        }

        return ApiResult.Ok(new JsonObject { ["warehouses"] = warehouses });
    }

    private async Task<ApiResult> GetDeliveryOptionsAsync(ApiCall call, CancellationToken cancellationToken)
    {
        if (call.Route["warehouse_id"] != DefaultWarehouseId)
        {
            return Error(400, 36009004, "param warehouse_id is invalid");
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        return ApiResult.Ok(new JsonObject
        {
            ["delivery_options"] = new JsonArray(new JsonObject
            {
                ["description"] = "Delivered in 3-7 business days",
                ["id"] = DefaultDeliveryOptionId,
                ["name"] = "Standard Shipping",
                ["type"] = "STANDARD",
            }),
        });
    }

    private async Task<ApiResult> GetShippingProvidersAsync(ApiCall call, CancellationToken cancellationToken)
    {
        if (call.Route["delivery_option_id"] != DefaultDeliveryOptionId)
        {
            return Error(400, 36009004, "param delivery_option_id is invalid");
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        var providers = new JsonArray();
        foreach (var p in ShippingProviders)
        {
            providers.Add(new JsonObject { ["id"] = p.Id, ["name"] = p.Name });
        }

        return ApiResult.Ok(new JsonObject { ["shipping_providers"] = providers });
    }

    // ---------------------------------------------------------------- POST /return_refund/202309/cancellations (§6.2)

    /// <summary>
    /// CancelOrder: the reason key must fit the status (UNPAID: seller_cancel_unpaid_reason_*; ON_HOLD/AWAITING_SHIPMENT:
    /// seller_cancel_reason_* / seller_cancel_paid_reason_*; UK keys end in _uk), else 25001021. A subset of
    /// order_line_item_ids cancels only those lines (US/UK out-of-stock partial cancellation).
    /// </summary>
    private async Task<ApiResult> CancelOrderAsync(ApiCall call, CancellationToken cancellationToken)
    {
        string orderId, reasonKey;
        List<string>? lineIds;
        List<(string SkuId, int Quantity)>? skus;
        try
        {
            // Every field's type first (so a wrong type is named whatever else is missing), then the required ones.
            var body = ObjectBody(call.Body);
            String(body, "order_id");
            String(body, "cancel_reason");
            lineIds = StringArray(body, "order_line_item_ids");
            skus = SkuQuantities(body);
            orderId = RequiredString(body, "order_id");
            reasonKey = RequiredString(body, "cancel_reason");
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            if (!_orders.TryGetValue(orderId, out var order) || order.ShopId != call.Shop.ShopId)
            {
                return new ApiResult(200, 21008111, MsgNotOwner, new JsonObject());
            }

            var key = reasonKey.EndsWith("_uk", StringComparison.Ordinal) ? reasonKey[..^3] : reasonKey;
            var reasons = order.Status switch
            {
                TikTokOrderStatus.Unpaid => UnpaidCancelReasons,
                TikTokOrderStatus.OnHold or TikTokOrderStatus.AwaitingShipment => PaidCancelReasons,
                _ => null,
            };
            if (reasons is null || !reasons.TryGetValue(key, out var reasonText))
            {
                return new ApiResult(200, 25001021, MsgReasonNotMatch, new JsonObject());
            }

            var open = order.LineItems.Where(l => l.CancelUser is null).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
            if (skus is { Count: > 0 })
            {
                // skus[] {sku_id, quantity}: that many not yet cancelled units (line items) of the SKU.
                lineIds = [.. lineIds ?? []];
                foreach (var (skuId, quantity) in skus)
                {
                    var units = order.LineItems.Where(l => l.CancelUser is null && l.SkuId == skuId && !lineIds.Contains(l.Id)).Take(quantity).Select(l => l.Id).ToList();
                    if (units.Count < quantity)
                    {
                        return Error(400, 36009004, "param body.skus is invalid");
                    }

                    lineIds.AddRange(units);
                }
            }

            if (lineIds is { Count: > 0 } && !lineIds.All(open.Contains))
            {
                return Error(400, 36009004, "param body.order_line_item_ids is invalid");
            }

            var now = Now();
            var cancelId = _ids.Digits("40", 19);
            SimOrder updated;
            if (lineIds is { Count: > 0 } && lineIds.Count < open.Count)
            {
                var partial = lineIds.ToHashSet(StringComparer.Ordinal);
                var lines = order.LineItems
                    .Select(l => partial.Contains(l.Id) ? l with { CancelUser = "SELLER", CancelReason = reasonText, DisplayStatus = TikTokOrderStatus.Cancelled } : l)
                    .ToList();
                updated = order with { LineItems = lines, UpdateTime = NextUpdateTime(order) };
                _orders[orderId] = updated;
            }
            else
            {
                var updateTime = NextUpdateTime(order);
                updated = ApplyStatus(order, TikTokOrderStatus.Cancelled, updateTime, "SELLER", reasonText) with { UpdateTime = updateTime };
                _orders[orderId] = updated;
                PublishStatusChange(updated);
                ResolvePendingCancellationsLocked(orderId);
            }

            PublishCancellation(RecordSellerCancellation(order, cancelId, reasonKey, reasonText, lineIds, now));
            return ApiResult.Ok(new JsonObject { ["cancel_id"] = cancelId, ["cancel_status"] = "CANCELLATION_REQUEST_SUCCESS" });
        }
    }

    // ---------------------------------------------------------------- body helpers

    private static JsonElement ObjectBody(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new ParamException("invalid param error");
        }
        catch (JsonException)
        {
            throw new ParamException("invalid param error");
        }
    }

    private static string RequiredString(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new ParamException($"param body.{name} is missing");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ParamException($"param {name} type invalid,actual type is:{TypeName(value)},expected type is:string");
        }

        var text = value.GetString()!;
        return text.Length > 0 ? text : throw new ParamException($"param body.{name} is missing");
    }

    /// <summary>A provider of the default delivery option (or TT Virtual express), else 36009004 as §6.1 asks for unknown ids.</summary>
    private static ShippingProvider Provider(string providerId)
    {
        var provider = ShippingProviders.Concat([TikTokVirtualExpress]).FirstOrDefault(p => p.Id == providerId);
        return provider.Id is null ? throw new ParamException("param body.shipping_provider_id is invalid") : provider;
    }

    /// <summary>CancelOrder skus[] {sku_id string, quantity integer ≥ 1}.</summary>
    private static List<(string SkuId, int Quantity)>? SkuQuantities(JsonElement body)
    {
        if (!body.TryGetProperty("skus", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
        {
            throw new ParamException($"param skus type invalid,actual type is:{TypeName(value)},expected type is:[]object");
        }

        var skus = new List<(string, int)>();
        foreach (var sku in value.EnumerateArray())
        {
            String(sku, "sku_id");
            var quantity = Int64(sku, "quantity");
            var skuId = RequiredString(sku, "sku_id");
            if (quantity is not { } q || q < 1 || q > int.MaxValue)
            {
                throw new ParamException("param body.skus.quantity is invalid");
            }

            skus.Add((skuId, (int)q));
        }

        return skus;
    }

    private static List<string>? StringArray(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new ParamException($"param {name} type invalid,actual type is:{TypeName(value)},expected type is:[]string");
        }

        return [.. value.EnumerateArray().Select(e => e.GetString()!)];
    }
}
