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
    public async Task Cancellation_operations_answer_and_are_called_as_return_refund_oas_says()
    {
        await using var api = await ShopApi.StartAsync(new TikTokSimulatorOptions { Seed = 31 });
        var sim = api.Sim;
        var pending = sim.RequestBuyerCancellation(sim.CreateOrder(ShopId, new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "A", Quantity = 2 }] }).Id);
        var toReject = sim.RequestBuyerCancellation(sim.CreateOrder(ShopId, new SimOrderSpec()).Id);
        var sellerOrder = sim.CreateOrder(ShopId, new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "B", Quantity = 3 }] });
        var cancelBody = $$"""{"order_id":"{{sellerOrder.Id}}","cancel_reason":"seller_cancel_reason_out_of_stock","order_line_item_ids":["{{sellerOrder.LineItems[0].Id}}"]}""";
        var searchBody = """{"cancel_status":["CANCELLATION_REQUEST_PENDING","CANCELLATION_REQUEST_SUCCESS"],"cancel_types":["BUYER_CANCEL","CANCEL"],"create_time_ge":0,"locale":"en-US"}""";
        var rejectBody = """{"reject_reason":"ecom_reverse_reject_cancel_reason_product_packed","comment":"Packed","images":[{"image_id":"tos-1","mime_type":"image/jpeg","height":100,"width":100}]}""";

        var cancel = await api.PostAsync("/return_refund/202309/cancellations", cancelBody);
        var search = await api.PostAsync("/return_refund/202309/cancellations/search", searchBody, ("page_size", "50"), ("sort_field", "update_time"), ("sort_order", "DESC"));
        var reasons = await api.GetAsync("/return_refund/202309/reject_reasons", ("return_or_cancel_id", toReject), ("locale", "en-US"));
        var approve = await api.PostAsync($"/return_refund/202309/cancellations/{pending}/approve", "", ("idempotency_key", Guid.NewGuid().ToString()));
        var reject = await api.PostAsync($"/return_refund/202309/cancellations/{toReject}/reject", rejectBody, ("idempotency_key", Guid.NewGuid().ToString()));
        var refused = await api.PostAsync($"/return_refund/202309/cancellations/{pending}/approve", "");

        Assert.Equal([0, 0, 0, 0, 0], new[] { cancel.Code, search.Code, reasons.Code, approve.Code, reject.Code });
        Assert.Equal(3, search.Data.GetProperty("total_count").GetInt32());
        Assert.NotEqual(0, refused.Code);
        Oas.AssertRequest("return_refund.json", "/return_refund/202309/cancellations", "post", cancelBody);
        Oas.AssertRequest("return_refund.json", "/return_refund/202309/cancellations/search", "post", searchBody);
        Oas.AssertRequest("return_refund.json", "/return_refund/202309/cancellations/{cancel_id}/reject", "post", rejectBody);
        using var oas = Oas.Load("return_refund.json");
        AssertMatches(cancel.Root, oas.ResponseSchema("/return_refund/202309/cancellations", "post"));
        AssertMatches(search.Root, oas.ResponseSchema("/return_refund/202309/cancellations/search", "post"));
        AssertMatches(reasons.Root, oas.ResponseSchema("/return_refund/202309/reject_reasons", "get"));
        AssertMatches(approve.Root, oas.ResponseSchema("/return_refund/202309/cancellations/{cancel_id}/approve", "post"));
        AssertMatches(reject.Root, oas.ResponseSchema("/return_refund/202309/cancellations/{cancel_id}/reject", "post"));
        AssertMatches(refused.Root, oas.ResponseSchema("/return_refund/202309/cancellations/{cancel_id}/approve", "post"));
    }

    [Fact]
    public async Task Return_operations_answer_and_are_called_as_return_refund_oas_says()
    {
        await using var api = await ShopApi.StartAsync(new TikTokSimulatorOptions { Seed = 32 });
        var sim = api.Sim;
        var order = sim.CreateOrder(ShopId, new SimOrderSpec { Status = "DELIVERED", Lines = [new SimLineSpec { SellerSku = "A", Quantity = 4 }] });
        var ids = order.LineItems.Select(l => l.Id).ToList();
        var refund = sim.CreateReturn(order.Id, new SimReturnSpec { ReturnType = "REFUND", LineItemIds = [ids[0]], RefundShipping = true });
        var shipped = sim.CreateReturn(order.Id, new SimReturnSpec { LineItemIds = [ids[1]] });
        var replacement = sim.CreateReturn(order.Id, new SimReturnSpec { ReturnType = "REPLACEMENT", LineItemIds = [ids[2]] });
        var toReject = sim.CreateReturn(order.Id, new SimReturnSpec { LineItemIds = [ids[3]] });
        var approveBody = """{"decision":"APPROVE_RETURN","buyer_keep_item":false}""";
        var rejectBody = """{"decision":"REJECT_RETURN","reject_reason":"seller_reject_apply_buyer_misused_product","comment":"Used","images":[{"image_id":"tos-2","mime_type":"image/png","height":50,"width":50}]}""";
        var searchBody = $$"""{"order_ids":["{{order.Id}}"],"return_types":["REFUND","RETURN_AND_REFUND","REPLACEMENT"],"update_time_ge":0,"locale":"en-US"}""";

        var approve = await api.PostAsync($"/return_refund/202309/returns/{shipped.ReturnId}/approve", approveBody, ("idempotency_key", Guid.NewGuid().ToString()));
        sim.ShipReturn(shipped.ReturnId);
        var reject = await api.PostAsync($"/return_refund/202309/returns/{toReject.ReturnId}/reject", rejectBody);
        var approveRefund = await api.PostAsync($"/return_refund/202309/returns/{refund.ReturnId}/approve", """{"decision":"APPROVE_REFUND"}""");
        sim.CompleteRefund(refund.ReturnId);
        var search = await api.PostAsync("/return_refund/202309/returns/search", searchBody, ("page_size", "10"), ("sort_field", "create_time"), ("sort_order", "ASC"));
        var records = await api.GetAsync($"/return_refund/202309/returns/{toReject.ReturnId}/records", ("locale", "en-US"));
        var reasons = await api.GetAsync("/return_refund/202309/reject_reasons", ("return_or_cancel_id", shipped.ReturnId));

        Assert.Equal([0, 0, 0, 0, 0, 0], new[] { approve.Code, reject.Code, approveRefund.Code, search.Code, records.Code, reasons.Code });
        Assert.Equal(4, search.Data.GetProperty("return_orders").GetArrayLength());
        Assert.Equal(replacement.ReturnId, search.Data.GetProperty("return_orders")[2].GetProperty("return_id").GetString());
        Oas.AssertRequest("return_refund.json", "/return_refund/202309/returns/{return_id}/approve", "post", approveBody);
        Oas.AssertRequest("return_refund.json", "/return_refund/202309/returns/{return_id}/reject", "post", rejectBody);
        Oas.AssertRequest("return_refund.json", "/return_refund/202309/returns/search", "post", searchBody);
        using var oas = Oas.Load("return_refund.json");
        AssertMatches(approve.Root, oas.ResponseSchema("/return_refund/202309/returns/{return_id}/approve", "post"));
        AssertMatches(reject.Root, oas.ResponseSchema("/return_refund/202309/returns/{return_id}/reject", "post"));
        AssertMatches(search.Root, oas.ResponseSchema("/return_refund/202309/returns/search", "post"));
        AssertMatches(records.Root, oas.ResponseSchema("/return_refund/202309/returns/{return_id}/records", "get"));
        AssertMatches(reasons.Root, oas.ResponseSchema("/return_refund/202309/reject_reasons", "get"));
    }

    [Fact]
    public async Task External_order_reference_operations_answer_and_are_called_as_order_oas_says()
    {
        await using var api = await ShopApi.StartAsync(new TikTokSimulatorOptions { Seed = 33 });
        var order = api.Sim.CreateOrder(ShopId, new SimOrderSpec());
        var addBody = $$$"""{"orders":[{"id":"{{{order.Id}}}","external_order":{"id":"1001","platform":"ORDER_MANAGEMENT_SYSTEM","line_items":[{"id":"1","origin_id":"{{{order.LineItems[0].Id}}}"}]}},{"id":"576400000000000001","external_order":{"id":"1002","platform":"ORDER_MANAGEMENT_SYSTEM"}}]}""";

        var add = await api.PostAsync("/order/202406/orders/external_orders", addBody);
        var get = await api.GetAsync($"/order/202406/orders/{order.Id}/external_orders", ("platform", "ORDER_MANAGEMENT_SYSTEM"));
        var search = await api.PostAsync("/order/202406/orders/external_order_search", "{}", ("platform", "ORDER_MANAGEMENT_SYSTEM"), ("external_order_id", "1001"));

        Assert.Equal([0, 0, 0], new[] { add.Code, get.Code, search.Code });
        Assert.Equal(1, add.Data.GetProperty("errors").GetArrayLength());
        Oas.AssertRequest("order.json", "/order/202406/orders/external_orders", "post", addBody);
        using var oas = Oas.Load("order.json");
        AssertMatches(add.Root, oas.ResponseSchema("/order/202406/orders/external_orders", "post"));
        AssertMatches(get.Root, oas.ResponseSchema("/order/202406/orders/{order_id}/external_orders", "get"));
        AssertMatches(search.Root, oas.ResponseSchema("/order/202406/orders/external_order_search", "post"));
    }

    [Fact]
    public async Task Product_operations_and_the_warehouse_list_answer_and_are_called_as_product_and_logistics_oas_say()
    {
        await using var api = await ShopApi.StartAsync(new TikTokSimulatorOptions { Seed = 34 });
        var east = api.Sim.AddWarehouse(ShopId, "East");
        var product = api.Sim.CreateProduct(ShopId, new SimProductSpec
        {
            Skus = [new SimSkuSpec { SellerSku = "A", Stock = new Dictionary<string, int> { [TikTokSimulator.DefaultWarehouseId] = 1, [east] = 2 } }, new SimSkuSpec { SellerSku = "B" }],
        });
        var failed = api.Sim.CreateProduct(ShopId, new SimProductSpec { Status = "PENDING" });
        api.Sim.SetProductStatus(failed.Id, "FAILED");
        var searchBody = """{"status":"ALL","seller_skus":["A","SIM-SKU-1"],"create_time_ge":0,"update_time_le":9999999999}""";
        var inventoryBody = $$"""{"skus":[{"id":"{{product.Skus[0].Id}}","inventory":[{"warehouse_id":"{{TikTokSimulator.DefaultWarehouseId}}","quantity":5},{"warehouse_id":"{{east}}","quantity":6}]}]}""";
        var priceBody = $$$"""{"skus":[{"id":"{{{product.Skus[1].Id}}}","price":{"amount":"21.00","currency":"USD"}}]}""";

        var search = await api.PostAsync("/product/202309/products/search", searchBody, ("page_size", "1"));
        var page2 = await api.PostAsync("/product/202309/products/search", searchBody, ("page_size", "1"), ("page_token", search.Data.GetProperty("next_page_token").GetString()!));
        var get = await api.GetAsync($"/product/202309/products/{product.Id}", ("return_draft_version", "false"));
        var getFailed = await api.GetAsync($"/product/202309/products/{failed.Id}");
        var inventory = await api.PostAsync($"/product/202309/products/{product.Id}/inventory/update", inventoryBody);
        var price = await api.PostAsync($"/product/202309/products/{product.Id}/prices/update", priceBody);
        var warehouses = await api.GetAsync("/logistics/202309/warehouses");

        Assert.Equal([0, 0, 0, 0, 0, 0, 0], new[] { search.Code, page2.Code, get.Code, getFailed.Code, inventory.Code, price.Code, warehouses.Code });
        Assert.Equal(2, search.Data.GetProperty("total_count").GetInt32());
        Assert.Equal(failed.Id, page2.Data.GetProperty("products")[0].GetProperty("id").GetString());
        Assert.Equal(1, getFailed.Data.GetProperty("audit_failed_reasons").GetArrayLength());
        Oas.AssertRequest("product.json", "/product/202309/products/search", "post", searchBody);
        Oas.AssertRequest("product.json", "/product/202309/products/{product_id}/inventory/update", "post", inventoryBody);
        Oas.AssertRequest("product.json", "/product/202309/products/{product_id}/prices/update", "post", priceBody);
        using var oas = Oas.Load("product.json");
        AssertMatches(search.Root, oas.ResponseSchema("/product/202309/products/search", "post"));
        AssertMatches(page2.Root, oas.ResponseSchema("/product/202309/products/search", "post"));
        AssertMatches(get.Root, oas.ResponseSchema("/product/202309/products/{product_id}", "get"));
        AssertMatches(getFailed.Root, oas.ResponseSchema("/product/202309/products/{product_id}", "get"));
        AssertMatches(inventory.Root, oas.ResponseSchema("/product/202309/products/{product_id}/inventory/update", "post"));
        AssertMatches(price.Root, oas.ResponseSchema("/product/202309/products/{product_id}/prices/update", "post"));
        Oas.AssertResponse("logistics.json", "/logistics/202309/warehouses", "get", warehouses.Root);
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
