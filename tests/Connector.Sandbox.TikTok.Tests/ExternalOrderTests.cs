namespace Connector.Sandbox.TikTok.Tests;

/// <summary>
/// order.json 202406 AddExternalOrderReferences, GetExternalOrderReferences, SearchOrderByExternalOrderReference. The OAS
/// platform notes: a different OMS adds a reference, the same OMS edits (replaces) it.
/// </summary>
public sealed class ExternalOrderTests
{
    private const string Add = "/order/202406/orders/external_orders";

    private static string Body(string orderId, string externalId, string platform = "ORDER_MANAGEMENT_SYSTEM", string lines = "") =>
        $$$"""{"orders":[{"id":"{{{orderId}}}","external_order":{"id":"{{{externalId}}}","platform":"{{{platform}}}"{{{lines}}}}}]}""";

    [Fact]
    public async Task The_same_platform_replaces_the_reference_another_platform_adds_one_and_search_finds_the_order()
    {
        await using var api = await ShopApi.StartAsync();
        var order = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());
        var line = order.LineItems[0].Id;

        var first = await api.PostAsync(Add, Body(order.Id, "1001"));
        var repeat = await api.PostAsync(Add, Body(order.Id, "1001"));
        var edit = await api.PostAsync(Add, Body(order.Id, "1002", lines: $$$""","line_items":[{"id":"L1","origin_id":"{{{line}}}"}]"""));
        var other = await api.PostAsync(Add, Body(order.Id, "#5001", "SHOPIFY"));
        var get = await api.GetAsync($"/order/202406/orders/{order.Id}/external_orders", ("platform", "ORDER_MANAGEMENT_SYSTEM"));
        var found = await api.PostAsync("/order/202406/orders/external_order_search", "{}", ("platform", "ORDER_MANAGEMENT_SYSTEM"), ("external_order_id", "1002"));
        var stale = await api.PostAsync("/order/202406/orders/external_order_search", "{}", ("platform", "ORDER_MANAGEMENT_SYSTEM"), ("external_order_id", "1001"));

        Assert.All(new[] { first, repeat, edit, other }, r => Assert.Equal(0, r.Code));
        Assert.False(first.Data.TryGetProperty("errors", out _));
        var refs = get.Data.GetProperty("external_orders").EnumerateArray().ToList();
        Assert.Equal(["ORDER_MANAGEMENT_SYSTEM", "SHOPIFY"], refs.Select(r => r.GetProperty("platform").GetString()));
        Assert.Equal("1002", refs[0].GetProperty("id").GetString());
        Assert.Equal(line, refs[0].GetProperty("line_items")[0].GetProperty("origin_id").GetString());
        Assert.Equal(order.Id, Assert.Single(found.Data.GetProperty("orders").EnumerateArray().ToList()).GetProperty("id").GetString());
        Assert.Equal(0, stale.Data.GetProperty("orders").GetArrayLength());
        Assert.Equal(2, api.Sim.GetExternalOrders(order.Id).Count);
    }

    [Fact]
    public async Task Unknown_or_foreign_orders_and_lines_are_reported_per_order_and_the_rest_is_saved()
    {
        await using var api = await ShopApi.StartAsync();
        var order = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());
        var other = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());
        var body = $$$"""
            {"orders":[
              {"id":"576400000000000001","external_order":{"id":"A","platform":"ERP_SYSTEM"}},
              {"id":"{{{other.Id}}}","external_order":{"id":"B","platform":"ERP_SYSTEM","line_items":[{"id":"x","origin_id":"{{{order.LineItems[0].Id}}}"}]}},
              {"id":"{{{order.Id}}}","external_order":{"id":"C","platform":"ERP_SYSTEM"}}]}
            """;

        var response = await api.PostAsync(Add, body);

        Assert.Equal(0, response.Code);
        var errors = response.Data.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([TikTokSimulator.ExternalOrderInvalidOrderCode, TikTokSimulator.ExternalOrderInvalidLineCode], errors.Select(e => e.GetProperty("code").GetString()));
        Assert.Equal("Invalid order_id", errors[0].GetProperty("message").GetString());
        Assert.Equal("576400000000000001", errors[0].GetProperty("detail").GetProperty("order_id").GetString());
        Assert.Equal("C", api.Sim.GetExternalOrders(order.Id)["ERP_SYSTEM"].Id);
        Assert.Empty(api.Sim.GetExternalOrders(other.Id));
    }

    [Theory]
    [InlineData("{}", "param body.orders is missing")]
    [InlineData("""{"orders":[]}""", "param body.orders is invalid, max count: 100")]
    [InlineData("""{"orders":[{"id":"1","external_order":{"id":"A","platform":"NETSUITE"}}]}""", "param platform is invalid: NETSUITE")]
    [InlineData("""{"orders":[{"id":"1","external_order":{"platform":"SHOPIFY"}}]}""", "param body.id is missing")]
    [InlineData("""{"orders":[{"id":1,"external_order":{"id":"A","platform":"SHOPIFY"}}]}""", "param id type invalid,actual type is:int64,expected type is:string")]
    [InlineData("""{"orders":[{"id":"1"}]}""", "param body.external_order is missing")]
    public async Task Add_refuses_a_body_outside_the_oas_with_36009004(string body, string message)
    {
        // order.json AddExternalOrderReferences: orders "Max count: 100"; platform enum SHOPIFY ... ERP_SYSTEM.
        await using var api = await ShopApi.StartAsync();

        var response = await api.PostAsync(Add, body);

        Assert.Equal((36009004, message), (response.Code, response.Message));
    }

    [Fact]
    public async Task Add_refuses_more_than_100_orders_and_the_reads_refuse_a_missing_or_unknown_platform()
    {
        await using var api = await ShopApi.StartAsync();
        var order = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());
        var many = "{\"orders\":[" + string.Join(',', Enumerable.Range(0, 101).Select(i => $$$"""{"id":"{{{order.Id}}}","external_order":{"id":"{{{i}}}","platform":"SHOPIFY"}}""")) + "]}";

        var tooMany = await api.PostAsync(Add, many);
        var noPlatform = await api.GetAsync($"/order/202406/orders/{order.Id}/external_orders");
        var badPlatform = await api.GetAsync($"/order/202406/orders/{order.Id}/external_orders", ("platform", "shopify"));
        var foreign = await api.GetAsync("/order/202406/orders/576400000000000001/external_orders", ("platform", "SHOPIFY"));
        var noId = await api.PostAsync("/order/202406/orders/external_order_search", "{}", ("platform", "SHOPIFY"));

        Assert.Equal((36009004, "param body.orders is invalid, max count: 100"), (tooMany.Code, tooMany.Message));
        Assert.Equal((36009004, "param platform is missing"), (noPlatform.Code, noPlatform.Message));
        Assert.Equal(36009004, badPlatform.Code);
        Assert.Equal(21008111, foreign.Code);
        Assert.Equal((36009004, "param external_order_id is missing"), (noId.Code, noId.Message));
    }
}
