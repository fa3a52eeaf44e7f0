using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// Request checks shared by the return_refund, order 202406 and product operations: query paging, body field types and
/// enums (36009004 with the gateway's "param ..." messages, §8.1), and idempotency keys.
/// </summary>
public sealed partial class TikTokSimulator
{
    private readonly Dictionary<(string Shop, string Path, string Key), ApiResult> _idempotent = [];

    /// <summary>page_size within [min, max] (default when absent) and an offset from page_token (a token of this list and filter).</summary>
    private static (int PageSize, int Offset) Paging(ApiCall call, int min, int max, int? fallback, string list, string filterKey)
    {
        int pageSize;
        if (!call.Query.TryGetValue("page_size", out var text) || text.Length == 0)
        {
            pageSize = fallback ?? throw new ParamException("param page_size is missing");
        }
        else if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize))
        {
            throw new ParamException("param page_size type invalid,actual type is:string,expected type is:int32");
        }

        if (pageSize < min || pageSize > max)
        {
            throw new ParamException($"param page_size is invalid, valid range: [{min}-{max}]");
        }

        SortOf(call);
        var offset = 0;
        if (call.Query.TryGetValue("page_token", out var token) && token.Length > 0)
        {
            offset = ReadListToken(token, list, filterKey) ?? throw new ParamException("param page_token is invalid");
        }

        return (pageSize, offset);
    }

    /// <summary>sort_field create_time|update_time (default create_time), sort_order ASC|DESC (default ASC).</summary>
    private static (bool ByUpdate, bool Descending) SortOf(ApiCall call)
    {
        var field = call.Query.GetValueOrDefault("sort_field");
        if (field is { Length: > 0 } and not ("create_time" or "update_time"))
        {
            throw new ParamException("param sort_field is invalid, possible values: create_time, update_time");
        }

        var order = call.Query.GetValueOrDefault("sort_order");
        if (order is { Length: > 0 } and not ("ASC" or "DESC"))
        {
            throw new ParamException("param sort_order is invalid, possible values: ASC, DESC");
        }

        return (field == "update_time", order == "DESC");
    }

    private static string WriteListToken(string list, string filterKey, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{list}|{FilterHash(filterKey)}|{offset.ToString(CultureInfo.InvariantCulture)}"));

    private static int? ReadListToken(string token, string list, string filterKey)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
            return parts.Length == 3 && parts[0] == list && parts[1] == FilterHash(filterKey) &&
                   int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                ? offset
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string FilterHash(string filterKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(filterKey)))[..12];

    /// <summary>An optional array of strings whose values must be in <paramref name="allowed"/> (when given).</summary>
    private static List<string>? EnumArray(JsonElement body, string name, HashSet<string>? allowed)
    {
        var values = StringArray(body, name);
        if (values is not null && allowed is not null && values.FirstOrDefault(v => !allowed.Contains(v)) is { } bad)
        {
            throw new ParamException($"param {name} is invalid: {bad}");
        }

        return values;
    }

    /// <summary>An optional string whose value must be in <paramref name="allowed"/>.</summary>
    private static string? EnumString(JsonElement body, string name, HashSet<string> allowed)
    {
        var value = String(body, name);
        return value is null || allowed.Contains(value) ? value : throw new ParamException($"param {name} is invalid: {value}");
    }

    /// <summary>
    /// return_refund approve/reject take an optional idempotency_key (OAS; "up to 255 characters", §6.2 EcomPHP note). A
    /// repeat with the same key answers the first result again instead of acting twice.
    /// </summary>
    private static string? IdempotencyKey(ApiCall call)
    {
        var key = call.Query.GetValueOrDefault("idempotency_key");
        if (key is { Length: > 255 })
        {
            throw new ParamException("param idempotency_key is invalid, max length: 255");
        }

        return key is { Length: > 0 } ? key : null;
    }

    /// <summary>Runs <paramref name="act"/> once per idempotency key (caller holds <see cref="_gate"/>); only successes are remembered.</summary>
    private ApiResult Once(ApiCall call, string? key, Func<ApiResult> act)
    {
        var slot = (call.Shop.ShopId, call.Request.Path.Value ?? call.Path, key ?? "");
        if (key is not null && _idempotent.TryGetValue(slot, out var earlier))
        {
            return earlier with { Data = earlier.Data?.DeepClone() };
        }

        var result = act();
        if (key is not null && result.Code == 0)
        {
            _idempotent[slot] = result with { Data = result.Data?.DeepClone() };
        }

        return result;
    }

    /// <summary>
    /// The shape every answer to a buyer's request shares (approve / reject of a cancellation or a return), after its
    /// parameters are read: the gate (faults, auth), then under the lock with deadlines applied and once per idempotency key,
    /// the request found in this shop (else 36009004 "param {id} is invalid") and the answer.
    /// </summary>
    private async Task<ApiResult> AnswerOnceAsync<T>(
        ApiCall call, string? key, Func<ApiCall, T?> find, string idName, Func<T, ApiResult> answer, CancellationToken cancellationToken)
        where T : class
    {
        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            ApplyDeadlinesLocked();
            return Once(call, key, () => find(call) is { } request ? answer(request) : Error(400, 36009004, $"param {idName} is invalid"));
        }
    }

    /// <summary>The request is not in a status this answer fits: TikTok's business error, HTTP 200.</summary>
    private static ApiResult StatusNotAllowed() => new(200, StatusNotAllowedCode, MsgReverseStatusNotAllowed, new System.Text.Json.Nodes.JsonObject());
}
