using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// The /_sim/ control plane (not part of TikTok's API; no signing), mirroring the C# API for the local demo and browser tests:
/// <code>
/// POST   /_sim/shops                               {shopId, name?, region?}          → shop (with cipher and tokens)
/// GET    /_sim/shops                               → [shop]
/// GET    /_sim/shops/{shopId}                      → shop
/// POST   /_sim/shops/{shopId}/orders               {count?, spec?} or a bare spec     → {orders: [order API JSON]}
/// GET    /_sim/shops/{shopId}/orders               → {orders: [...]}
/// POST   /_sim/shops/{shopId}/expire-token         → shop
/// POST   /_sim/shops/{shopId}/expire-refresh-token → shop
/// POST   /_sim/shops/{shopId}/auth-code            → {authCode}
/// POST   /_sim/shops/{shopId}/deauthorize          → webhook type 6, tokens revoked
/// POST   /_sim/shops/{shopId}/authorization-expiring → webhook type 7
/// GET    /_sim/orders/{orderId}                    → order API JSON
/// POST   /_sim/orders/{orderId}/status             {status, advance?, initiator?, reason?} → order (409 on a §5.4 violation)
/// POST   /_sim/orders/{orderId}/address            {address fields}                   → order, webhook type 3
/// POST   /_sim/orders/{orderId}/cancel-request     {reason?}                           → {cancelId}, webhook type 11
/// POST   /_sim/orders/{orderId}/returns            {returnType?, lineItemIds?, reason?, reasonText?, refundShipping?} → return, webhook 12
/// GET    /_sim/orders/{orderId}/external-orders    → {platform: {platform, id, lineItems}}
/// GET    /_sim/shops/{shopId}/cancellations        → [cancellation]
/// GET    /_sim/cancellations/{cancelId}            → cancellation
/// GET    /_sim/shops/{shopId}/returns              → [return]
/// GET    /_sim/returns/{returnId}                  → return
/// POST   /_sim/returns/{returnId}/ship             {trackingNumber?, providerName?}  → return (BUYER_SHIPPED_ITEM), webhook 12
/// POST   /_sim/returns/{returnId}/refund-complete  → return (RETURN_OR_REFUND_REQUEST_COMPLETE), webhook 12
/// POST   /_sim/returns/{returnId}/cancel           → return (buyer withdraws), webhook 12
/// PUT    /_sim/rate-limit                      {perSecond}                       → §8.2 limit per (app, shop, path); 0 = none
/// POST   /_sim/deadlines                           → applies passed deadlines (auto-approve, close)
/// POST   /_sim/shops/{shopId}/warehouses           {name}                            → {warehouseId}
/// POST   /_sim/shops/{shopId}/products             {title?, description?, status?, skus?: [{sellerSku, price?, skuName?, stock?: {warehouseId: qty}}]} → product
/// GET    /_sim/shops/{shopId}/products             → [product]
/// GET    /_sim/products/{productId}                → product
/// POST   /_sim/products/{productId}/status         {status, auditFailures?: [{position, reasons, suggestions}], suspendedReason?} → product, webhooks 5 (+37)
/// POST   /_sim/products/{productId}/information    {title?, changedFields?, changeSource?} → product, webhook 15
/// POST   /_sim/faults                              {pathPrefix, httpStatus, code, times, retryAfterSeconds, ...}
/// DELETE /_sim/faults
/// GET    /_sim/requests | DELETE /_sim/requests
/// PUT    /_sim/webhook-url                         {url} (null stops webhooks)
/// GET    /_sim/webhooks                            → deliveries
/// </code>
/// </summary>
public sealed partial class TikTokSimulator
{
    private static readonly JsonSerializerOptions ControlJson = new(JsonSerializerDefaults.Web);

    private sealed record ShopRequest(string? ShopId, string? Name, string? Region);

    private sealed record StatusRequest(string? Status, bool Advance, string? Initiator, string? Reason);

    private sealed record WebhookUrlRequest(Uri? Url);

    private sealed record CancelRequest(string? Reason);

    private sealed record RateLimitRequest(int PerSecond);

    private sealed record ShipReturnRequest(string? TrackingNumber, string? ProviderName);

