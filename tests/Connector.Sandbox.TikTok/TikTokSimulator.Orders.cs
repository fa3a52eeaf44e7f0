using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

public sealed partial class TikTokSimulator
{
    private const int SnapshotKeyBytes = 17;
    private const int MaxSnapshots = 10_000;
    private readonly Dictionary<string, SearchSnapshot> _snapshots = new(StringComparer.Ordinal);

    /// <summary>The body filters of Get Order List (§4.2), as a value for comparing a page_token's query with the current one.</summary>
    private sealed record SearchFilter(
        string? OrderStatus, long? CreateTimeGe, long? CreateTimeLt, long? UpdateTimeGe, long? UpdateTimeLt,
        string? ShippingType, string? BuyerUserId, bool? IsBuyerRequestCancel, string? WarehouseIds);

    private sealed record SearchSnapshot(string Key, string ShopId, string SortField, string SortOrder, SearchFilter Filter, IReadOnlyList<string> OrderIds, long CreatedAt);

    private sealed class ParamException(string message) : Exception(message);

    // ---------------------------------------------------------------- POST /order/202309/orders/search (§4.2)

    private async Task<ApiResult> SearchOrdersAsync(ApiCall call, CancellationToken cancellationToken)
    {
        int pageSize;
        string sortField, sortOrder;
        SearchFilter filter;
        try
        {
            // Paging and sort in the query (§4.2, pitfall 1).
            if (!call.Query.TryGetValue("page_size", out var pageSizeText) || pageSizeText.Length == 0)
            {
                throw new ParamException("param page_size is missing");
            }

            if (!int.TryParse(pageSizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize))
            {
                throw new ParamException("param page_size type invalid,actual type is:string,expected type is:int32");
            }

            if (pageSize is < 1 or > 100)
            {
                throw new ParamException("param page_size is invalid, valid range: [1-100]");
            }

            sortField = call.Query.GetValueOrDefault("sort_field") ?? "create_time";
            if (sortField is not ("create_time" or "update_time"))
            {
                throw new ParamException("param sort_field is invalid, possible values: create_time, update_time");
            }

            sortOrder = call.Query.GetValueOrDefault("sort_order") ?? "DESC";
            if (sortOrder is not ("ASC" or "DESC"))
            {
                throw new ParamException("param sort_order is invalid, possible values: ASC, DESC");
            }

            filter = ParseFilter(call.Body);
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        // Validate the page_token before the gate: a malformed token is a body/param error.
        SearchSnapshot? snapshot = null;
        var offset = 0;
        if (call.Query.TryGetValue("page_token", out var pageToken) && pageToken.Length > 0)
        {
            lock (_gate)
            {
                if (!TryReadPageToken(pageToken, out var key, out offset) ||
                    !_snapshots.TryGetValue(key, out snapshot) ||
                    snapshot.ShopId != call.Shop.ShopId ||
                    snapshot.SortField != sortField || snapshot.SortOrder != sortOrder || snapshot.Filter != filter)
                {
                    return Error(400, 36009004, "param page_token is invalid");
                }
            }
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            if (snapshot is null)
            {
                snapshot = CreateSnapshot(call.Shop.ShopId, sortField, sortOrder, filter);
                offset = 0;
            }

            var key = snapshot.Key;
            var page = snapshot.OrderIds.Skip(offset).Take(pageSize).ToList();
            var next = offset + page.Count;

            // Orders are rendered as they are NOW: "Update times may exceed the selected search range due to ongoing
            // data refreshes during the search process" (§4.2).
            var orders = new JsonArray();
            foreach (var id in page)
            {
                orders.Add(_orders[id].ToApiJson());
            }

            return ApiResult.Ok(new JsonObject
            {
                ["next_page_token"] = next < snapshot.OrderIds.Count ? WritePageToken(key, next) : "",
                ["orders"] = orders,
                ["total_count"] = snapshot.OrderIds.Count,
            });
        }
    }

    private SearchSnapshot CreateSnapshot(string shopId, string sortField, string sortOrder, SearchFilter f)
    {
        // Half-open [ge, lt) windows. A missing `_lt` means "now" in the doc; the simulator treats it as unbounded so an
        // order created within the current second is not hidden (all simulated orders are created at or before now).
        var matches = _shopOrderIds[shopId].Select(id => _orders[id]).Where(o =>
            (f.OrderStatus is null || o.Status == f.OrderStatus) &&
            (f.CreateTimeGe is not { } cge || o.CreateTime >= cge) &&
            (f.CreateTimeLt is not { } clt || o.CreateTime < clt) &&
            (f.UpdateTimeGe is not { } uge || o.UpdateTime >= uge) &&
            (f.UpdateTimeLt is not { } ult || o.UpdateTime < ult) &&
            (f.ShippingType is null || o.ShippingType == f.ShippingType) &&
            (f.BuyerUserId is null || o.UserId == f.BuyerUserId) &&
            (f.IsBuyerRequestCancel is not { } cancel || o.IsBuyerRequestCancel == cancel) &&
            (f.WarehouseIds is null || f.WarehouseIds.Split(',').Contains(o.WarehouseId, StringComparer.Ordinal)));

        Func<SimOrder, long> sortKey = sortField == "update_time" ? o => o.UpdateTime : o => o.CreateTime;
        var ordered = sortOrder == "ASC"
            ? matches.OrderBy(sortKey).ThenBy(o => o.Id, StringComparer.Ordinal)
            : matches.OrderByDescending(sortKey).ThenByDescending(o => o.Id, StringComparer.Ordinal);

        if (_snapshots.Count >= MaxSnapshots)
        {
            foreach (var old in _snapshots.OrderBy(kv => kv.Value.CreatedAt).Take(MaxSnapshots / 10).Select(kv => kv.Key).ToList())
            {
                _snapshots.Remove(old);
            }
        }

        var snapshot = new SearchSnapshot(Convert.ToBase64String(_ids.Bytes(SnapshotKeyBytes)), shopId, sortField, sortOrder, f, [.. ordered.Select(o => o.Id)], Now());
        _snapshots[snapshot.Key] = snapshot;
        return snapshot;
    }

    /// <summary>
    /// Opaque token: base64 (standard alphabet, so '+' and '/' occur and must be percent-encoded) of a masked offset and a
    /// snapshot key masked with a hash of it, so every page's token looks unrelated to the previous one (§11 paging).
    /// </summary>
    private static string WritePageToken(string key, int offset)
    {
        var keyBytes = Convert.FromBase64String(key);
        var bytes = new byte[4 + SnapshotKeyBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes, offset ^ BinaryPrimitives.ReadInt32BigEndian(SHA256.HashData(keyBytes)));
        var mask = SHA256.HashData(bytes.AsSpan(0, 4));
        for (var i = 0; i < SnapshotKeyBytes; i++)
        {
            bytes[4 + i] = (byte)(keyBytes[i] ^ mask[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    private static bool TryReadPageToken(string token, out string key, out int offset)
    {
        key = "";
        offset = 0;
        var bytes = new byte[(token.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(token, bytes, out var written) || written != SnapshotKeyBytes + 4)
        {
            return false;
        }

        var mask = SHA256.HashData(bytes.AsSpan(0, 4));
        var keyBytes = new byte[SnapshotKeyBytes];
        for (var i = 0; i < SnapshotKeyBytes; i++)
        {
            keyBytes[i] = (byte)(bytes[4 + i] ^ mask[i]);
        }

        key = Convert.ToBase64String(keyBytes);
        offset = BinaryPrimitives.ReadInt32BigEndian(bytes) ^ BinaryPrimitives.ReadInt32BigEndian(SHA256.HashData(keyBytes));
        return offset >= 0;
    }

    /// <summary>§4.2 body: all optional; timestamps must be JSON integers (EcomPHP #23 message style on a type mismatch).</summary>
    private static SearchFilter ParseFilter(byte[] body)
    {
        if (body.Length == 0)
        {
            return new SearchFilter(null, null, null, null, null, null, null, null, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new ParamException("invalid param error");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ParamException("invalid param error");
            }

            var status = String(root, "order_status");
            if (status is not null && !TikTokOrderStatus.IsKnown(status))
            {
                throw new ParamException("param order_status is invalid");
            }

            var shippingType = String(root, "shipping_type");
            if (shippingType is not null and not ("TIKTOK" or "SELLER"))
            {
                throw new ParamException("param shipping_type is invalid");
            }

            string? warehouses = null;
            if (root.TryGetProperty("warehouse_ids", out var w) && w.ValueKind != JsonValueKind.Null)
            {
                if (w.ValueKind != JsonValueKind.Array || w.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                {
                    throw new ParamException($"param warehouse_ids type invalid,actual type is:{TypeName(w)},expected type is:[]string");
                }

                warehouses = string.Join(',', w.EnumerateArray().Select(e => e.GetString()));
            }

            return new SearchFilter(
                status,
                Int64(root, "create_time_ge"),
                Int64(root, "create_time_lt"),
                Int64(root, "update_time_ge"),
                Int64(root, "update_time_lt"),
                shippingType,
                String(root, "buyer_user_id"),
                Bool(root, "is_buyer_request_cancel"),
                warehouses);
        }
    }

    private static long? Int64(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        throw new ParamException($"param {name} type invalid,actual type is:{TypeName(value)},expected type is:int64");
    }

    private static string? String(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ParamException($"param {name} type invalid,actual type is:{TypeName(value)},expected type is:string");
    }

    private static bool? Bool(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new ParamException($"param {name} type invalid,actual type is:{TypeName(value)},expected type is:bool");
    }

    /// <summary>Go-style type names, as the gateway's messages use them.</summary>
    private static string TypeName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "int64" : "float64",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    // ---------------------------------------------------------------- GET /order/202309|202507/orders (§4.3)

    private async Task<ApiResult> GetOrderDetailAsync(ApiCall call, CancellationToken cancellationToken)
    {
        // §2.2: list parameters are one comma-joined value; max 50 ids (OAS).
        var ids = (call.Query.GetValueOrDefault("ids") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (ids.Count == 0)
        {
            return Error(400, 36009004, "param ids is missing");
        }

        if (ids.Count > 50)
        {
            return Error(400, 36009004, "param ids is invalid, max count: 50");
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            // §4.3: an id that is unknown or belongs to another shop fails the whole request with 21008111.
            if (ids.Any(id => !_orders.TryGetValue(id, out var o) || o.ShopId != call.Shop.ShopId))
            {
                return new ApiResult(200, 21008111, MsgNotOwner, new JsonObject());
            }

            var orders = new JsonArray();
            foreach (var id in ids)
            {
                orders.Add(_orders[id].ToApiJson(detail: true));
            }

            return ApiResult.Ok(new JsonObject { ["orders"] = orders });
        }
    }
}
