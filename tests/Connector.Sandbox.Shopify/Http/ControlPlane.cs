using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Shopify.GraphQL;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Connector.Sandbox.Shopify.Http;

/// <summary>
/// Unauthenticated control plane for the local demo and browser tests (design.md §5):
/// <list type="bullet">
/// <item><c>POST /_sim/stores</c> {name, accessToken?, currency?} → 201 the shop (409 if it exists)</item>
/// <item><c>GET /_sim/stores</c>, <c>GET /_sim/stores/{name}</c></item>
/// <item><c>POST /_sim/stores/{name}/products</c> {title, variants:[{sku, price, inventory}]} → 201 {productId, variantIds}</item>
/// <item><c>GET /_sim/stores/{name}/products</c>, <c>GET /_sim/stores/{name}/orders</c></item>
/// <item><c>GET /_sim/stores/{name}/webhooks</c> → {subscriptions, deliveries} (bodies and headers: <c>WebhookDeliveries</c>)</item>
/// <item><c>GET /_sim/stores/{name}/inventory/{sku}</c> → {sku, inventory}; <c>PUT</c> the same with {inventory}</item>
/// <item><c>POST /_sim/stores/{name}/faults</c> {throttleNext?, failNextOrderCreate?, dropResponseAfterNextOrderCreate?,
/// orderCreateDelayMs?, searchIndexLagMs?} → 204</item>
/// <item><c>POST /_sim/stores/{name}/orders/{order}/fulfill</c> {trackingNumber?, company?, units?: {sku: qty}} → 201
/// {fulfillmentId, orderId, orderName, displayFulfillmentStatus, updatedAt}; the merchant fulfils in the admin</item>
/// <item><c>POST /_sim/stores/{name}/orders/{order}/cancel</c> {reason?, restock?, staffNote?} → 200 {orderId,
/// orderName, cancelledAt, cancelReason, updatedAt}; the merchant cancels in the admin</item>
/// </list>
/// <c>{order}</c> is the order name (<c>1001</c>, <c>%231001</c>), its legacy id or its URL-encoded gid. Shopify's
/// refusals answer 422 (404 for an unknown order) with <c>{error, status, userErrors: [{field, message, code}]}</c>.
/// </summary>
internal static class ControlPlane
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static void Map(IEndpointRouteBuilder app, ShopifySimulator simulator)
    {
        var group = app.MapGroup("/_sim/stores");
        group.MapPost("/", (RequestDelegate)(async http =>
        {
            var body = await ReadAsync(http);
            var name = body.Str("name");
            if (string.IsNullOrWhiteSpace(name))
            {
                await Problem(http, 400, "name is required");
                return;
            }

            if (simulator.TryGetShop(name, out _))
            {
                await Problem(http, 409, $"Shop '{name}' already exists.");
                return;
            }

            SimShopifyShop shop;
            try
            {
                shop = simulator.AddShop(name, body.Str("accessToken"));
            }
            catch (ArgumentException ex)
            {
                await Problem(http, 400, ex.Message);
                return;
            }

            if (body.Str("currency") is { } currency)
            {
                shop.Currency = currency;
            }

            await GraphQLEndpoint.WriteAsync(http, 201, Describe(shop));
        }));
        group.MapGet("/", (RequestDelegate)(http =>
            GraphQLEndpoint.WriteAsync(http, 200, new JsonArray(simulator.Shops.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => (JsonNode)Describe(s)).ToArray()))));
        group.MapGet("/{name}", (RequestDelegate)(http => WithShop(http, simulator, shop => GraphQLEndpoint.WriteAsync(http, 200, Describe(shop)))));
        group.MapPost("/{name}/products", (RequestDelegate)(http => WithShop(http, simulator, async shop =>
        {
            var body = await ReadAsync(http);
            var title = body.Str("title");
            if (string.IsNullOrWhiteSpace(title))
            {
                await Problem(http, 400, "title is required");
                return;
            }

            var variants = body.Objects("variants")
                .Select(v => (sku: v.Str("sku") ?? string.Empty, price: v.Dec("price") ?? 0m, inventory: v.Int("inventory") ?? 0))
                .ToArray();
            var ids = shop.AddProduct(title, variants);
            var productId = shop.Variants.First(v => v.Id == ids[0]).ProductId;
            await GraphQLEndpoint.WriteAsync(http, 201, new JsonObject
            {
                ["productId"] = productId,
                ["variantIds"] = new JsonArray(ids.Select(id => (JsonNode)JsonValue.Create(id)).ToArray()),
            });
        })));
        group.MapGet("/{name}/products", (RequestDelegate)(http => WithShop(http, simulator, shop =>
            GraphQLEndpoint.WriteAsync(http, 200, new JsonArray(shop.Products.Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p.Id,
                ["title"] = p.Title,
                ["variants"] = JsonSerializer.SerializeToNode(shop.Variants.Where(v => v.ProductId == p.Id).ToArray(), Json),
            }).ToArray())))));
        group.MapGet("/{name}/orders", (RequestDelegate)(http => WithShop(http, simulator, shop =>
            GraphQLEndpoint.WriteAsync(http, 200, JsonSerializer.SerializeToNode(shop.Orders, Json)!))));
        group.MapGet("/{name}/webhooks", (RequestDelegate)(http => WithShop(http, simulator, shop =>
            GraphQLEndpoint.WriteAsync(http, 200, DescribeWebhooks(shop)))));
        group.MapGet("/{name}/inventory/{sku}", (RequestDelegate)(http => WithShop(http, simulator, async shop =>
        {
            var sku = (string)http.Request.RouteValues["sku"]!;
            try
            {
                await GraphQLEndpoint.WriteAsync(http, 200, new JsonObject { ["sku"] = sku, ["inventory"] = shop.InventoryOf(sku) });
            }
            catch (KeyNotFoundException ex)
            {
                await Problem(http, 404, ex.Message);
            }
        })));
        group.MapPut("/{name}/inventory/{sku}", (RequestDelegate)(http => WithShop(http, simulator, async shop =>
        {
            var sku = (string)http.Request.RouteValues["sku"]!;
            var body = await ReadAsync(http);
            if (body.Int("inventory") is not { } inventory)
            {
                await Problem(http, 400, "inventory (integer) is required");
                return;
            }

            try
            {
                shop.SetInventory(sku, inventory);
                await GraphQLEndpoint.WriteAsync(http, 200, new JsonObject { ["sku"] = sku, ["inventory"] = shop.InventoryOf(sku) });
            }
            catch (KeyNotFoundException ex)
            {
                await Problem(http, 404, ex.Message);
            }
        })));
        group.MapPost("/{name}/faults", (RequestDelegate)(http => WithShop(http, simulator, async shop =>
        {
            var body = await ReadAsync(http);
            if (body.Int("throttleNext") is { } throttle)
            {
                shop.ThrottleNext(throttle);
            }

            if (body.Str("failNextOrderCreate") is { } message)
            {
                shop.FailNextOrderCreate(message);
            }

            if (body.Bool("dropResponseAfterNextOrderCreate") == true)
            {
                shop.DropResponseAfterNextOrderCreate();
            }

            if (body.Int("orderCreateDelayMs") is { } delay)
            {
                shop.SetOrderCreateDelay(TimeSpan.FromMilliseconds(delay));
            }

            if (body.Int("searchIndexLagMs") is { } lag)
            {
                shop.SetSearchIndexLag(TimeSpan.FromMilliseconds(lag));
            }

            http.Response.StatusCode = 204;
        })));
        MapMerchantActions(group, simulator);
    }

    private static void MapMerchantActions(RouteGroupBuilder group, ShopifySimulator simulator)
    {
        group.MapPost("/{name}/orders/{order}/fulfill", (RequestDelegate)(http => WithOrder(http, simulator, async (shop, order) =>
        {
            var body = await ReadAsync(http);
            Dictionary<string, int>? units = null;
            if (body["units"] is not null)
            {
                if (body["units"] is not JsonObject unitsObject || unitsObject.Count == 0)
                {
                    await Problem(http, 400, "units must be a non-empty object {sku: quantity}; leave it out to fulfil everything remaining");
                    return;
                }

                units = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var (sku, _) in unitsObject)
                {
                    if (unitsObject.Int(sku) is not { } quantity)
                    {
                        await Problem(http, 400, $"units.{sku} must be an integer");
                        return;
                    }

                    units[sku] = quantity;
                }
            }

            var outcome = shop.FulfillAsMerchantCore(order.Id, body.Str("trackingNumber"), body.Str("company"), units);
            if (outcome.Errors.Count > 0)
            {
                await UserErrors(http, "fulfillmentCreate", outcome.Errors);
                return;
            }

            var updated = shop.FindOrder(order.Id)!;
            await GraphQLEndpoint.WriteAsync(http, 201, new JsonObject
            {
                ["fulfillmentId"] = outcome.Fulfillment!.Id,
                ["orderId"] = updated.Id,
                ["orderName"] = updated.Name,
                ["displayFulfillmentStatus"] = updated.FulfillmentStatus,
                ["updatedAt"] = Executor.FormatDateTime(updated.UpdatedAt),
            });
        })));
        group.MapPost("/{name}/orders/{order}/cancel", (RequestDelegate)(http => WithOrder(http, simulator, async (shop, order) =>
        {
            var body = await ReadAsync(http);
            var reason = body.Str("reason") ?? "CUSTOMER";
            if (!SimShopifyShop.CancelReasons.Contains(reason))
            {
                await Problem(http, 400, $"reason must be one of {string.Join(", ", SimShopifyShop.CancelReasons.Order(StringComparer.Ordinal))}");
                return;
            }

            var outcome = shop.CancelAsMerchantCore(order.Id, reason, body.Bool("restock") ?? true, body.Str("staffNote"));
            if (outcome.Errors.Count > 0)
            {
                await UserErrors(http, "orderCancel", outcome.Errors);
                return;
            }

            var updated = shop.FindOrder(order.Id)!;
            await GraphQLEndpoint.WriteAsync(http, 200, new JsonObject
            {
                ["orderId"] = updated.Id,
                ["orderName"] = updated.Name,
                ["cancelledAt"] = Executor.FormatDateTime(updated.CancelledAt!.Value),
                ["cancelReason"] = updated.CancelReason,
                ["updatedAt"] = Executor.FormatDateTime(updated.UpdatedAt),
            });
        })));
    }

    /// <summary>The order named by the <c>{order}</c> route value: name ("#1001" or "1001"), legacy id, or gid.</summary>
    private static SimShopifyOrder? FindOrder(SimShopifyShop shop, string reference)
    {
        var value = Uri.UnescapeDataString(reference).Trim();
        if (value.StartsWith("gid://", StringComparison.Ordinal))
        {
            return shop.FindOrder(value);
        }

        var orders = shop.Orders;
        return orders.FirstOrDefault(o => o.Name == value)
            ?? orders.FirstOrDefault(o => o.Name == "#" + value)
            ?? (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var legacyId) ? shop.FindOrder(Gid.Create("Order", legacyId)) : null);
    }

    private static Task WithOrder(HttpContext http, ShopifySimulator simulator, Func<SimShopifyShop, SimShopifyOrder, Task> action) =>
        WithShop(http, simulator, async shop =>
        {
            var reference = (string)http.Request.RouteValues["order"]!;
            if (FindOrder(shop, reference) is not { } order)
            {
                await Problem(http, 404, $"Shop '{shop.Name}' has no order '{Uri.UnescapeDataString(reference)}'.");
                return;
            }

            await action(shop, order);
        });

    private static Task UserErrors(HttpContext http, string mutation, IReadOnlyList<ShopUserError> errors)
    {
        var status = errors.Any(e => e.Code == "NOT_FOUND") ? 404 : 422;
        return GraphQLEndpoint.WriteAsync(http, status, new JsonObject
        {
            ["error"] = $"Shopify refused {mutation}: {string.Join(" ", errors.Select(e => e.Message))}",
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
            ["userErrors"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject
            {
                ["field"] = e.Field is null ? null : new JsonArray(e.Field.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
                ["message"] = e.Message,
                ["code"] = e.Code,
            }).ToArray()),
        });
    }

    private static JsonObject Describe(SimShopifyShop shop)
    {
        var status = shop.ThrottleStatus();
        return new JsonObject
        {
            ["name"] = shop.Name,
            ["id"] = shop.Id,
            ["baseUrl"] = shop.BaseUrl.AbsoluteUri,
            ["graphqlUrl"] = shop.GraphQLUrl.AbsoluteUri,
            ["accessToken"] = shop.AccessToken,
            ["apiSecretKey"] = shop.ApiSecretKey,
            ["currency"] = shop.Currency,
            ["orderCount"] = shop.Orders.Count,
            ["throttleStatus"] = new JsonObject
            {
                ["maximumAvailable"] = status.MaximumAvailable,
                ["currentlyAvailable"] = status.CurrentlyAvailable,
                ["restoreRate"] = status.RestoreRate,
            },
        };
    }

    private static JsonObject DescribeWebhooks(SimShopifyShop shop) => new()
    {
        ["subscriptions"] = new JsonArray(shop.WebhookSubscriptions.Select(w => (JsonNode)new JsonObject
        {
            ["id"] = w.Id,
            ["topic"] = w.Topic,
            ["uri"] = w.Uri,
            ["createdAt"] = w.CreatedAt,
        }).ToArray()),
        ["deliveries"] = new JsonArray(shop.WebhookDeliveries.Select(d => (JsonNode)new JsonObject
        {
            ["topic"] = d.Topic,
            ["uri"] = d.Uri,
            ["webhookId"] = d.WebhookId,
            ["orderId"] = d.OrderId,
            ["attempt"] = d.Attempt,
            ["duplicate"] = d.IsDuplicate,
            ["dropped"] = d.Dropped,
            ["responseStatus"] = d.ResponseStatus,
            ["error"] = d.Error,
            ["time"] = d.Time,
        }).ToArray()),
    };

    private static async Task WithShop(HttpContext http, ShopifySimulator simulator, Func<SimShopifyShop, Task> action)
    {
        var name = (string)http.Request.RouteValues["name"]!;
        if (!simulator.TryGetShop(name, out var shop))
        {
            await Problem(http, 404, $"No shop named '{name}'.");
            return;
        }

        await action(shop);
    }

    private static async Task<JsonObject> ReadAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static Task Problem(HttpContext http, int status, string message) =>
        GraphQLEndpoint.WriteAsync(http, status, new JsonObject { ["error"] = message, ["status"] = status.ToString(CultureInfo.InvariantCulture) });
}
