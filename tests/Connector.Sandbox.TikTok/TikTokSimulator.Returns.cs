using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// Returns and refunds (return_refund.json): SearchReturns, GetReturnRecords, ApproveReturn, RejectReturn, plus the
/// control-plane side (the buyer asks, ships the item back, the refund completes). Status names and decisions are the
/// OAS enums; which decision fits which status is the OAS description of each status.
/// </summary>
public sealed partial class TikTokSimulator
{
    internal const string Pending = "RETURN_OR_REFUND_REQUEST_PENDING";
    internal const string AwaitingBuyerShip = "AWAITING_BUYER_SHIP";
    internal const string BuyerShipped = "BUYER_SHIPPED_ITEM";
    internal const string ReturnSuccess = "RETURN_OR_REFUND_REQUEST_SUCCESS";
    internal const string ReturnComplete = "RETURN_OR_REFUND_REQUEST_COMPLETE";
    internal const string ReturnRejected = "REFUND_OR_RETURN_REQUEST_REJECT";
    internal const string ReturnCancelled = "RETURN_OR_REFUND_REQUEST_CANCEL";
    internal const string ReplacementPending = "REPLACEMENT_REQUEST_PENDING";

    private static readonly HashSet<string> ReturnTypes = new(StringComparer.Ordinal) { "REFUND", "RETURN_AND_REFUND", "REPLACEMENT" };

    private static readonly HashSet<string> ReturnStatuses = new(StringComparer.Ordinal)
    {
        Pending, ReturnRejected, AwaitingBuyerShip, BuyerShipped, "REJECT_RECEIVE_PACKAGE", ReturnSuccess, ReturnCancelled, ReturnComplete,
        ReplacementPending, "REPLACEMENT_REQUEST_REJECT", "REPLACEMENT_REQUEST_REFUND_SUCCESS", "REPLACEMENT_REQUEST_CANCEL",
        "REPLACEMENT_REQUEST_COMPLETE", "AWAITING_BUYER_RESPONSE",
    };

    private static readonly HashSet<string> ApproveDecisions = new(StringComparer.Ordinal)
    {
        "APPROVE_REFUND", "APPROVE_RETURN", "APPROVE_RECEIVED_PACKAGE", "APPROVE_REPLACEMENT", "ISSUE_REPLACEMENT_REFUND", "OFFER_PARTIAL_REFUND",
    };

    private static readonly HashSet<string> RejectDecisions = new(StringComparer.Ordinal) { "REJECT_REFUND", "REJECT_RETURN", "REJECT_RECEIVED_PACKAGE", "REJECT_REPLACEMENT" };

