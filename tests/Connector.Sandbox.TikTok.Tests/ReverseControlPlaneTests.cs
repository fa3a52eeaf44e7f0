using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>The /_sim/ control plane for cancellations, returns, products, warehouses and the rate limit, over HTTP as the demo drives it.</summary>
public sealed class ReverseControlPlaneTests
{
    private static HttpClient Http => TikTokTestClient.Http;

    private static async Task<(HttpStatusCode Status, JsonElement Json)> Send(TikTokSimulator sim, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(sim.BaseUrl, path)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Cancellation_and_return_routes_create_move_and_list_requests()
    {
        await using var api = await ShopApi.StartAsync();
        var sim = api.Sim;
        var open = sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());
        var delivered = sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec { Status = "DELIVERED" });

        var cancel = await Send(sim, HttpMethod.Post, $"/_sim/orders/{open.Id}/cancel-request", new { reason = "ecom_order_to_ship_canceled_reason_created_by_mistakes" });
        var duplicate = await Send(sim, HttpMethod.Post, $"/_sim/orders/{open.Id}/cancel-request");
        var cancellations = await Send(sim, HttpMethod.Get, $"/_sim/shops/{ShopApi.ShopId}/cancellations");
        var created = await Send(sim, HttpMethod.Post, $"/_sim/orders/{delivered.Id}/returns", new { returnType = "RETURN_AND_REFUND", reasonText = "Broken" });
        var returnId = created.Json.GetProperty("returnId").GetString()!;
        var early = await Send(sim, HttpMethod.Post, $"/_sim/returns/{returnId}/ship", new { trackingNumber = "1Z1" });
        sim.SetStatus(delivered.Id, "COMPLETED");
        var approve = await api.PostAsync($"/return_refund/202309/returns/{returnId}/approve", """{"decision":"APPROVE_RETURN"}""");
        var shipped = await Send(sim, HttpMethod.Post, $"/_sim/returns/{returnId}/ship", new { trackingNumber = "1Z1" });
        var received = await api.PostAsync($"/return_refund/202309/returns/{returnId}/approve", """{"decision":"APPROVE_RECEIVED_PACKAGE"}""");
        var refunded = await Send(sim, HttpMethod.Post, $"/_sim/returns/{returnId}/refund-complete");
        var listed = await Send(sim, HttpMethod.Get, $"/_sim/shops/{ShopApi.ShopId}/returns");
        var deadlines = await Send(sim, HttpMethod.Post, "/_sim/deadlines");

        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        Assert.Equal("ecom_order_to_ship_canceled_reason_created_by_mistakes", sim.GetCancellation(cancel.Json.GetProperty("cancelId").GetString()!).Reason);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("CANCELLATION_REQUEST_PENDING", cancellations.Json[0].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal(0, approve.Code);
        Assert.Equal(("BUYER_SHIPPED_ITEM", "1Z1"), (shipped.Json.GetProperty("status").GetString(), shipped.Json.GetProperty("returnTrackingNumber").GetString()));
        Assert.Equal(0, received.Code);
        Assert.Equal("RETURN_OR_REFUND_REQUEST_COMPLETE", refunded.Json.GetProperty("status").GetString());
        Assert.Equal(1, listed.Json.GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, deadlines.Status);
    }

    [Fact]
    public async Task Product_warehouse_and_rate_limit_routes_drive_the_signed_api()
    {
        await using var api = await ShopApi.StartAsync();
        var sim = api.Sim;

        var warehouse = await Send(sim, HttpMethod.Post, $"/_sim/shops/{ShopApi.ShopId}/warehouses", new { name = "East" });
        var warehouseId = warehouse.Json.GetProperty("warehouseId").GetString()!;
        var product = await Send(sim, HttpMethod.Post, $"/_sim/shops/{ShopApi.ShopId}/products", new
        {
            title = "Mug",
            status = "PENDING",
            skus = new[] { new { sellerSku = "MUG-1", price = 9.5, stock = new Dictionary<string, int> { [warehouseId] = 3 } } },
        });
        var productId = product.Json.GetProperty("id").GetString()!;
        var failed = await Send(sim, HttpMethod.Post, $"/_sim/products/{productId}/status", new
        {
            status = "FAILED",
            auditFailures = new[] { new { position = "Main image", reasons = new[] { "Watermark" }, suggestions = new[] { "Remove the watermark." } } },
        });
        var live = await Send(sim, HttpMethod.Post, $"/_sim/products/{productId}/status", new { status = "ACTIVATE" });
        var edited = await Send(sim, HttpMethod.Post, $"/_sim/products/{productId}/information", new { title = "Big mug" });
        var badStatus = await Send(sim, HttpMethod.Post, $"/_sim/products/{productId}/status", new { status = "LIVE" });
        var limit = await Send(sim, HttpMethod.Put, "/_sim/rate-limit", new { perSecond = 1 });
        var get = await api.GetAsync($"/product/202309/products/{productId}");

        Assert.Equal(HttpStatusCode.Created, warehouse.Status);
        Assert.Equal(HttpStatusCode.Created, product.Status);
        Assert.Equal("Watermark", failed.Json.GetProperty("auditFailures")[0].GetProperty("reasons")[0].GetString());
        Assert.Equal("ACTIVATE", live.Json.GetProperty("status").GetString());
        Assert.Equal("Big mug", edited.Json.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.Status);
        Assert.Equal(1, limit.Json.GetProperty("perSecond").GetInt32());
        Assert.Equal(0, get.Code);
        Assert.Equal(warehouseId, get.Data.GetProperty("skus")[0].GetProperty("inventory")[0].GetProperty("warehouse_id").GetString());
    }
}
