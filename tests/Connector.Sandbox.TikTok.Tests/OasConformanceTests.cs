using System.Text.Json;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>
/// Every property the simulator emits must exist, with a matching JSON type, in TikTok's official OpenAPI response schema
/// (shared/reference/tiktok-oas), so the simulator cannot drift from the real API.
/// </summary>
public sealed class OasConformanceTests
{
    private const string ShopId = "7494049642642441621";

    [Fact]
    public async Task Search_and_both_detail_versions_for_orders_in_every_status_match_the_order_oas_schema()
    {
        await using var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions { Seed = 3 });
        var shop = sim.AddShop(ShopId);
        var client = new TikTokTestClient(TikTokTestClient.Http, sim);
        var ids = CreateVariedOrders(sim);

        var search = await client.SearchAsync(shop, 100);
        var detail = await client.DetailAsync(shop, ids);
        var detail202507 = await client.DetailAsync(shop, ids, "202507");

        Assert.Equal(0, search.Code);
        Assert.Equal(ids.Count, search.Data.GetProperty("orders").GetArrayLength());
        Assert.Equal(0, detail.Code);
        Assert.Equal(0, detail202507.Code);
        using var oas = Oas.Load("order.json");
        AssertMatches(search.Root, oas.ResponseSchema("/order/202309/orders/search", "post"));
        AssertMatches(detail.Root, oas.ResponseSchema("/order/202309/orders", "get"));
        AssertMatches(detail202507.Root, oas.ResponseSchema("/order/202507/orders", "get"));
    }

    [Fact]
    public async Task Get_authorized_shops_matches_the_authorization_oas_schema()
    {
        await using var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions());
        var shop = sim.AddShop(ShopId, "Shop");
        var client = new TikTokTestClient(TikTokTestClient.Http, sim);

        var response = await client.ShopsAsync(shop.AccessToken);

        using var oas = Oas.Load("authorization.json");
        AssertMatches(response.Root, oas.ResponseSchema("/authorization/202309/shops", "get"));
    }

    [Fact]
    public async Task Get_shop_webhooks_matches_the_event_oas_schema()
    {
        await using var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions());
        var shop = sim.AddShop(ShopId);
        var client = new TikTokTestClient(TikTokTestClient.Http, sim);
        var put = await client.SendAsync(new ApiCall
        {
            Method = HttpMethod.Put,
            Path = "/event/202309/webhooks",
            Query = [new("shop_cipher", shop.Cipher)],
            Body = """{"address":"https://example.test/hook","event_type":"ORDER_STATUS_CHANGE"}""",
            AccessToken = shop.AccessToken,
        });

        var response = await client.SendAsync(new ApiCall { Path = "/event/202309/webhooks", Query = [new("shop_cipher", shop.Cipher)], AccessToken = shop.AccessToken });

        Assert.Equal(0, put.Code);
        Assert.Equal(1, response.Data.GetProperty("total_count").GetInt32());
        using var oas = Oas.Load("event.json");
        AssertMatches(response.Root, oas.ResponseSchema("/event/202309/webhooks", "get"));
        AssertMatches(put.Root, oas.ResponseSchema("/event/202309/webhooks", "put"));
    }

    [Fact]
    public void The_walker_reports_a_property_that_the_schema_lacks()
    {
        using var oas = Oas.Load("order.json");
        using var doc = JsonDocument.Parse("""{"code":0,"data":{"orders":[{"id":"1","quantity":3}]}}""");

        var errors = Walk(doc.RootElement, oas.ResponseSchema("/order/202309/orders/search", "post"));

        Assert.Equal(["$.data.orders[0].quantity: not in the OAS schema"], errors);
    }

    /// <summary>Orders that between them carry every optional field the simulator can emit.</summary>
    private static List<string> CreateVariedOrders(TikTokSimulator sim)
    {
        var ids = new List<string>();
        foreach (var status in TikTokOrderStatus.All)
        {
            foreach (var shipping in new[] { "TIKTOK", "SELLER" })
            {
                ids.Add(sim.CreateOrder(ShopId, new SimOrderSpec
                {
                    Status = status,
                    ShippingType = shipping,
                    BuyerMessage = "Please ship asap!",
                    Lines = [new SimLineSpec { SellerSku = "A", Quantity = 2, OriginalPrice = 25m }, new SimLineSpec { SellerSku = "B", SalePrice = 3.5m }],
                }).Id);
            }
        }

        var partial = sim.CreateOrder(ShopId, new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "C", Quantity = 4 }] });
        sim.SetStatus(partial.Id, "PARTIALLY_SHIPPING");
        ids.Add(partial.Id);

        var shippedThenCancelled = sim.CreateOrder(ShopId, new SimOrderSpec { Status = "IN_TRANSIT" });
        sim.Cancel(shippedThenCancelled.Id, "SYSTEM", "Package lost");
        ids.Add(shippedThenCancelled.Id);

        var buyerRequest = sim.CreateOrder(ShopId, new SimOrderSpec());
        sim.RequestBuyerCancellation(buyerRequest.Id);
        sim.UpdateRecipientAddress(buyerRequest.Id, new SimAddressSpec { Name = "John Smith" });
        ids.Add(buyerRequest.Id);
        return ids;
    }

    private static void AssertMatches(JsonElement value, JsonElement schema) => Oas.AssertMatches(value, schema);

    private static List<string> Walk(JsonElement value, JsonElement schema) => Oas.Walk(value, schema);
}
