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
/// <item><c>GET /_sim/stores/{name}/inventory/{sku}</c> → {sku, inventory}; <c>PUT</c> the same with {inventory}</item>
/// <item><c>POST /_sim/stores/{name}/faults</c> {throttleNext?, failNextOrderCreate?, dropResponseAfterNextOrderCreate?,
/// orderCreateDelayMs?, searchIndexLagMs?} → 204</item>
/// </list>
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
