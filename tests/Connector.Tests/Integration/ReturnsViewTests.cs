using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// The Returns view (issue 13 item 3): five tabs with counts kept like the order tabs' (a pointer per order written with its
/// row, counted by key), one tab's returns a page at a time with their lines, amount, reason and deadline, and 4xx for bad input.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ReturnsViewTests(ITestOutputHelper output)
{
    private static async Task<JsonElement> GetAsync(TestSandbox sandbox, string path)
    {
        using var response = await sandbox.Api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Dictionary<string, int> Counts(JsonElement page) =>
        page.GetProperty("tabs").EnumerateArray().ToDictionary(t => t.GetProperty("tab").GetString()!, t => t.GetProperty("count").GetInt32());

    private static string[] OrderIds(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("orderId").GetString()!)];

    [Fact]
    public async Task Each_return_is_counted_and_listed_in_its_tab_and_moves_when_its_status_does()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("rview");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var orders = Enumerable.Range(0, 5).Select(_ => sandbox.TikTok.CreateOrder("rview", TestOrders.Spec(("MUG-1", 2, 9m)))).ToList();
        await sandbox.FetchAndWaitAsync("rview");
        sandbox.EnableWebhooks();
        foreach (var order in orders)
        {
            sandbox.TikTok.AdvanceTo(order.Id, "DELIVERED");
        }

        var pending = sandbox.TikTok.CreateReturn(orders[0].Id, new SimReturnSpec { ReasonText = "Too small" });
        var awaiting = sandbox.TikTok.CreateReturn(orders[1].Id, new SimReturnSpec());
        var shipped = sandbox.TikTok.CreateReturn(orders[2].Id, new SimReturnSpec());
        var rejected = sandbox.TikTok.CreateReturn(orders[3].Id, new SimReturnSpec());
        sandbox.TikTok.CreateReturn(orders[4].Id, new SimReturnSpec());
        await sandbox.SettleAsync();
        foreach (var id in new[] { orders[1].Id, orders[2].Id })
        {
            using var approve = await sandbox.Api.PostAsJsonAsync($"/api/orders/{id}/return/approve?shopId=rview", new { returnId = id == orders[1].Id ? awaiting.ReturnId : shipped.ReturnId });
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        sandbox.TikTok.CancelReturn(rejected.ReturnId);
        await sandbox.SettleAsync();
        sandbox.TikTok.ShipReturn(shipped.ReturnId, "RET9", "UPS");
        await sandbox.SettleAsync();

        var first = await GetAsync(sandbox, "/api/returns?shopId=rview");
        Assert.Equal("pending", first.GetProperty("tab").GetString());
        Assert.Equal(new Dictionary<string, int> { ["pending"] = 2, ["awaiting-shipment"] = 1, ["buyer-shipped"] = 1, ["rejected"] = 1, ["completed"] = 0 }, Counts(first));
        Assert.Equal(2, OrderIds(first).Length);
        var item = first.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("orderId").GetString() == orders[0].Id);
        Assert.Equal("Too small", item.GetProperty("return").GetProperty("reason").GetString());
        Assert.True(item.GetProperty("return").TryGetProperty("deadline", out _));
        Assert.Equal("MUG-1", item.GetProperty("lines")[0].GetProperty("sku").GetString());
        Assert.Equal(2, item.GetProperty("lines")[0].GetProperty("units").GetInt32());
        Assert.True(item.GetProperty("canApprove").GetBoolean());

        Assert.Equal([orders[2].Id], OrderIds(await GetAsync(sandbox, "/api/returns?shopId=rview&tab=buyer-shipped")));
        Assert.Equal([orders[3].Id], OrderIds(await GetAsync(sandbox, "/api/returns?shopId=rview&tab=rejected")));

        // The received package approved: TikTok refunds, the return moves to Completed and the store shows the refund.
        using (var received = await sandbox.Api.PostAsJsonAsync($"/api/orders/{orders[2].Id}/return/approve?shopId=rview", new { returnId = shipped.ReturnId }))
        {
            Assert.Equal(HttpStatusCode.Accepted, received.StatusCode);
        }

        await sandbox.SettleAsync();
        var completed = await GetAsync(sandbox, "/api/returns?shopId=rview&tab=completed");
        Assert.Equal(0, Counts(completed)["buyer-shipped"]);
        Assert.Equal(1, Counts(completed)["completed"]);
        var done = Assert.Single(completed.GetProperty("items").EnumerateArray());
        Assert.Equal("refunded", done.GetProperty("storeRefund").GetString());
        Assert.False(done.GetProperty("canApprove").GetBoolean());
    }

    [Fact]
    public async Task Pages_follow_the_continuation_and_bad_input_is_a_4xx_naming_the_field()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("rpage");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var orders = Enumerable.Range(0, 3).Select(_ => sandbox.TikTok.CreateOrder("rpage", TestOrders.Spec(("MUG-1", 1, 9m)))).ToList();
        await sandbox.FetchAndWaitAsync("rpage");
        sandbox.EnableWebhooks();
        foreach (var order in orders)
        {
            sandbox.TikTok.AdvanceTo(order.Id, "DELIVERED");
            sandbox.TikTok.CreateReturn(order.Id, new SimReturnSpec());
        }

        await sandbox.SettleAsync();

        var first = await GetAsync(sandbox, "/api/returns?shopId=rpage&tab=pending&pageSize=2");
        var continuation = first.GetProperty("continuation").GetString();
        var second = await GetAsync(sandbox, $"/api/returns?shopId=rpage&tab=pending&pageSize=2&continuation={Uri.EscapeDataString(continuation!)}");
        Assert.Equal(orders.Select(o => o.Id).Order(), OrderIds(first).Concat(OrderIds(second)).Order());

        foreach (var (query, field) in new[] { ("tab=refunded", "tab"), ("pageSize=0", "pageSize"), ("continuation=bm90LWEta2V5", "continuation") })
        {
            using var response = await sandbox.Api.GetAsync($"/api/returns?shopId=rpage&{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query} should name {field}");
        }

        using var unknown = await sandbox.Api.GetAsync("/api/returns?shopId=nosuchshop");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