    /// <summary>[INFERENCE] The reference lists no return reject keys; the simulator's, per step.</summary>
    internal static readonly IReadOnlyDictionary<string, string> ReturnRequestRejectReasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["seller_reject_apply_buyer_misused_product"] = "Buyer misused the product",
        ["seller_reject_apply_no_evidence_provided"] = "Buyer provided no evidence",
        ["seller_reject_apply_outside_return_window"] = "Request is outside the return window",
    };

    internal static readonly IReadOnlyDictionary<string, string> ReceivedPackageRejectReasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["seller_reject_receive_package_wrong_item_returned"] = "Returned item is not the original item",
        ["seller_reject_receive_package_item_damaged"] = "Returned item is damaged",
    };

    private readonly Dictionary<string, SimReturn> _returns = new(StringComparer.Ordinal);

    /// <summary>
    /// The buyer asks for a return, refund or replacement. Allowed while the order is IN_TRANSIT or DELIVERED (before,
    /// a buyer cancels instead; §5.1 COMPLETED: "no further returns or refunds are allowed"), for shipped, not cancelled
    /// lines not already in an open or refunded return. Status RETURN_OR_REFUND_REQUEST_PENDING (REPLACEMENT_REQUEST_PENDING
    /// for REPLACEMENT) with the seller's next action (SELLER_RESPOND_REFUND/_RETURN/_REPLACEMENT) due within
    /// <see cref="TikTokSimulatorOptions.ReturnResponseWindow"/>; sends RETURN_STATUS_CHANGE (type 12).
    /// Deadlines (<see cref="ApplyDeadlines"/>): a pending request the seller leaves unanswered is approved [INFERENCE]; an
    /// AWAITING_BUYER_SHIP return the buyer does not ship within <see cref="TikTokSimulatorOptions.ReturnShipWindow"/> is
    /// closed (RETURN_OR_REFUND_REQUEST_CANCEL, OAS AWAITING_BUYER_SHIP); a BUYER_SHIPPED_ITEM return the seller does not
    /// answer within <see cref="TikTokSimulatorOptions.ReturnResponseWindow"/> is refunded [INFERENCE].
    /// </summary>
    public SimReturn CreateReturn(string orderId, SimReturnSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!ReturnTypes.Contains(spec.ReturnType))
        {
            throw new ArgumentException($"Unknown return type '{spec.ReturnType}' (REFUND, RETURN_AND_REFUND, REPLACEMENT).", nameof(spec));
        }

        lock (_gate)
        {
            var order = Order(orderId);
            if (order.Status is not (TikTokOrderStatus.InTransit or TikTokOrderStatus.Delivered))
            {
                throw new InvalidOperationException($"Order {orderId} is {order.Status}; returns are requested once it is IN_TRANSIT or DELIVERED (COMPLETED allows none).");
            }

            var busy = _returns.Values
                .Where(r => r.OrderId == orderId && r.Status is not (ReturnRejected or ReturnCancelled or "REPLACEMENT_REQUEST_REJECT" or "REPLACEMENT_REQUEST_CANCEL"))
                .SelectMany(r => r.Lines.Select(l => l.OrderLineItemId))
                .ToHashSet(StringComparer.Ordinal);
            var eligible = order.LineItems.Where(l => l.CancelUser is null && l.PackageId is not null && !busy.Contains(l.Id)).ToList();
            var chosen = spec.LineItemIds is { Count: > 0 } ids ? eligible.Where(l => ids.Contains(l.Id)).ToList() : eligible;
            if (chosen.Count == 0 || (spec.LineItemIds is { Count: > 0 } && chosen.Count != spec.LineItemIds.Distinct().Count()))
            {
                throw new InvalidOperationException($"Order {orderId}: no such shipped line without an open return.");
            }

            var now = Now();
            var replacement = spec.ReturnType == "REPLACEMENT";
            var r = new SimReturn
            {
                ReturnId = _ids.Digits("40", 19),
                OrderId = orderId,
                ShopId = order.ShopId,
                ReturnType = spec.ReturnType,
                Role = "BUYER",
                Status = replacement ? ReplacementPending : Pending,
                Reason = spec.Reason,
                ReasonText = spec.ReasonText,
                Currency = order.Currency,
                CreateTime = now,
                UpdateTime = now,
                NextAction = spec.ReturnType switch
                {
                    "REFUND" => "SELLER_RESPOND_REFUND",
                    "REPLACEMENT" => "SELLER_RESPOND_REPLACEMENT",
                    _ => "SELLER_RESPOND_RETURN",
                },
                Deadline = now + (long)_options.ReturnResponseWindow.TotalSeconds,
                Lines =
                [
                    .. chosen.Select(l => new SimReturnLine
                    {
                        ReturnLineItemId = _ids.Digits("42", 19),
                        OrderLineItemId = l.Id,
                        SkuId = l.SkuId,
                        SellerSku = l.SellerSku,
                        ProductName = l.ProductName,
                        SkuName = l.SkuName,
                        RefundSubtotal = l.SalePrice,
                        RefundTax = l.TaxAmount,
                    }),
                ],
                RefundShippingFee = spec.RefundShipping ? order.Payment.ShippingFee : 0,
                Records = [new SimReturnRecord(now, "BUYER", "Buyer requested a " + spec.ReturnType.ToLowerInvariant().Replace('_', ' '), spec.ReasonText, null)],
            };
            _returns.Add(r.ReturnId, r);
            PublishReturn(r);
            PublishReverse(orderId, r.ReturnId, 1, spec.ReturnType == "REFUND" ? "ORDER_REFUND" : "ORDER_RETURN", spec.ReturnType == "REFUND" ? 2 : 3, now);
            return r;
        }
    }

    /// <summary>The buyer ships the items back: AWAITING_BUYER_SHIP → BUYER_SHIPPED_ITEM (next action SELLER_RESPOND_RECEIVE_PACKAGE).</summary>
    public SimReturn ShipReturn(string returnId, string? trackingNumber = null, string providerName = "USPS")
    {
        lock (_gate)
        {
            var r = Return(returnId);
            Require(r, AwaitingBuyerShip);
            return MoveReturn(r, BuyerShipped, "BUYER", "Buyer shipped the item", null, "SELLER_RESPOND_RECEIVE_PACKAGE", _options.ReturnResponseWindow,
                tracking: trackingNumber ?? _ids.TrackingNumber(), provider: providerName);
        }
    }

    /// <summary>The refund reaches the buyer: RETURN_OR_REFUND_REQUEST_SUCCESS → RETURN_OR_REFUND_REQUEST_COMPLETE.</summary>
    public SimReturn CompleteRefund(string returnId)
    {
        lock (_gate)
        {
            var r = Return(returnId);
            Require(r, ReturnSuccess);
            return MoveReturn(r, ReturnComplete, "SYSTEM", "Refund completed", null, null, null);
        }
    }

    /// <summary>
    /// The seller answers in Seller Center rather than through the API (the demo's history): a pending refund → SUCCESS, a
    /// pending return → AWAITING_BUYER_SHIP, a shipped-back item → SUCCESS, as ApproveReturn's decisions do.
    /// </summary>
    public SimReturn ApproveReturnInSellerCenter(string returnId)
    {
        lock (_gate)
        {
            var r = Return(returnId);
            return (r.Status, r.ReturnType) switch
            {
                (Pending, "REFUND") => MoveReturn(r, ReturnSuccess, "SELLER", "Seller approved the refund", null, null, null),
                (Pending, "RETURN_AND_REFUND") => MoveReturn(r, AwaitingBuyerShip, "SELLER", "Seller approved the return", null, null, _options.ReturnShipWindow),
                (BuyerShipped, _) => MoveReturn(r, ReturnSuccess, "SELLER", "Seller received the package", null, null, null),
                _ => throw new InvalidOperationException($"Return {returnId} is {r.Status} ({r.ReturnType}); the seller has nothing to approve."),
            };
        }
    }

    /// <summary>The buyer withdraws a pending or not yet shipped request: → RETURN_OR_REFUND_REQUEST_CANCEL (REPLACEMENT_REQUEST_CANCEL).</summary>
    public SimReturn CancelReturn(string returnId)
    {
        lock (_gate)
        {
            var r = Return(returnId);
            Require(r, Pending, AwaitingBuyerShip, ReplacementPending);
            return MoveReturn(r, r.Status == ReplacementPending ? "REPLACEMENT_REQUEST_CANCEL" : ReturnCancelled, "BUYER", "Buyer cancelled the request", null, null, null);
        }
    }

    public SimReturn GetReturn(string returnId)
    {
        lock (_gate)
        {
            ApplyDeadlinesLocked();
            return Return(returnId);
        }
    }

    public IReadOnlyList<SimReturn> GetReturns(string shopId)
    {
        lock (_gate)
        {
            Shop(shopId);
            ApplyDeadlinesLocked();
            return [.. _returns.Values.Where(r => r.ShopId == shopId)];
        }
    }

    private SimReturn Return(string returnId) =>
        _returns.TryGetValue(returnId, out var r) ? r : throw new KeyNotFoundException($"Unknown return {returnId}.");

    private static void Require(SimReturn r, params string[] statuses)
    {
        if (!statuses.Contains(r.Status))
        {
            throw new InvalidOperationException($"Return {r.ReturnId} is {r.Status}; expected {string.Join(" or ", statuses)}.");
        }
    }

    private SimReturn MoveReturn(SimReturn r, string status, string role, string description, string? note, string? nextAction, TimeSpan? window,
        string? tracking = null, string? provider = null, string? rejectReason = null, string? reasonText = null)
    {
        var now = Now();
        var updated = r with
        {
            Status = status,
            UpdateTime = Math.Max(now, r.UpdateTime + 1),
            NextAction = nextAction,
            Deadline = window is { } w ? now + (long)w.TotalSeconds : null,
            ReturnTrackingNumber = tracking ?? r.ReturnTrackingNumber,
            ReturnProviderName = provider ?? r.ReturnProviderName,
            RejectReason = rejectReason ?? r.RejectReason,
            Records = [.. r.Records, new SimReturnRecord(now, role, description, reasonText, note)],
        };
        _returns[r.ReturnId] = updated;
        PublishReturn(updated);
        var reverseStatus = status switch
        {
            ReturnSuccess or "REPLACEMENT_REQUEST_REFUND_SUCCESS" or "REPLACEMENT_REQUEST_COMPLETE" => 50,
            ReturnComplete => 100,
            ReturnRejected or ReturnCancelled or "REJECT_RECEIVE_PACKAGE" or "REPLACEMENT_REQUEST_REJECT" or "REPLACEMENT_REQUEST_CANCEL" => 99,
            _ => 2,
        };
        PublishReverse(r.OrderId, r.ReturnId, reverseStatus, r.ReturnType == "REFUND" ? "ORDER_REFUND" : "ORDER_RETURN", r.ReturnType == "REFUND" ? 2 : 3, updated.UpdateTime);
        return updated;
    }

    private void PublishReturn(SimReturn r) =>
        PublishLocked(12, r.ShopId, new JsonObject
        {
            ["order_id"] = r.OrderId,
            ["return_role"] = r.Role,
            ["return_type"] = r.ReturnType,
            ["return_status"] = r.Status,
            ["return_id"] = r.ReturnId,
            ["create_time"] = r.CreateTime,
            ["update_time"] = r.UpdateTime,
        });

    private void ApplyReturnDeadlinesLocked(long now)
    {
        foreach (var r in _returns.Values.Where(r => r.Deadline < now).ToList())
        {
            switch (r.Status)
            {
                case Pending when r.ReturnType == "REFUND":
                    MoveReturn(r, ReturnSuccess, "SYSTEM", "Refund approved automatically", null, null, null);
                    break;
                case Pending:
                    MoveReturn(r, AwaitingBuyerShip, "SYSTEM", "Return approved automatically", null, null, _options.ReturnShipWindow);
                    break;
                case ReplacementPending:
                    MoveReturn(r, "REPLACEMENT_REQUEST_COMPLETE", "SYSTEM", "Replacement approved automatically", null, null, null);
                    break;
                case AwaitingBuyerShip:
                    MoveReturn(r, ReturnCancelled, "SYSTEM", "Buyer did not ship the item in time", null, null, null);
                    break;
                case BuyerShipped:
                    MoveReturn(r, ReturnSuccess, "SYSTEM", "Package receipt approved automatically", null, null, null);
                    break;
                default:
                    break;
            }
        }
    }

    private static IReadOnlyDictionary<string, string> ReturnRejectReasonsFor(SimReturn r) =>
        r.Status == BuyerShipped ? ReceivedPackageRejectReasons : ReturnRequestRejectReasons;

    // ---------------------------------------------------------------- POST /return_refund/202309/returns/search

    private async Task<ApiResult> SearchReturnsAsync(ApiCall call, CancellationToken cancellationToken)
    {
        int pageSize, offset;
        (bool ByUpdate, bool Descending) sort;
        List<string>? orderIds, returnIds, statuses, types, buyers;
        long? createGe, createLt, updateGe, updateLt;
        var filterKey = Encoding.UTF8.GetString(call.Body) + call.Query.GetValueOrDefault("sort_field") + call.Query.GetValueOrDefault("sort_order");
        try
        {
            var body = ObjectBody(call.Body);
            orderIds = StringArray(body, "order_ids");
            returnIds = StringArray(body, "return_ids");
            statuses = EnumArray(body, "return_status", ReturnStatuses);
            types = EnumArray(body, "return_types", ReturnTypes);
            buyers = StringArray(body, "buyer_user_ids");
            EnumArray(body, "arbitration_status", new HashSet<string>(StringComparer.Ordinal) { "IN_PROGRESS", "SUPPORT_BUYER", "SUPPORT_SELLER", "CLOSED" });
            EnumArray(body, "seller_proposed_return_type", new HashSet<string>(StringComparer.Ordinal) { "PARTIAL_REFUND" });
            createGe = Int64(body, "create_time_ge");
            createLt = Int64(body, "create_time_lt");
            updateGe = Int64(body, "update_time_ge");
            updateLt = Int64(body, "update_time_lt");
            String(body, "locale");
            sort = SortOf(call);

            // OAS: page_size "Default: 10. Valid range: [10-50]".
            (pageSize, offset) = Paging(call, 10, 50, 10, "returns", filterKey);
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
            var matches = _returns.Values
                .Where(r => r.ShopId == call.Shop.ShopId)
                .Where(r => orderIds is not { Count: > 0 } || orderIds.Contains(r.OrderId))
                .Where(r => returnIds is not { Count: > 0 } || returnIds.Contains(r.ReturnId))
                .Where(r => statuses is not { Count: > 0 } || statuses.Contains(r.Status))
                .Where(r => types is not { Count: > 0 } || types.Contains(r.ReturnType))
                .Where(r => buyers is not { Count: > 0 } || buyers.Contains(_orders[r.OrderId].UserId))
                .Where(r => (createGe is null || r.CreateTime >= createGe) && (createLt is null || r.CreateTime < createLt))
                .Where(r => (updateGe is null || r.UpdateTime >= updateGe) && (updateLt is null || r.UpdateTime < updateLt));
            var ordered = Sorted(matches, r => sort.ByUpdate ? r.UpdateTime : r.CreateTime, sort.Descending);
            var page = new JsonArray();
            foreach (var r in ordered.Skip(offset).Take(pageSize))
            {
                page.Add(ReturnJson(r));
            }

            var next = offset + pageSize;
            return ApiResult.Ok(new JsonObject
            {
                ["next_page_token"] = next < ordered.Count ? WriteListToken("returns", filterKey, next) : "",
                ["return_orders"] = page,
                ["total_count"] = ordered.Count,
            });
        }
    }

    private JsonObject ReturnJson(SimReturn r)
    {
        var order = _orders[r.OrderId];
        var images = order.LineItems.ToDictionary(l => l.Id, l => l.SkuImage, StringComparer.Ordinal);
        var lines = new JsonArray();
        foreach (var l in r.Lines)
        {
            lines.Add(new JsonObject
            {
                ["order_line_item_id"] = l.OrderLineItemId,
                ["product_image"] = new JsonObject { ["height"] = 200, ["url"] = images[l.OrderLineItemId], ["width"] = 200 },
                ["product_name"] = l.ProductName,
                ["refund_amount"] = RefundJson(r.Currency, l.RefundSubtotal, l.RefundTax, 0),
                ["return_line_item_id"] = l.ReturnLineItemId,
                ["seller_sku"] = l.SellerSku,
                ["sku_id"] = l.SkuId,
                ["sku_name"] = l.SkuName,
            });
        }

        var o = new JsonObject
        {
            ["can_buyer_keep_item"] = r.ReturnType == "REFUND",
            ["create_time"] = r.CreateTime,
            ["is_combined_return"] = false,
            ["order_id"] = r.OrderId,
            ["refund_amount"] = RefundJson(r.Currency, r.RefundSubtotal, r.RefundTax, r.RefundShippingFee),
            ["return_id"] = r.ReturnId,
            ["return_line_items"] = lines,
            ["return_reason"] = r.Reason,
            ["return_reason_text"] = r.ReasonText,
            ["return_status"] = r.Status,
            ["return_type"] = r.ReturnType,
            ["role"] = r.Role,
            ["update_time"] = r.UpdateTime,
        };
        if (r.ReturnType != "REFUND")
        {
            o["return_method"] = "BUYER_SHIPPED";
        }

        if (r.ReturnTrackingNumber is { } tracking)
        {
            o["return_tracking_number"] = tracking;
            o["return_provider_name"] = r.ReturnProviderName;
        }

        if (r.NextAction is { } action && r.Deadline is { } deadline)
        {
            o["seller_next_action_response"] = new JsonArray(new JsonObject { ["action"] = action, ["deadline"] = deadline });
        }

        return o;
    }

    // ---------------------------------------------------------------- GET /return_refund/202309/returns/{return_id}/records

    private async Task<ApiResult> GetReturnRecordsAsync(ApiCall call, CancellationToken cancellationToken)
    {
        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            ApplyDeadlinesLocked();
            if (OwnReturn(call) is not { } r)
            {
                return Error(400, 36009004, "param return_id is invalid");
            }

            var records = new JsonArray();
            foreach (var record in r.Records)
            {
                var o = new JsonObject
                {
                    ["create_time"] = record.CreateTime,
                    ["description"] = record.Description,
                    ["event"] = "ORDER_RETURN",
                };
                if (record.Note is { } note)
                {
                    o["note"] = note;
                }

                if (record.ReasonText is { } text)
                {
                    o["reason_text"] = text;
                }

                o["role"] = record.Role;
                records.Add(o);
            }

            return ApiResult.Ok(new JsonObject { ["records"] = records });
        }
    }

    private SimReturn? OwnReturn(ApiCall call) =>
        _returns.TryGetValue(call.Route["return_id"], out var r) && r.ShopId == call.Shop.ShopId ? r : null;

    // ---------------------------------------------------------------- approve / reject

    /// <summary>
    /// ApproveReturn: the decision must fit the status and type: APPROVE_REFUND (pending REFUND → SUCCESS),
    /// APPROVE_RETURN (pending RETURN_AND_REFUND → AWAITING_BUYER_SHIP, or SUCCESS with buyer_keep_item),
    /// APPROVE_RECEIVED_PACKAGE (BUYER_SHIPPED_ITEM → SUCCESS), APPROVE_REPLACEMENT / ISSUE_REPLACEMENT_REFUND (pending
    /// REPLACEMENT). Otherwise <see cref="StatusNotAllowedCode"/>. OFFER_PARTIAL_REFUND is not simulated (same code).
    /// </summary>
    private async Task<ApiResult> ApproveReturnAsync(ApiCall call, CancellationToken cancellationToken)
    {
        string? key, decision;
        bool keepItem;
        try
        {
            key = IdempotencyKey(call);
            var body = ObjectBody(call.Body);
            var chosen = EnumString(body, "decision", ApproveDecisions);
            keepItem = Bool(body, "buyer_keep_item") ?? false;
            if (body.TryGetProperty("partial_refund", out var partial) && partial.ValueKind != JsonValueKind.Null)
            {
                if (partial.ValueKind != JsonValueKind.Object)
                {
                    throw new ParamException($"param partial_refund type invalid,actual type is:{TypeName(partial)},expected type is:object");
                }

                String(partial, "amount");
                String(partial, "currency");
            }

            decision = chosen ?? throw new ParamException("param body.decision is missing");
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        return await AnswerOnceAsync(call, key, OwnReturn, "return_id", r =>
        {
            SimReturn? moved = (decision, r.Status, r.ReturnType) switch
            {
                ("APPROVE_REFUND", Pending, "REFUND") => MoveReturn(r, ReturnSuccess, "SELLER", "Seller approved the refund", null, null, null),
                ("APPROVE_RETURN", Pending, "RETURN_AND_REFUND") when keepItem => MoveReturn(r, ReturnSuccess, "SELLER", "Seller approved a returnless refund", null, null, null),
                ("APPROVE_RETURN", Pending, "RETURN_AND_REFUND") => MoveReturn(r, AwaitingBuyerShip, "SELLER", "Seller approved the return", null, null, _options.ReturnShipWindow),
                ("APPROVE_RECEIVED_PACKAGE", BuyerShipped, _) => MoveReturn(r, ReturnSuccess, "SELLER", "Seller received the package", null, null, null),
                ("APPROVE_REPLACEMENT", ReplacementPending, _) => MoveReturn(r, "REPLACEMENT_REQUEST_COMPLETE", "SELLER", "Seller approved the replacement", null, null, null),
                ("ISSUE_REPLACEMENT_REFUND", ReplacementPending, _) => MoveReturn(r, "REPLACEMENT_REQUEST_REFUND_SUCCESS", "SELLER", "Seller refunded instead of replacing", null, null, null),
                _ => null,
            };
            return moved is null
                ? StatusNotAllowed()
                : ApiResult.Ok(new JsonObject());
        }, cancellationToken);
    }

    /// <summary>
    /// RejectReturn: REJECT_REFUND (pending REFUND) / REJECT_RETURN (pending RETURN_AND_REFUND) → REFUND_OR_RETURN_REQUEST_REJECT,
    /// REJECT_RECEIVED_PACKAGE (BUYER_SHIPPED_ITEM) → REJECT_RECEIVE_PACKAGE, REJECT_REPLACEMENT (pending REPLACEMENT) →
    /// REPLACEMENT_REQUEST_REJECT. reject_reason is required and must be one GetRejectReasons lists for the return.
    /// </summary>
    private async Task<ApiResult> RejectReturnAsync(ApiCall call, CancellationToken cancellationToken)
    {
        string? key, decision, reason, comment;
        try
        {
            key = IdempotencyKey(call);
            var body = ObjectBody(call.Body);
            var chosen = EnumString(body, "decision", RejectDecisions);
            reason = String(body, "reject_reason");
            comment = String(body, "comment");
            Images(body);
            decision = chosen ?? throw new ParamException("param body.decision is missing");
            if (string.IsNullOrEmpty(reason))
            {
                throw new ParamException("param body.reject_reason is missing");
            }
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        return await AnswerOnceAsync(call, key, OwnReturn, "return_id", r =>
        {
            var target = (decision, r.Status, r.ReturnType) switch
            {
                ("REJECT_REFUND", Pending, "REFUND") => ReturnRejected,
                ("REJECT_RETURN", Pending, "RETURN_AND_REFUND") => ReturnRejected,
                ("REJECT_RECEIVED_PACKAGE", BuyerShipped, _) => "REJECT_RECEIVE_PACKAGE",
                ("REJECT_REPLACEMENT", ReplacementPending, _) => "REPLACEMENT_REQUEST_REJECT",
                _ => null,
            };
            if (target is null)
            {
                return StatusNotAllowed();
            }

            var reasons = ReturnRejectReasonsFor(r);
            if (!reasons.TryGetValue(reason, out var text))
            {
                return Error(400, 36009004, "param body.reject_reason is invalid");
            }

            MoveReturn(r, target, "SELLER", "Seller rejected the request", comment, null, null, rejectReason: reason, reasonText: text);
            return ApiResult.Ok(new JsonObject());
        }, cancellationToken);
    }
}
