using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// External order references (order.json, API version 202406): AddExternalOrderReferences, GetExternalOrderReferences
/// and SearchOrderByExternalOrderReference. One reference per (order, platform): the OAS platform notes say "To attach
/// information from multiple OMSs to the same order in TikTok Shop, call this API multiple times, each with the same
/// TikTok Shop order and a different OMS" and "To edit the attached information for a TikTok Shop order, call the API
/// with the same OMS", so a second call for the same platform replaces the first (calling twice is harmless).
/// </summary>
public sealed partial class TikTokSimulator
{
    /// <summary>
    /// [INFERENCE] The per-order error of AddExternalOrderReferences for an order that is unknown or of another shop:
    /// the OAS examples of data.errors[].code / message ("36020001", "Invalid order_id").
    /// </summary>
    public const string ExternalOrderInvalidOrderCode = "36020001";

    /// <summary>[INFERENCE] Per-order error for a line_items[].origin_id that is not a line of the order.</summary>
    public const string ExternalOrderInvalidLineCode = "36020002";

    /// <summary>OAS platform enum.</summary>
    private static readonly HashSet<string> ExternalPlatforms = new(StringComparer.Ordinal)
    {
        "SHOPIFY", "WOOCOMMERCE", "BIGCOMMERCE", "MAGENTO", "SALESFORCE_COMMERCE_CLOUD", "CHANNEL_ADVISOR", "AMAZON",
        "ORDER_MANAGEMENT_SYSTEM", "WAREHOUSE_MANAGEMENT_SYSTEM", "ERP_SYSTEM",
    };

    private readonly Dictionary<string, Dictionary<string, SimExternalOrder>> _externalOrders = new(StringComparer.Ordinal);

    /// <summary>The order's external references (platform → reference).</summary>
    public IReadOnlyDictionary<string, SimExternalOrder> GetExternalOrders(string orderId)
    {
        lock (_gate)
        {
            Order(orderId);
            return _externalOrders.TryGetValue(orderId, out var refs)
                ? new Dictionary<string, SimExternalOrder>(refs, StringComparer.Ordinal)
                : new Dictionary<string, SimExternalOrder>(StringComparer.Ordinal);
        }
    }

    private sealed record ExternalRequest(string OrderId, SimExternalOrder External);