    private sealed record WarehouseRequest(string? Name);

    private sealed record ProductStatusRequest(string? Status, IReadOnlyList<SimAuditFailure>? AuditFailures, string? SuspendedReason);

    private sealed record ProductInformationRequest(string? Title, IReadOnlyList<string>? ChangedFields, string? ChangeSource);

    private async Task HandleControlPlaneAsync(HttpContext http, string path, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var method = request.Method;
        var s = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        int status;
        object? result;
        try
        {
            var body = await ReadBodyAsync(request, cancellationToken);
            (status, result) = (method, s.Length, s.ElementAtOrDefault(1), s.ElementAtOrDefault(3)) switch
            {
                ("POST", 2, "shops", _) => R(201, AddShopFrom(Read<ShopRequest>(body))),
                ("GET", 2, "shops", _) => R(200, GetShops()),
                ("GET", 3, "shops", _) => R(200, GetShop(s[2])),
                ("POST", 4, "shops", "orders") => R(201, CreateOrdersFrom(s[2], body)),
                ("GET", 4, "shops", "orders") => R(200, OrdersJson(GetOrders(s[2]))),
                ("POST", 4, "shops", "expire-token") => R(200, Do(() => ExpireAccessToken(s[2]), () => GetShop(s[2]))),
                ("POST", 4, "shops", "expire-refresh-token") => R(200, Do(() => ExpireRefreshToken(s[2]), () => GetShop(s[2]))),
                ("POST", 4, "shops", "auth-code") => R(200, new { authCode = IssueAuthCode(s[2]) }),
                ("POST", 4, "shops", "deauthorize") => R(200, new { notificationId = SendSellerDeauthorization(s[2]) }),
                ("POST", 4, "shops", "authorization-expiring") => R(200, new { notificationId = SendUpcomingAuthorizationExpiration(s[2]) }),
                ("GET", 3, "orders", _) => R(200, GetOrder(s[2]).ToApiJson(detail: true)),
                ("POST", 4, "orders", "status") => R(200, ChangeStatusFrom(s[2], Read<StatusRequest>(body)).ToApiJson(detail: true)),
                ("POST", 4, "orders", "address") => R(200, UpdateRecipientAddress(s[2], Read<SimAddressSpec>(body)).ToApiJson(detail: true)),
                ("POST", 4, "orders", "cancel-request") => R(200, new { cancelId = RequestBuyerCancellation(s[2], Read<CancelRequest>(body).Reason) }),
                ("POST", 4, "orders", "returns") => R(201, CreateReturn(s[2], Read<SimReturnSpec>(body))),
                ("GET", 4, "orders", "external-orders") => R(200, GetExternalOrders(s[2])),
                ("GET", 4, "shops", "cancellations") => R(200, GetCancellations(s[2])),
                ("GET", 3, "cancellations", _) => R(200, GetCancellation(s[2])),
                ("GET", 4, "shops", "returns") => R(200, GetReturns(s[2])),
                ("GET", 3, "returns", _) => R(200, GetReturn(s[2])),
                ("POST", 4, "returns", "ship") => R(200, ShipReturnFrom(s[2], Read<ShipReturnRequest>(body))),
                ("POST", 4, "returns", "refund-complete") => R(200, CompleteRefund(s[2])),
                ("POST", 4, "returns", "cancel") => R(200, CancelReturn(s[2])),
                ("PUT", 2, "rate-limit", _) => R(200, Do(() => SetRateLimit(Read<RateLimitRequest>(body).PerSecond), () => new { perSecond = _options.RateLimitPerSecond })),
                ("POST", 2, "deadlines", _) => R(200, Do(ApplyDeadlines, () => new { ok = true })),
                ("POST", 4, "shops", "warehouses") => R(201, new { warehouseId = AddWarehouse(s[2], Read<WarehouseRequest>(body).Name ?? "Sandbox warehouse") }),
                ("POST", 4, "shops", "products") => R(201, CreateProduct(s[2], Read<SimProductSpec>(body))),
                ("GET", 4, "shops", "products") => R(200, GetProducts(s[2])),
                ("GET", 3, "products", _) => R(200, GetProduct(s[2])),
                ("POST", 4, "products", "status") => R(200, ProductStatusFrom(s[2], Read<ProductStatusRequest>(body))),
                ("POST", 4, "products", "information") => R(200, ProductInformationFrom(s[2], Read<ProductInformationRequest>(body))),
                ("POST", 2, "faults", _) => R(201, Do(() => InjectFault(Read<SimFault>(body)), () => new { ok = true })),
                ("DELETE", 2, "faults", _) => R(200, Do(ClearFaults, () => new { ok = true })),
                ("GET", 2, "requests", _) => R(200, Requests),
                ("DELETE", 2, "requests", _) => R(200, Do(ClearRequests, () => new { ok = true })),
                ("PUT", 2, "webhook-url", _) => R(200, Do(() => SetWebhookUrl(Read<WebhookUrlRequest>(body).Url), () => new { url = WebhookUrl })),
                ("GET", 2, "webhooks", _) => R(200, WebhookDeliveries),
                _ => R(404, new { error = $"No control-plane route {method} {path}." }),
            };
        }
        catch (KeyNotFoundException e)
        {
            (status, result) = (404, new { error = e.Message });
        }
        catch (InvalidOperationException e)
        {
            (status, result) = (409, new { error = e.Message });
        }
        catch (ArgumentException e)
        {
            (status, result) = (400, new { error = e.Message });
        }
        catch (JsonException e)
        {
            (status, result) = (400, new { error = e.Message });
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var json = result is JsonNode node ? node.ToJsonString(ControlJson) : JsonSerializer.Serialize(result, ControlJson);
        await http.Response.WriteAsync(json, cancellationToken);
    }

    private static T Read<T>(byte[] body) =>
        JsonSerializer.Deserialize<T>(body.Length == 0 ? "{}"u8.ToArray() : body, ControlJson) ?? throw new JsonException("A JSON body is required.");

    private static (int Status, object? Result) R(int status, object? result) => (status, result);

    private static T Do<T>(Action action, Func<T> then)
    {
        action();
        return then();
    }

    private SimShop AddShopFrom(ShopRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ShopId, "shopId");
        return AddShop(request.ShopId, request.Name, request.Region ?? "US");
    }

