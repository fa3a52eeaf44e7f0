using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Connector.Sandbox.TikTok;

public sealed partial class TikTokSimulator
{
    // §8.1 messages, verbatim where the reference quotes them.
    internal const string MsgInvalidPath = "Invalid path. The specified path does not match any available endpoint.";
    internal const string MsgInvalidMethod = "Invalid method. The HTTP method used is not supported by this endpoint.";
    internal const string MsgInvalidAppKey = "Invalid credentials. Invalid `app_key` query parameter.";
    internal const string MsgMissingSign = "Missing credentials. The request does not include a required signature in the query.";
    internal const string MsgTimestampTooOld = "Invalid timestamp. The value of the `timestamp` query parameter must not be earlier than 5 minutes before the current time.";
    internal const string MsgTimestampTooNew = "Invalid timestamp. The value of the `timestamp` query parameter must not exceed the current time by more than 30 seconds.";
    internal const string MsgTimestampNegative = "Invalid timestamp. The value of the `timestamp` query parameter must not be lesser than 0.";
    internal const string MsgBadSign = "Invalid credentials. The `sign` query parameter is invalid.";
    internal const string MsgInvalidToken = "Invalid credentials. The `x-tts-access-token` header is invalid.";
    internal const string MsgExpiredToken = "Expired credentials. The `access_token` or `x-tts-access-token` header has expired.";
    internal const string MsgMissingCipher = "Missing identifier. The `shop_cipher` query parameter is required to identify the target shop.";
    internal const string MsgUnexpectedCipher = "Unexpected identifier. The `shop_cipher` query parameter is not required for this request.";
    internal const string MsgTooManyRequests = "Too many requests. You've made too many requests in a short period of time.";
    internal const string MsgInternalError = "Internal error. Please try again. If the issue persists after multiple attempts, please contact platform support.";
    internal const string MsgNotOwner = "The order or package does not belong to the current seller.";

    // [INFERENCE] Wordings the reference does not quote.
    internal const string MsgInvalidTimestamp = "Invalid timestamp. The `timestamp` query parameter must be a 10-digit Unix timestamp in seconds.";
    internal const string MsgInvalidCipher = "Invalid identifier. The `shop_cipher` query parameter is invalid.";
    internal const string MsgContentType = "Invalid Content-Type. The request header `Content-Type` must be `application/json`.";

