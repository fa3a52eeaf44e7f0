using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// §6.2 buyer cancellation requests (return_refund.json): SearchCancellations, ApproveCancellation, RejectCancellation and
/// GetRejectReasons, plus the control-plane side (the buyer asks). Seller cancellations (CancelOrder) are listed too.
/// </summary>
public sealed partial class TikTokSimulator
{
    internal const string MsgReverseStatusNotAllowed = "The current status of the cancellation or return does not support this operation.";

    private static readonly HashSet<string> CancelStatuses = new(StringComparer.Ordinal)
    {
        "CANCELLATION_REQUEST_PENDING", "CANCELLATION_REQUEST_SUCCESS", "CANCELLATION_REQUEST_CANCEL", "CANCELLATION_REQUEST_COMPLETE",
    };

    private static readonly HashSet<string> CancelTypes = new(StringComparer.Ordinal) { "CANCEL", "BUYER_CANCEL" };

    /// <summary>§6.2 "Seller reject-cancel keys (US)" [OFFICIAL] CancelReasonsDoc → text.</summary>
    internal static readonly IReadOnlyDictionary<string, string> CancelRejectReasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ecom_reverse_reject_refund_request_package_delivery_multiple_boxes"] = "Package delivered in multiple boxes",
        ["seller_reject_apply_unable_to_change_address"] = "Unable to change the address",
        ["ecom_reverse_reject_cancel_reason_product_packed"] = "Product has been packed",
    };

    /// <summary>§6.2 buyer keys (US, ON_HOLD/AWAITING_SHIPMENT) → text; the first is the default of a buyer request.</summary>
    internal static readonly IReadOnlyDictionary<string, string> BuyerCancelReasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ecom_order_to_ship_canceled_reason_no_longer_needed"] = "No longer needed",
        ["ecom_order_to_ship_canceled_reason_created_by_mistakes"] = "Order created by mistake",
        ["ecom_order_to_ship_canceled_reason_better_price"] = "Found a better price",
        ["ecom_order_to_ship_canceled_reason_wrong_delivery_info"] = "Wrong delivery information",
        ["ecom_order_to_ship_canceled_reason_not_shipped_on_time"] = "Not shipped on time",
    };

    private readonly Dictionary<string, SimCancellation> _cancellations = new(StringComparer.Ordinal);

    /// <summary>
    /// The buyer asks to cancel (§6.2). In UNPAID and ON_HOLD the buyer cancels without the seller (§5.1 ON_HOLD: "The
    /// buyer may still cancel without the seller's approval"): the order is CANCELLED at once and the cancellation is
    /// CANCELLATION_REQUEST_SUCCESS. From AWAITING_SHIPMENT to AWAITING_COLLECTION the request is
    /// CANCELLATION_REQUEST_PENDING with a SELLER_RESPOND_CANCEL deadline (<see cref="TikTokSimulatorOptions.CancellationResponseWindow"/>);
    /// the order gets is_buyer_request_cancel. Later statuses throw (a shipped order takes a return). Sends
    /// CANCELLATION_STATUS_CHANGE (type 11). <paramref name="reason"/> is a §6.2 buyer key. Returns the cancel_id.
    /// </summary>
    public string RequestBuyerCancellation(string orderId, string? reason = null)
    {
        reason ??= BuyerCancelReasons.Keys.First();
        if (!BuyerCancelReasons.TryGetValue(reason, out var reasonText))
        {
            throw new ArgumentException($"Unknown buyer cancel reason '{reason}' (§6.2).", nameof(reason));
        }

        lock (_gate)
        {
            var order = Order(orderId);
            if (_cancellations.Values.Any(c => c.OrderId == orderId && c.Status == "CANCELLATION_REQUEST_PENDING"))
            {
                throw new InvalidOperationException($"Order {orderId} already has a pending cancellation request.");
            }

            var immediate = order.Status is TikTokOrderStatus.Unpaid or TikTokOrderStatus.OnHold;
            if (!immediate && order.Status is not (TikTokOrderStatus.AwaitingShipment or TikTokOrderStatus.PartiallyShipping or TikTokOrderStatus.AwaitingCollection))
            {
                throw new InvalidOperationException($"Order {orderId} is {order.Status}; a buyer cancellation can be requested only before the carrier has it (§6.2).");
            }

            var now = Now();
            var cancellation = new SimCancellation
            {
                CancelId = _ids.Digits("40", 19),
                OrderId = orderId,
                ShopId = order.ShopId,
                CancelType = "BUYER_CANCEL",
                Role = "BUYER",
                Status = immediate ? "CANCELLATION_REQUEST_SUCCESS" : "CANCELLATION_REQUEST_PENDING",
                Reason = reason,
                ReasonText = reasonText,
                CreateTime = now,
                UpdateTime = now,
                Deadline = immediate ? null : now + (long)_options.CancellationResponseWindow.TotalSeconds,
                Lines = CancelLines(order, null),
            };
            _cancellations.Add(cancellation.CancelId, cancellation);
            if (immediate)
            {
                var updateTime = NextUpdateTime(order);
                var cancelled = ApplyStatus(order, TikTokOrderStatus.Cancelled, updateTime, "BUYER", reasonText) with { UpdateTime = updateTime };
                _orders[orderId] = cancelled;
                PublishStatusChange(cancelled);
            }
            else
            {
                _orders[orderId] = order with { IsBuyerRequestCancel = true, RequestCancelTime = now, UpdateTime = NextUpdateTime(order) };
            }

            PublishCancellation(cancellation);
            PublishReverse(cancellation.OrderId, cancellation.CancelId, immediate ? 51 : 1, "ORDER_REQUEST_CANCEL", 4, now);
            return cancellation.CancelId;
        }
    }

    public SimCancellation GetCancellation(string cancelId)
    {
        lock (_gate)
        {
            ApplyDeadlinesLocked();
            return _cancellations.TryGetValue(cancelId, out var c) ? c : throw new KeyNotFoundException($"Unknown cancellation {cancelId}.");
        }
    }

    /// <summary>The shop's cancellations (buyer requests and seller cancellations) in creation order.</summary>
    public IReadOnlyList<SimCancellation> GetCancellations(string shopId)
    {
        lock (_gate)
        {
            Shop(shopId);
            ApplyDeadlinesLocked();
            return [.. _cancellations.Values.Where(c => c.ShopId == shopId)];
        }
    }

    /// <summary>
    /// Applies every deadline passed on the simulator clock: a pending buyer cancellation is approved (§6.2: "within 24
    /// hours or auto-approval occurs"), and the return rules of <see cref="CreateReturn"/>. Also runs before each
    /// return_refund operation and control-plane read.
    /// </summary>
    public void ApplyDeadlines()
    {
        lock (_gate)
        {
            ApplyDeadlinesLocked();
        }
    }

    private void ApplyDeadlinesLocked()
    {
        var now = Now();
        foreach (var c in _cancellations.Values.Where(c => c.Status == "CANCELLATION_REQUEST_PENDING" && c.Deadline < now).ToList())
        {
            ApproveCancellationLocked(c);
        }

        ApplyReturnDeadlinesLocked(now);
    }

    /// <summary>
    /// [INFERENCE] An order cancelled another way (seller CancelOrder, the platform) settles the buyer's pending request: it
    /// becomes CANCELLATION_REQUEST_SUCCESS (the buyer got the cancellation), so it can no longer be approved or rejected.
    /// </summary>
    private void ResolvePendingCancellationsLocked(string orderId)
    {
        foreach (var c in _cancellations.Values.Where(c => c.OrderId == orderId && c.Status == "CANCELLATION_REQUEST_PENDING").ToList())
        {
            var updated = c with { Status = "CANCELLATION_REQUEST_SUCCESS", UpdateTime = Math.Max(Now(), c.UpdateTime), Deadline = null };
            _cancellations[c.CancelId] = updated;
            PublishCancellation(updated);
        }
    }

    /// <summary>Records a seller CancelOrder (type CANCEL, role SELLER, CANCELLATION_REQUEST_SUCCESS) so SearchCancellations lists it.</summary>
    private SimCancellation RecordSellerCancellation(SimOrder order, string cancelId, string reason, string reasonText, IReadOnlyCollection<string>? lineIds, long now)
    {
        var cancellation = new SimCancellation
        {
            CancelId = cancelId,
            OrderId = order.Id,
            ShopId = order.ShopId,
            CancelType = "CANCEL",
            Role = "SELLER",
            Status = "CANCELLATION_REQUEST_SUCCESS",
            Reason = reason,
            ReasonText = reasonText,
            CreateTime = now,
            UpdateTime = now,
            Lines = CancelLines(order, lineIds),
        };
        _cancellations[cancelId] = cancellation;
        return cancellation;
    }

    private List<SimCancelLine> CancelLines(SimOrder order, IReadOnlyCollection<string>? lineIds) =>
    [
        .. order.LineItems
            .Where(l => l.CancelUser is null && (lineIds is not { Count: > 0 } || lineIds.Contains(l.Id)))
            .Select(l => new SimCancelLine(_ids.Digits("41", 19), l.Id)),
    ];

    /// <summary>Type 11 with the fields of the official sample (SKIT CancellationStatusChangeEvent.json, §7.3): no update_time.</summary>
    private void PublishCancellation(SimCancellation c) =>
        PublishLocked(11, c.ShopId, new JsonObject
        {
            ["order_id"] = c.OrderId,
            ["cancellations_role"] = c.Role,
            ["cancel_status"] = c.Status,
            ["cancel_id"] = c.CancelId,
            ["create_time"] = c.CreateTime,
        });

    /// <summary>
    /// Type 2 REVERSE_STATUS_UPDATE (§7.3, [COMMUNITY] field names and enums), only with
    /// <see cref="TikTokSimulatorOptions.SendReverseStatusUpdates"/>: reverse_order_status 1 = request pending, 50
    /// AFTERSALE_SUCCESS, 51 CANCEL_SUCCESS, 99 CLOSED, 100 COMPLETE; reverse_type 1 CANCEL, 2 REFUND_ONLY,
    /// 3 RETURN_AND_REFUND, 4 REQUEST_CANCEL.
    /// </summary>
    private void PublishReverse(string orderId, string reverseOrderId, int reverseStatus, string eventType, int reverseType, long updateTime)
    {
        if (!_options.SendReverseStatusUpdates)
        {
            return;
        }

        PublishLocked(2, _orders[orderId].ShopId, new JsonObject
        {
            ["order_id"] = orderId,
            ["reverse_order_id"] = reverseOrderId,
            ["reverse_order_status"] = reverseStatus,
            ["reverse_event_type"] = eventType,
            ["reverse_type"] = reverseType,
            ["update_time"] = updateTime,
        });
    }

    private void ApproveCancellationLocked(SimCancellation c)
    {
        var now = Now();
        var order = _orders[c.OrderId];
        var updated = c with { Status = "CANCELLATION_REQUEST_SUCCESS", UpdateTime = Math.Max(now, c.UpdateTime), Deadline = null };
        _cancellations[c.CancelId] = updated;
        if (!TikTokOrderStatus.IsTerminal(order.Status))
        {
            var updateTime = NextUpdateTime(order);
            var cancelled = ApplyStatus(order, TikTokOrderStatus.Cancelled, updateTime, "BUYER", c.ReasonText) with { UpdateTime = updateTime, IsBuyerRequestCancel = false };
            _orders[c.OrderId] = cancelled;
            PublishStatusChange(cancelled);
        }

        PublishCancellation(updated);
        PublishReverse(c.OrderId, c.CancelId, 51, "ORDER_REQUEST_CANCEL", 4, now);
    }

    // ---------------------------------------------------------------- POST /return_refund/202309/cancellations/search

    private async Task<ApiResult> SearchCancellationsAsync(ApiCall call, CancellationToken cancellationToken)
    {
        int pageSize, offset;
        (bool ByUpdate, bool Descending) sort;
        List<string>? orderIds, cancelIds, statuses, types, buyers;
        long? createGe, createLt, updateGe, updateLt;
        var filterKey = Encoding.UTF8.GetString(call.Body) + call.Query.GetValueOrDefault("sort_field") + call.Query.GetValueOrDefault("sort_order");
        try
        {
            var body = ObjectBody(call.Body);
            orderIds = StringArray(body, "order_ids");
            cancelIds = StringArray(body, "cancel_ids");
            statuses = EnumArray(body, "cancel_status", CancelStatuses);
            types = EnumArray(body, "cancel_types", CancelTypes);
            buyers = StringArray(body, "buyer_user_ids");
            createGe = Int64(body, "create_time_ge");
            createLt = Int64(body, "create_time_lt");
            updateGe = Int64(body, "update_time_ge");
            updateLt = Int64(body, "update_time_lt");
            String(body, "locale");
            sort = SortOf(call);

            // OAS: page_size "Default: 10. Valid range: [1-50]".
            (pageSize, offset) = Paging(call, 1, 50, 10, "cancellations", filterKey);
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
            ApplyDeadlinesLocked();
            var matches = _cancellations.Values
                .Where(c => c.ShopId == call.Shop.ShopId)
                .Where(c => orderIds is not { Count: > 0 } || orderIds.Contains(c.OrderId))
                .Where(c => cancelIds is not { Count: > 0 } || cancelIds.Contains(c.CancelId))
                .Where(c => statuses is not { Count: > 0 } || statuses.Contains(c.Status))
                .Where(c => types is not { Count: > 0 } || types.Contains(c.CancelType))
                .Where(c => buyers is not { Count: > 0 } || buyers.Contains(_orders[c.OrderId].UserId))
                .Where(c => (createGe is null || c.CreateTime >= createGe) && (createLt is null || c.CreateTime < createLt))
                .Where(c => (updateGe is null || c.UpdateTime >= updateGe) && (updateLt is null || c.UpdateTime < updateLt));
            var ordered = Sorted(matches, c => sort.ByUpdate ? c.UpdateTime : c.CreateTime, sort.Descending);
            var page = new JsonArray();
            foreach (var c in ordered.Skip(offset).Take(pageSize))
            {
                page.Add(CancellationJson(c));
            }

            var next = offset + pageSize;
            return ApiResult.Ok(new JsonObject
            {
                ["cancellations"] = page,
                ["next_page_token"] = next < ordered.Count ? WriteListToken("cancellations", filterKey, next) : "",
                ["total_count"] = ordered.Count,
            });
        }
    }

    private static List<T> Sorted<T>(IEnumerable<T> items, Func<T, long> key, bool descending) =>
        descending ? [.. items.OrderByDescending(key)] : [.. items.OrderBy(key)];

    private JsonObject CancellationJson(SimCancellation c)
    {
        var order = _orders[c.OrderId];
        var byLine = order.LineItems.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var lines = new JsonArray();
        decimal subtotal = 0, tax = 0;
        foreach (var cl in c.Lines)
        {
            var l = byLine[cl.OrderLineItemId];
            subtotal += l.SalePrice;
            tax += l.TaxAmount;
            lines.Add(new JsonObject
            {
                ["cancel_line_item_id"] = cl.CancelLineItemId,
                ["order_line_item_id"] = l.Id,
                ["product_image"] = new JsonObject { ["height"] = 200, ["url"] = l.SkuImage, ["width"] = 200 },
                ["product_name"] = l.ProductName,
                ["refund_amount"] = RefundJson(order.Currency, l.SalePrice, l.TaxAmount, 0),
                ["seller_sku"] = l.SellerSku,
                ["sku_id"] = l.SkuId,
                ["sku_name"] = l.SkuName,
            });
        }

        // The shipping fee goes back only when the whole order is cancelled.
        var shipping = c.Lines.Count == order.LineItems.Count ? order.Payment.ShippingFee : 0;
        var o = new JsonObject
        {
            ["cancel_id"] = c.CancelId,
            ["cancel_line_items"] = lines,
            ["cancel_reason"] = c.Reason,
            ["cancel_reason_text"] = c.ReasonText,
            ["cancel_status"] = c.Status,
            ["cancel_type"] = c.CancelType,
            ["create_time"] = c.CreateTime,
            ["order_id"] = c.OrderId,
            ["refund_amount"] = RefundJson(order.Currency, subtotal, tax, shipping),
            ["role"] = c.Role,
        };
        if (c.Status == "CANCELLATION_REQUEST_PENDING" && c.Deadline is { } deadline)
        {
            o["seller_next_action_response"] = new JsonArray(new JsonObject { ["action"] = "SELLER_RESPOND_CANCEL", ["deadline"] = deadline });
        }

        o["update_time"] = c.UpdateTime;
        return o;
    }

    private static JsonObject RefundJson(string currency, decimal subtotal, decimal tax, decimal shipping) => new()
    {
        ["currency"] = currency,
        ["refund_shipping_fee"] = SimOrder.Money(shipping),
        ["refund_subtotal"] = SimOrder.Money(subtotal),
        ["refund_tax"] = SimOrder.Money(tax),
        ["refund_total"] = SimOrder.Money(subtotal + tax + shipping),
    };

    // ---------------------------------------------------------------- approve / reject (§6.2)

    private async Task<ApiResult> ApproveCancellationAsync(ApiCall call, CancellationToken cancellationToken)
    {
        string? key;
        try
        {
            key = IdempotencyKey(call);
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        return await AnswerOnceAsync(call, key, OwnCancellation, "cancel_id", c =>
        {
            if (c.Status != "CANCELLATION_REQUEST_PENDING")
            {
                return StatusNotAllowed();
            }

            ApproveCancellationLocked(c);
            return ApiResult.Ok(new JsonObject());
        }, cancellationToken);
    }

    private async Task<ApiResult> RejectCancellationAsync(ApiCall call, CancellationToken cancellationToken)
    {
        string? key, reason, comment;
        try
        {
            key = IdempotencyKey(call);
            var body = ObjectBody(call.Body);
            reason = String(body, "reject_reason");
            comment = String(body, "comment");
            Images(body);

            // GetRejectReasons: "The seller is required to provide a reason when they reject a cancel, refund, or return request."
            if (string.IsNullOrEmpty(reason))
            {
                throw new ParamException("param body.reject_reason is missing");
            }
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        return await AnswerOnceAsync(call, key, OwnCancellation, "cancel_id", c =>
        {
            if (c.Status != "CANCELLATION_REQUEST_PENDING")
            {
                return StatusNotAllowed();
            }

            if (!CancelRejectReasons.ContainsKey(reason))
            {
                return Error(400, 36009004, "param body.reject_reason is invalid");
            }

            var now = Now();
            var updated = c with { Status = "CANCELLATION_REQUEST_CANCEL", UpdateTime = Math.Max(now, c.UpdateTime), Deadline = null, RejectReason = reason, RejectComment = comment };
            _cancellations[c.CancelId] = updated;
            var order = _orders[c.OrderId];
            _orders[c.OrderId] = order with { IsBuyerRequestCancel = false, UpdateTime = NextUpdateTime(order) };
            PublishCancellation(updated);
            PublishReverse(c.OrderId, c.CancelId, 99, "ORDER_REQUEST_CANCEL", 4, now);
            return ApiResult.Ok(new JsonObject());
        }, cancellationToken);
    }

    private SimCancellation? OwnCancellation(ApiCall call) =>
        _cancellations.TryGetValue(call.Route["cancel_id"], out var c) && c.ShopId == call.Shop.ShopId ? c : null;

    /// <summary>Optional images[] {image_id string, mime_type string, height int, width int} (reject bodies).</summary>
    private static void Images(JsonElement body)
    {
        if (!body.TryGetProperty("images", out var images) || images.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (images.ValueKind != JsonValueKind.Array)
        {
            throw new ParamException($"param images type invalid,actual type is:{TypeName(images)},expected type is:[]object");
        }

        foreach (var image in images.EnumerateArray())
        {
            if (image.ValueKind != JsonValueKind.Object)
            {
                throw new ParamException($"param images type invalid,actual type is:{TypeName(image)},expected type is:object");
            }

            String(image, "image_id");
            String(image, "mime_type");
            Int64(image, "height");
            Int64(image, "width");
        }
    }

    // ---------------------------------------------------------------- GET /return_refund/202309/reject_reasons

    private async Task<ApiResult> GetRejectReasonsAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var id = call.Query.GetValueOrDefault("return_or_cancel_id");
        if (string.IsNullOrEmpty(id))
        {
            return Error(400, 36009004, "param return_or_cancel_id is missing");
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            ApplyDeadlinesLocked();
            IReadOnlyDictionary<string, string>? reasons = null;
            if (_cancellations.TryGetValue(id, out var c) && c.ShopId == call.Shop.ShopId)
            {
                reasons = CancelRejectReasons;
            }
            else if (_returns.TryGetValue(id, out var r) && r.ShopId == call.Shop.ShopId)
            {
                reasons = ReturnRejectReasonsFor(r);
            }

            if (reasons is null)
            {
                return Error(400, 36009004, "param return_or_cancel_id is invalid");
            }

            var list = new JsonArray();
            foreach (var (name, text) in reasons)
            {
                list.Add(new JsonObject { ["name"] = name, ["text"] = text });
            }

            return ApiResult.Ok(new JsonObject { ["reasons"] = list });
        }
    }
}