    private JsonObject CreateOrdersFrom(string shopId, byte[] body)
    {
        var root = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body) as JsonObject ?? throw new JsonException("Expected a JSON object.");
        var count = root["count"]?.GetValue<int>() ?? 1;
        var spec = root["spec"] is JsonObject specNode
            ? specNode.Deserialize<SimOrderSpec>(ControlJson)!
            : root.Deserialize<SimOrderSpec>(ControlJson)!;
        return OrdersJson(CreateOrders(shopId, count, _ => spec));
    }

    private SimOrder ChangeStatusFrom(string orderId, StatusRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Status, "status");
        if (request.Advance)
        {
            return AdvanceTo(orderId, request.Status);
        }

        return ChangeStatus(orderId, request.Status, request.Initiator, request.Reason);
    }

    private static JsonObject OrdersJson(IEnumerable<SimOrder> orders)
    {
        var array = new JsonArray();
        foreach (var order in orders)
        {
            array.Add(order.ToApiJson(detail: true));
        }

        return new JsonObject { ["orders"] = array };
    }

    private SimReturn ShipReturnFrom(string returnId, ShipReturnRequest request) =>
        ShipReturn(returnId, request.TrackingNumber, request.ProviderName ?? "USPS");

    private SimProduct ProductStatusFrom(string productId, ProductStatusRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Status, "status");
        return SetProductStatus(productId, request.Status, request.AuditFailures, request.SuspendedReason);
    }

    private SimProduct ProductInformationFrom(string productId, ProductInformationRequest request) =>
        ChangeProductInformation(productId, request.Title, request.ChangedFields, request.ChangeSource ?? "SELLER_CENTER");

    /// <summary>§8.2 knob at run time: requests per second per (app, shop, path) before 429 + 36009002; 0 = unlimited.</summary>
    public void SetRateLimit(int perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perSecond);
        _options.RateLimitPerSecond = perSecond;
    }
}