    /// <summary>
    /// Body {orders[] (1..100) {id, external_order {id, platform, line_items[] (≤ 100) {id, origin_id}}}}; every field
    /// the simulator needs is required (the OAS marks none). Shape errors fail the whole call (36009004); an unknown order
    /// or a foreign line is reported per order in data.errors and the other orders are still saved.
    /// </summary>
    private async Task<ApiResult> AddExternalOrderReferencesAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var requests = new List<ExternalRequest>();
        try
        {
            var body = ObjectBody(call.Body);
            if (!body.TryGetProperty("orders", out var orders) || orders.ValueKind == JsonValueKind.Null)
            {
                throw new ParamException("param body.orders is missing");
            }

            if (orders.ValueKind != JsonValueKind.Array)
            {
                throw new ParamException($"param orders type invalid,actual type is:{TypeName(orders)},expected type is:[]object");
            }

            var count = orders.GetArrayLength();
            if (count is 0 or > 100)
            {
                throw new ParamException("param body.orders is invalid, max count: 100");
            }

            foreach (var order in orders.EnumerateArray())
            {
                if (order.ValueKind != JsonValueKind.Object)
                {
                    throw new ParamException($"param orders type invalid,actual type is:{TypeName(order)},expected type is:object");
                }

                var orderId = RequiredString(order, "id");
                if (!order.TryGetProperty("external_order", out var external) || external.ValueKind == JsonValueKind.Null)
                {
                    throw new ParamException("param body.external_order is missing");
                }

                if (external.ValueKind != JsonValueKind.Object)
                {
                    throw new ParamException($"param external_order type invalid,actual type is:{TypeName(external)},expected type is:object");
                }

                var externalId = RequiredString(external, "id");
                var platform = RequiredString(external, "platform");
                if (!ExternalPlatforms.Contains(platform))
                {
                    throw new ParamException($"param platform is invalid: {platform}");
                }

                var lines = new List<SimExternalLine>();
                if (external.TryGetProperty("line_items", out var lineItems) && lineItems.ValueKind != JsonValueKind.Null)
                {
                    if (lineItems.ValueKind != JsonValueKind.Array)
                    {
                        throw new ParamException($"param line_items type invalid,actual type is:{TypeName(lineItems)},expected type is:[]object");
                    }

                    if (lineItems.GetArrayLength() > 100)
                    {
                        throw new ParamException("param body.line_items is invalid, max count: 100");
                    }

                    foreach (var line in lineItems.EnumerateArray())
                    {
                        if (line.ValueKind != JsonValueKind.Object)
                        {
                            throw new ParamException($"param line_items type invalid,actual type is:{TypeName(line)},expected type is:object");
                        }

                        lines.Add(new SimExternalLine(RequiredString(line, "id"), RequiredString(line, "origin_id")));
                    }
                }

                requests.Add(new ExternalRequest(orderId, new SimExternalOrder(platform, externalId, lines)));
            }
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
            var errors = new JsonArray();
            foreach (var request in requests)
            {
                var external = request.External;
                JsonObject Failure(string code, string message) => new()
                {
                    ["code"] = code,
                    ["detail"] = new JsonObject
                    {
                        ["external_order"] = new JsonObject { ["id"] = external.Id, ["platform"] = external.Platform },
                        ["order_id"] = request.OrderId,
                    },
                    ["message"] = message,
                };

                if (!_orders.TryGetValue(request.OrderId, out var order) || order.ShopId != call.Shop.ShopId)
                {
                    errors.Add(Failure(ExternalOrderInvalidOrderCode, "Invalid order_id"));
                    continue;
                }

                var lineIds = order.LineItems.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
                if (external.LineItems.FirstOrDefault(l => !lineIds.Contains(l.OriginId)) is { } foreign)
                {
                    errors.Add(Failure(ExternalOrderInvalidLineCode, $"Invalid origin_id {foreign.OriginId}"));
                    continue;
                }

                if (!_externalOrders.TryGetValue(order.Id, out var refs))
                {
                    refs = new Dictionary<string, SimExternalOrder>(StringComparer.Ordinal);
                    _externalOrders.Add(order.Id, refs);
                }

                refs[external.Platform] = external;
            }

            var data = new JsonObject();
            if (errors.Count > 0)
            {
                data["errors"] = errors;
            }

            return ApiResult.Ok(data);
        }
    }

    private async Task<ApiResult> GetExternalOrderReferencesAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var platform = call.Query.GetValueOrDefault("platform");
        if (string.IsNullOrEmpty(platform))
        {
            return Error(400, 36009004, "param platform is missing");
        }

        if (!ExternalPlatforms.Contains(platform))
        {
            return Error(400, 36009004, $"param platform is invalid: {platform}");
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

            // OAS: "If you've synced order information between multiple OMSs to the same TikTok Shop order, you'll retrieve all
            // external order information." The required platform does not filter.
            var list = new JsonArray();
            if (_externalOrders.TryGetValue(orderId, out var refs))
            {
                foreach (var external in refs.Values.OrderBy(e => e.Platform, StringComparer.Ordinal))
                {
                    list.Add(ExternalJson(external));
                }
            }

            return ApiResult.Ok(new JsonObject { ["external_orders"] = list });
        }
    }

    private async Task<ApiResult> SearchOrderByExternalOrderReferenceAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var platform = call.Query.GetValueOrDefault("platform");
        var externalId = call.Query.GetValueOrDefault("external_order_id");
        if (string.IsNullOrEmpty(platform))
        {
            return Error(400, 36009004, "param platform is missing");
        }

        if (!ExternalPlatforms.Contains(platform))
        {
            return Error(400, 36009004, $"param platform is invalid: {platform}");
        }

        if (string.IsNullOrEmpty(externalId))
        {
            return Error(400, 36009004, "param external_order_id is missing");
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            var orders = new JsonArray();
            foreach (var orderId in _shopOrderIds[call.Shop.ShopId])
            {
                if (_externalOrders.TryGetValue(orderId, out var refs) && refs.TryGetValue(platform, out var external) && external.Id == externalId)
                {
                    orders.Add(new JsonObject { ["external_order"] = ExternalJson(external), ["id"] = orderId });
                }
            }

            return ApiResult.Ok(new JsonObject { ["orders"] = orders });
        }
    }

    private static JsonObject ExternalJson(SimExternalOrder external)
    {
        var lines = new JsonArray();
        foreach (var line in external.LineItems)
        {
            lines.Add(new JsonObject { ["id"] = line.Id, ["origin_id"] = line.OriginId });
        }

        return new JsonObject { ["id"] = external.Id, ["line_items"] = lines, ["platform"] = external.Platform };
    }
}