    internal static readonly JsonSerializerOptions WireJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] RedactedQueryKeys = ["app_secret", "access_token", "refresh_token", "auth_code"];

    private readonly List<FaultState> _faults = [];
    private readonly Dictionary<(string AppKey, string Shop, string Path), (long Second, int Count)> _rateWindows = [];

    private enum ShopScope
    {
        Required,
        Forbidden,
    }

    /// <summary>An Open API operation; <see cref="Path"/> may hold {name} segments (e.g. /fulfillment/202309/orders/{order_id}/tracking).</summary>
    private sealed record Endpoint(string Method, string Path, ShopScope Scope, Func<ApiCall, CancellationToken, Task<ApiResult>> Handler)
    {
        public Dictionary<string, string>? Match(string path)
        {
            var template = Path.Split('/');
            var actual = path.Split('/');
            if (template.Length != actual.Length)
            {
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < template.Length; i++)
            {
                if (template[i].StartsWith('{') && template[i].EndsWith('}'))
                {
                    if (actual[i].Length == 0)
                    {
                        return null;
                    }

                    values[template[i][1..^1]] = Uri.UnescapeDataString(actual[i]);
                }
                else if (template[i] != actual[i])
                {
                    return null;
                }
            }

            return values;
        }
    }

    /// <summary>One validated Open API call. <see cref="Path"/> is the endpoint's template (the rate-limit key).</summary>
    private sealed record ApiCall(HttpRequest Request, IReadOnlyDictionary<string, string> Query, byte[] Body, ShopState Shop, string Path, IReadOnlyDictionary<string, string> Route);

    private sealed record ApiResult(int HttpStatus, int Code, string Message, JsonNode? Data = null, int? RetryAfterSeconds = null)
    {
        public static ApiResult Ok(JsonNode data) => new(200, 0, "Success", data);
    }

    private IReadOnlyList<Endpoint> Endpoints =>
    [
        new("GET", "/authorization/202309/shops", ShopScope.Forbidden, GetAuthorizedShopsAsync),
        new("POST", "/order/202309/orders/search", ShopScope.Required, SearchOrdersAsync),
        new("GET", "/order/202309/orders", ShopScope.Required, GetOrderDetailAsync),
        new("GET", "/order/202507/orders", ShopScope.Required, GetOrderDetailAsync),
        new("GET", "/event/202309/webhooks", ShopScope.Required, GetShopWebhooksAsync),
        new("PUT", "/event/202309/webhooks", ShopScope.Required, UpdateShopWebhookAsync),
        new("DELETE", "/event/202309/webhooks", ShopScope.Required, DeleteShopWebhookAsync),
        new("POST", "/fulfillment/202309/orders/{order_id}/packages", ShopScope.Required, MarkPackageAsShippedAsync),
        new("POST", "/fulfillment/202309/packages/{package_id}/shipping_info/update", ShopScope.Required, UpdatePackageShippingInfoAsync),
        new("GET", "/fulfillment/202309/orders/{order_id}/tracking", ShopScope.Required, GetTrackingAsync),
        new("GET", "/logistics/202309/warehouses", ShopScope.Required, GetWarehousesAsync),
        new("GET", "/logistics/202309/warehouses/{warehouse_id}/delivery_options", ShopScope.Required, GetDeliveryOptionsAsync),
        new("GET", "/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers", ShopScope.Required, GetShippingProvidersAsync),
        new("POST", "/return_refund/202309/cancellations", ShopScope.Required, CancelOrderAsync),
        new("POST", "/return_refund/202309/cancellations/search", ShopScope.Required, SearchCancellationsAsync),
        new("POST", "/return_refund/202309/cancellations/{cancel_id}/approve", ShopScope.Required, ApproveCancellationAsync),
        new("POST", "/return_refund/202309/cancellations/{cancel_id}/reject", ShopScope.Required, RejectCancellationAsync),
        new("GET", "/return_refund/202309/reject_reasons", ShopScope.Required, GetRejectReasonsAsync),
        new("POST", "/return_refund/202309/returns/search", ShopScope.Required, SearchReturnsAsync),
        new("POST", "/return_refund/202309/returns/{return_id}/approve", ShopScope.Required, ApproveReturnAsync),
        new("POST", "/return_refund/202309/returns/{return_id}/reject", ShopScope.Required, RejectReturnAsync),
        new("GET", "/return_refund/202309/returns/{return_id}/records", ShopScope.Required, GetReturnRecordsAsync),
        new("POST", "/order/202406/orders/external_orders", ShopScope.Required, AddExternalOrderReferencesAsync),
        new("GET", "/order/202406/orders/{order_id}/external_orders", ShopScope.Required, GetExternalOrderReferencesAsync),
        new("POST", "/order/202406/orders/external_order_search", ShopScope.Required, SearchOrderByExternalOrderReferenceAsync),
        new("POST", "/product/202309/products/search", ShopScope.Required, SearchProductsAsync),
        new("POST", "/product/202309/products/deactivate", ShopScope.Required, DeactivateProductsAsync),
        new("POST", "/product/202309/products/activate", ShopScope.Required, ActivateProductsAsync),
        new("GET", "/product/202309/products/{product_id}", ShopScope.Required, GetProductAsync),
        new("POST", "/product/202309/products/{product_id}/inventory/update", ShopScope.Required, UpdateInventoryAsync),
        new("POST", "/product/202309/products/{product_id}/prices/update", ShopScope.Required, UpdatePriceAsync),
    ];

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        var cancellationToken = http.RequestAborted;
        if (path == "/_sim" || path.StartsWith("/_sim/", StringComparison.Ordinal))
        {
            await HandleControlPlaneAsync(http, path, cancellationToken);
            return;
        }

        var body = await ReadBodyAsync(http.Request, cancellationToken);
        var query = FirstValues(http.Request.Query);
        ApiResult result;
        if (path is "/api/v2/token/get" or "/api/v2/token/refresh")
        {
            result = http.Request.Method != HttpMethods.Get
                ? new ApiResult(405, 36009010, MsgInvalidMethod, new JsonObject())
                : await TokenAsync(path, query, cancellationToken);
        }
        else
        {
            result = await DispatchAsync(http.Request, path, query, body, cancellationToken);
        }

        var requestId = _ids.RequestId(_time.GetUtcNow());
        Record(http.Request, path, query, body, result, requestId);
        await WriteAsync(http.Response, result, requestId, cancellationToken);
    }

    /// <summary>The §11 validation order: path, method, app_key, sign present, timestamp, signature, token, shop_cipher, Content-Type; then the endpoint.</summary>
    private async Task<ApiResult> DispatchAsync(HttpRequest request, string path, Dictionary<string, string> query, byte[] body, CancellationToken cancellationToken)
    {
        var candidates = Endpoints.Select(e => (Endpoint: e, Route: e.Match(path))).Where(c => c.Route is not null).ToList();
        if (candidates.Count == 0)
        {
            return new ApiResult(404, 36009009, MsgInvalidPath, new JsonObject());
        }

        var (endpoint, route) = candidates.FirstOrDefault(c => string.Equals(c.Endpoint.Method, request.Method, StringComparison.OrdinalIgnoreCase));
        if (endpoint is null || route is null)
        {
            return new ApiResult(405, 36009010, MsgInvalidMethod, new JsonObject());
        }

        // HTTP statuses: 401 for bad sign (seen live, §1); 400 for the other 36009004 cases (a live report, §11); 401 for token
        // failures [INFERENCE]. Clients must branch on `code`, never on the HTTP status alone.
        if (!query.TryGetValue("app_key", out var appKey) || appKey != _options.AppKey)
        {
            return Error(400, 36009004, MsgInvalidAppKey);
        }

        if (!query.TryGetValue("sign", out var sign) || sign.Length == 0)
        {
            return Error(400, 36009004, MsgMissingSign);
        }

        // §2.1: accept now-300 <= timestamp <= now+30 (seconds).
        if (!query.TryGetValue("timestamp", out var timestampText) ||
            !long.TryParse(timestampText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var timestamp))
        {
            return Error(400, 36009004, MsgInvalidTimestamp);
        }

        var now = Now();
        if (timestamp < 0)
        {
            return Error(400, 36009004, MsgTimestampNegative);
        }

        if (timestamp < now - 300)
        {
            return Error(400, 36009004, MsgTimestampTooOld);
        }

        if (timestamp > now + 30)
        {
            return Error(400, 36009004, MsgTimestampTooNew);
        }

        // §2.1/§2.2: decoded query values except sign/access_token, ordinal sort, path, exact body unless multipart.
        var expected = SimSigning.ApiSign(_options.AppSecret, path, query, body, request.ContentType);
        if (!SimSigning.FixedTimeEquals(expected, sign))
        {
            return Error(401, 106001, MsgBadSign);
        }

        ShopState? shop;
        lock (_gate)
        {
            var token = request.Headers["x-tts-access-token"].ToString();
            shop = token.Length == 0 ? null : _shops.Values.FirstOrDefault(s => !s.Revoked && s.AccessToken == token);
            if (shop is null)
            {
                return Error(401, 36009004, MsgInvalidToken);
            }

            if (now >= shop.AccessTokenExpiresAt)
            {
                return Error(401, 105002, MsgExpiredToken);
            }
        }

        if (endpoint.Scope == ShopScope.Required)
        {
            if (!query.TryGetValue("shop_cipher", out var cipher) || cipher.Length == 0)
            {
                return Error(400, 106013, MsgMissingCipher);
            }

            // One access token covers one shop in the simulator; another shop's cipher is not this seller's.
            if (cipher != shop.Cipher)
            {
                return Error(400, 36009004, MsgInvalidCipher);
            }
        }
        else if (query.ContainsKey("shop_cipher"))
        {
            return Error(400, 36009004, MsgUnexpectedCipher);
        }

        // §1: Content-Type: application/json is required on every operation, GETs included.
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) ||
            !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Error(400, 36009022, MsgContentType);
        }

        var call = new ApiCall(request, query, body, shop, endpoint.Path, route);
        return await endpoint.Handler(call, cancellationToken);
    }

    private static ApiResult Error(int httpStatus, int code, string message) => new(httpStatus, code, message, new JsonObject());

    /// <summary>Rate limit (429 + 36009002 + Retry-After, §8.2) then injected faults. Endpoints call this after body validation.</summary>
    private async Task<ApiResult?> GateAsync(ApiCall call, CancellationToken cancellationToken)
    {
        if (_options.RateLimitPerSecond > 0)
        {
            lock (_gate)
            {
                var key = (_options.AppKey, call.Shop.ShopId, call.Path);
                var second = Now();
                (long Second, int Count) window = _rateWindows.TryGetValue(key, out var w) && w.Second == second ? w : (second, 0);
                window.Count++;
                _rateWindows[key] = window;
                if (window.Count > _options.RateLimitPerSecond)
                {
                    return new ApiResult(429, 36009002, MsgTooManyRequests, new JsonObject(), 1);
                }
            }
        }

        return await FaultAsync(call.Request.Path.Value ?? call.Path, call.Request.Method, call.Shop.ShopId, cancellationToken);
    }

    private async Task<ApiResult?> FaultAsync(string path, string method, string? shopId, CancellationToken cancellationToken)
    {
        SimFault? hit = null;
        lock (_gate)
        {
            foreach (var state in _faults)
            {
                var fault = state.Fault;
                if (state.Remaining == 0 ||
                    !path.StartsWith(fault.PathPrefix, StringComparison.Ordinal) ||
                    (fault.Method is not null && !fault.Method.Equals(method, StringComparison.OrdinalIgnoreCase)) ||
                    (fault.ShopId is not null && fault.ShopId != shopId) ||
                    (fault.Probability < 1.0 && _ids.NextDouble() >= fault.Probability))
                {
                    continue;
                }

                if (state.Remaining > 0)
                {
                    state.Remaining--;
                }

                hit = fault;
                break;
            }

            _faults.RemoveAll(f => f.Remaining == 0);
        }

        if (hit is null)
        {
            return null;
        }

        if (hit.Delay is { } delay && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken);
        }

        if (hit.HttpStatus == 0)
        {
            return null;
        }

        var message = hit.Message ?? hit.Code switch
        {
            36009002 => MsgTooManyRequests,
            36009003 => MsgInternalError,
            36009007 => "Request timeout. The request to the endpoint timed out.",
            _ => "Injected fault.",
        };
        return new ApiResult(hit.HttpStatus, hit.Code, message, new JsonObject(), hit.RetryAfterSeconds);
    }

    // ---------------------------------------------------------------- auth host (§3.1)

    /// <summary>
    /// GET /api/v2/token/get and /api/v2/token/refresh: not signed; failures only through code != 0 (HTTP 200).
    /// Simulator's choice for the open question of §3.1/§12: after a refresh the NEW access token works and the OLD access
    /// token stops working at once (36009004 invalid token). The refresh token stays the same unless
    /// <see cref="TikTokSimulatorOptions.RotateRefreshTokenOnRefresh"/> is set.
    /// </summary>
    private async Task<ApiResult> TokenAsync(string path, Dictionary<string, string> query, CancellationToken cancellationToken)
    {
        if (await FaultAsync(path, "GET", null, cancellationToken) is { } fault)
        {
            return fault;
        }

        var refresh = path.EndsWith("/refresh", StringComparison.Ordinal);
        if (query.GetValueOrDefault("app_key") != _options.AppKey)
        {
            return TokenError(36009004, MsgInvalidAppKey);
        }

        // [INFERENCE] The reference quotes no message for a wrong secret or grant_type.
        if (query.GetValueOrDefault("app_secret") != _options.AppSecret)
        {
            return TokenError(36009004, "Invalid credentials. Invalid `app_secret` query parameter.");
        }

        var grantType = refresh ? "refresh_token" : "authorized_code";
        if (query.GetValueOrDefault("grant_type") != grantType)
        {
            return TokenError(36009004, $"Invalid param. The `grant_type` query parameter must be `{grantType}`.");
        }

        var now = Now();
        lock (_gate)
        {
            ShopState shop;
            if (refresh)
            {
                var refreshToken = query.GetValueOrDefault("refresh_token") ?? "";
                var found = _shops.Values.FirstOrDefault(s => !s.Revoked && refreshToken.Length > 0 && s.RefreshToken == refreshToken);
                if (found is null)
                {
                    // [INFERENCE] same code as an expired one: both mean "re-authorize".
                    return TokenError(36004001, "rt is invalid");
                }

                if (now >= found.RefreshTokenExpiresAt)
                {
                    return TokenError(36004001, "rt has expired");
                }

                shop = found;
                shop.AccessToken = _ids.Token("TTP_", 60);
                shop.AccessTokenExpiresAt = now + (long)_options.AccessTokenLifetime.TotalSeconds;
                if (_options.RotateRefreshTokenOnRefresh)
                {
                    shop.RefreshToken = _ids.Token("TTP_", 48);
                }
            }
            else
            {
                var code = query.GetValueOrDefault("auth_code") ?? "";
                if (!_authCodes.Remove(code, out var authCode) || now >= authCode.ExpiresAt)
                {
                    return TokenError(36004004, "Invalid auth code.");
                }

                shop = _shops[authCode.ShopId];
                IssueTokens(shop, now);
            }

            return new ApiResult(200, 0, "success", new JsonObject
            {
                ["access_token"] = shop.AccessToken,
                ["access_token_expire_in"] = shop.AccessTokenExpiresAt,
                ["refresh_token"] = shop.RefreshToken,
                ["refresh_token_expire_in"] = shop.RefreshTokenExpiresAt,
                ["open_id"] = shop.OpenId,
                ["seller_name"] = shop.Name,
                ["seller_base_region"] = shop.Region,
                ["user_type"] = 0,
            });
        }
    }

    private static ApiResult TokenError(int code, string message) => new(200, code, message, new JsonObject());

    // ---------------------------------------------------------------- GET /authorization/202309/shops (§3.2)

    private async Task<ApiResult> GetAuthorizedShopsAsync(ApiCall call, CancellationToken cancellationToken)
    {
        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        var s = call.Shop;
        return ApiResult.Ok(new JsonObject
        {
            ["shops"] = new JsonArray(new JsonObject
            {
                ["cipher"] = s.Cipher,
                ["code"] = s.Code,
                ["id"] = s.ShopId,
                ["name"] = s.Name,
                ["region"] = s.Region,
                ["seller_type"] = "LOCAL",
            }),
        });
    }

    // ---------------------------------------------------------------- plumbing

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>Decoded query values; for a repeated key the first value, as the official Go sample's url.Values.Get (§2.2).</summary>
    private static Dictionary<string, string> FirstValues(IQueryCollection query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in query)
        {
            values[key] = value.Count > 0 ? value[0] ?? "" : "";
        }

        return values;
    }

    private static async Task WriteAsync(HttpResponse response, ApiResult result, string requestId, CancellationToken cancellationToken)
    {
        var envelope = new JsonObject
        {
            ["code"] = result.Code,
            ["data"] = result.Data,
            ["message"] = result.Message,
            ["request_id"] = requestId,
        };
        response.StatusCode = result.HttpStatus;
        response.ContentType = "application/json";
        response.Headers["x-tt-logid"] = requestId;
        if (result.RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(envelope.ToJsonString(WireJson)), cancellationToken);
    }

    private void Record(HttpRequest request, string path, Dictionary<string, string> query, byte[] body, ApiResult result, string requestId)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in request.Headers)
        {
            headers[key] = key.Equals("x-tts-access-token", StringComparison.OrdinalIgnoreCase) ? Redact(value.ToString()) : value.ToString();
        }

        var redactedQuery = query.ToDictionary(
            kv => kv.Key,
            kv => RedactedQueryKeys.Contains(kv.Key, StringComparer.Ordinal) ? Redact(kv.Value) : kv.Value,
            StringComparer.Ordinal);
        var rawQuery = string.Join('&', (request.QueryString.Value ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            return eq >= 0 && RedactedQueryKeys.Contains(Uri.UnescapeDataString(key), StringComparer.Ordinal) ? key + "=" + Redact(pair[(eq + 1)..]) : pair;
        }));
        var record = new SimRequestRecord
        {
            Time = _time.GetUtcNow(),
            Method = request.Method,
            Path = path,
            RawQuery = rawQuery,
            Query = redactedQuery,
            Headers = headers,
            Body = Encoding.UTF8.GetString(body),
            HttpStatus = result.HttpStatus,
            Code = result.Code,
            Message = result.Message,
            RequestId = requestId,
        };
        lock (_gate)
        {
            _requests.Add(record);
        }
    }

    /// <summary>Keeps a short prefix so tests can tell tokens apart without the log holding a usable secret.</summary>
    private static string Redact(string value) => value.Length <= 8 ? "***" : value[..8] + "***";
}
