using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>The order grid API: tabs, counts, search, filters, paging (issue "merchant's order page").</summary>
[Collection(IntegrationCollection.Name)]
public sealed class OrderListTests(ITestOutputHelper output)
{
    private static SimOrderSpec For(string customer, string sku, string status = "AWAITING_SHIPMENT", long? created = null) =>
        TestOrders.Spec(status, (sku, 1, 10m)) with
        {
            Address = new SimAddressSpec { Name = customer },
            CreateTime = created,
        };

    private static async Task<List<JsonElement>> ListAsync(TestSandbox sandbox, string query)
    {
        var page = await sandbox.Api.GetFromJsonAsync<JsonElement>($"/api/orders?{query}");
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task Tabs_counts_search_and_filters_combine()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("grid1");
        store.AddProduct("Mug", ("MUG", 10m, 1000));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var alice = sandbox.TikTok.CreateOrder("grid1", For("Alice Martin", "MUG", created: now - 86_400 * 3));
        var bob = sandbox.TikTok.CreateOrder("grid1", For("Bob Stone", "MUG", created: now - 86_400 * 2));
        var carol = sandbox.TikTok.CreateOrder("grid1", For("Carol Stone", "NOPE-1", created: now - 86_400));
        var dave = sandbox.TikTok.CreateOrder("grid1", For("Dave Unpaid", "MUG", "UNPAID", created: now - 3600) with { ShippingType = "TIKTOK" });
        await sandbox.FetchAndWaitAsync("grid1");

        var summary = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/orders/summary?shopId=grid1");
        Assert.Equal(4, summary.GetProperty("all").GetInt32());
        Assert.Equal(2, summary.GetProperty("counts").GetProperty("AWAITING_SHIPMENT").GetInt32());
        Assert.Equal(1, summary.GetProperty("counts").GetProperty("FAILED").GetInt32());
        Assert.Equal(1, summary.GetProperty("counts").GetProperty("UNPAID").GetInt32());

        // All, newest first.
        Assert.Equal([dave.Id, carol.Id, bob.Id, alice.Id], (await ListAsync(sandbox, "shopId=grid1")).Select(o => o.GetProperty("orderId").GetString()));

        // A tab, a search by customer, by order id, and a filter combined with a tab.
        Assert.Equal([carol.Id], (await ListAsync(sandbox, "shopId=grid1&status=FAILED")).Select(o => o.GetProperty("orderId").GetString()));
        Assert.Equal([carol.Id, bob.Id], (await ListAsync(sandbox, "shopId=grid1&q=stone")).Select(o => o.GetProperty("orderId").GetString()));
        Assert.Equal([alice.Id], (await ListAsync(sandbox, $"shopId=grid1&q={alice.Id}")).Select(o => o.GetProperty("orderId").GetString()));
        Assert.Equal([bob.Id], (await ListAsync(sandbox, "shopId=grid1&status=AWAITING_SHIPMENT&customer=stone")).Select(o => o.GetProperty("orderId").GetString()));
        Assert.Equal([dave.Id], (await ListAsync(sandbox, "shopId=grid1&logisticMode=TikTok%20shipping")).Select(o => o.GetProperty("orderId").GetString()));
        Assert.Equal([carol.Id], (await ListAsync(sandbox, "shopId=grid1&product=nope")).Select(o => o.GetProperty("orderId").GetString()));
        Assert.Empty(await ListAsync(sandbox, "shopId=grid1&fulfilledBy=TikTok"));

        // Created-at range (half-open): the two middle orders.
        var range = await ListAsync(sandbox, $"shopId=grid1&createdFrom={bob.CreateTime}&createdTo={carol.CreateTime + 1}");
        Assert.Equal([carol.Id, bob.Id], range.Select(o => o.GetProperty("orderId").GetString()));

        // The grid row carries what the merchant reads.
        var row = (await ListAsync(sandbox, $"shopId=grid1&q={bob.Id}"))[0];
        Assert.Equal("Bob Stone", row.GetProperty("customerName").GetString());
        Assert.StartsWith("gid://shopify/Order/", row.GetProperty("storeOrderId").GetString(), StringComparison.Ordinal);
        Assert.Equal("Seller", row.GetProperty("fulfilledBy").GetString());
        Assert.Equal(1, row.GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task Paging_returns_every_order_once_through_continuations()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("grid2");
        store.AddProduct("Mug", ("MUG", 10m, 1000));
        var created = sandbox.TikTok.CreateOrders("grid2", 23, _ => TestOrders.Spec(("MUG", 1, 10m)));
        await sandbox.FetchAndWaitAsync("grid2");

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var url = "/api/orders?shopId=grid2&status=AWAITING_SHIPMENT&pageSize=10" + (continuation is null ? "" : $"&continuation={Uri.EscapeDataString(continuation)}");
            var page = await sandbox.Api.GetFromJsonAsync<JsonElement>(url);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()!));
            continuation = page.TryGetProperty("continuation", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            pages++;
        }
        while (continuation is not null && pages < 10);

        Assert.Equal(created.Select(o => o.Id).Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(pages >= 3);
    }

    [Fact]
    public async Task An_order_moves_between_tabs_when_its_status_changes()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("grid3");
        store.AddProduct("Mug", ("MUG", 10m, 1000));
        var order = sandbox.TikTok.CreateOrder("grid3", TestOrders.Spec("ON_HOLD", ("MUG", 1, 10m)));
        await sandbox.FetchAndWaitAsync("grid3");
        Assert.Single(await ListAsync(sandbox, "shopId=grid3&status=ON_HOLD"));

        sandbox.TikTok.SetStatus(order.Id, "AWAITING_SHIPMENT");
        await TestWait.UntilPastAsync(sandbox.TikTok.GetOrder(order.Id).UpdateTime);
        await sandbox.FetchAndWaitAsync("grid3");

        Assert.Empty(await ListAsync(sandbox, "shopId=grid3&status=ON_HOLD"));
        Assert.Single(await ListAsync(sandbox, "shopId=grid3&status=AWAITING_SHIPMENT"));
        var summary = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/orders/summary?shopId=grid3");
        Assert.Equal(0, summary.GetProperty("counts").GetProperty("ON_HOLD").GetInt32());
    }

    [Theory]
    [InlineData("status=SHIPPED")]
    [InlineData("pageSize=0")]
    [InlineData("createdFrom=yesterday")]
    [InlineData("continuation=%%%")]
    [InlineData("fulfilledBy=Robot")]
    public async Task Bad_filters_are_400_problems(string query)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("grid4");

        using var response = await sandbox.Api.GetAsync($"/api/orders?shopId=grid4&{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
