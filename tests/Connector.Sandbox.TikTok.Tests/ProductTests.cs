using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>
/// The product subset (product.json 202309 SearchProducts, GetProduct, UpdateInventory, UpdatePrice), product statuses
/// with audit failures, the product webhooks (§7.3: 5, 15, 37) and the §8.2 rate limit on product calls.
/// </summary>
public sealed class ProductTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(ShopApi Api, SimProduct Product, string Second)> StartAsync(string status = "ACTIVATE", Uri? webhookUrl = null, TimeProvider? time = null)
    {
        var api = await ShopApi.StartAsync(new TikTokSimulatorOptions { Seed = 23, WebhookUrl = webhookUrl, TimeProvider = time ?? TimeProvider.System });
        var second = api.Sim.AddWarehouse(ShopApi.ShopId, "East");
        var product = api.Sim.CreateProduct(ShopApi.ShopId, new SimProductSpec
        {
            Title = "Red mug",
            Status = status,
            Skus =
            [
                new SimSkuSpec { SellerSku = "MUG-RED-S", Price = 9.5m, Stock = new Dictionary<string, int> { [TikTokSimulator.DefaultWarehouseId] = 10, [second] = 4 } },
                new SimSkuSpec { SellerSku = "MUG-RED-L", Price = 12m },
            ],
        });
        return (api, product, second);
    }

    private static string Inventory(string productId) => $"/product/202309/products/{productId}/inventory/update";

    private static string Price(string productId) => $"/product/202309/products/{productId}/prices/update";

    [Fact]
    public async Task Search_and_get_show_skus_seller_skus_prices_and_stock_per_warehouse()
    {
        var (api, product, second) = await StartAsync();
        await using var running = api;
        api.Sim.CreateProduct(ShopApi.ShopId, new SimProductSpec { Title = "Other", Skus = [new SimSkuSpec { SellerSku = "PLATE" }] });

        var search = await api.PostAsync("/product/202309/products/search", """{"seller_skus":["MUG-RED-L"],"status":"ACTIVATE"}""", ("page_size", "10"));
        var get = await api.GetAsync($"/product/202309/products/{product.Id}");
        var warehouses = await api.GetAsync("/logistics/202309/warehouses");
        var order = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "MUG-RED-S" }] });

        var found = Assert.Single(search.Data.GetProperty("products").EnumerateArray().ToList());
        Assert.Equal((product.Id, "Red mug", "ACTIVATE"), (found.GetProperty("id").GetString(), found.GetProperty("title").GetString(), found.GetProperty("status").GetString()));
        Assert.Equal(1, search.Data.GetProperty("total_count").GetInt32());
        var sku = get.Data.GetProperty("skus")[0];
        Assert.Equal(("MUG-RED-S", "9.5", "USD"), (sku.GetProperty("seller_sku").GetString(), sku.GetProperty("price").GetProperty("sale_price").GetString(), sku.GetProperty("price").GetProperty("currency").GetString()));
        Assert.Equal(
            [(TikTokSimulator.DefaultWarehouseId, 10), (second, 4)],
            sku.GetProperty("inventory").EnumerateArray().Select(i => (i.GetProperty("warehouse_id").GetString(), i.GetProperty("quantity").GetInt32())));
        Assert.Equal("APPROVED", get.Data.GetProperty("audit").GetProperty("status").GetString());
        Assert.Contains(second, warehouses.Data.GetProperty("warehouses").EnumerateArray().Select(w => w.GetProperty("id").GetString()));
        Assert.Equal((product.Skus[0].Id, product.Id), (order.LineItems[0].SkuId, order.LineItems[0].ProductId));
    }

    [Fact]
    public async Task UpdateInventory_sets_every_warehouse_of_a_sku()
    {
        var (api, product, second) = await StartAsync();
        await using var running = api;
        var body = $$$"""{"skus":[{"id":"{{{product.Skus[0].Id}}}","inventory":[{"warehouse_id":"{{{second}}}","quantity":7},{"warehouse_id":"{{{TikTokSimulator.DefaultWarehouseId}}}","quantity":99999}]},{"id":"{{{product.Skus[1].Id}}}","inventory":[{"quantity":3}]}]}""";

        var response = await api.PostAsync(Inventory(product.Id), body);

        Assert.Equal(0, response.Code);
        var skus = api.Sim.GetProduct(product.Id).Skus;
        Assert.Equal([new SimStock(TikTokSimulator.DefaultWarehouseId, 99999), new SimStock(second, 7)], skus[0].Stock);
        Assert.Equal([new SimStock(TikTokSimulator.DefaultWarehouseId, 3)], skus[1].Stock);
    }

    [Theory]
    [InlineData(-1, "param skus[0].inventory[0].quantity is invalid, valid range: [1, 99999]")]
    [InlineData(0, "param skus[0].inventory[0].quantity is invalid, valid range: [1, 99999]")]
    [InlineData(100000, "param skus[0].inventory[0].quantity is invalid, valid range: [1, 99999]")]
    public async Task UpdateInventory_refuses_a_quantity_outside_the_oas_range(int quantity, string message)
    {
        // product.json UpdateInventory skus[].inventory[].quantity: "Valid range: [1, 99,999]".
        var (api, product, _) = await StartAsync();
        await using var running = api;

        var response = await api.PostAsync(Inventory(product.Id), $$$"""{"skus":[{"id":"{{{product.Skus[1].Id}}}","inventory":[{"quantity":{{{quantity}}}}]}]}""");

        Assert.Equal((36009004, message), (response.Code, response.Message));
        Assert.Equal(100, api.Sim.GetProduct(product.Id).Skus[1].Stock[0].Quantity);
    }

    [Fact]
    public async Task UpdateInventory_refuses_unknown_skus_and_warehouses_omitted_warehouses_bad_shapes_and_frozen_products()
    {
        // product.json UpdateInventory: "all the SKU IDs must belong to the same product"; "You must include all warehouse IDs
        // assigned to this SKU ... Do not omit any or add unrelated warehouses"; warehouse_id "Optional if there is only 1
        // warehouse"; "The SKU ID must belong to a product that is not in FREEZE or DELETED status".
        var (api, product, second) = await StartAsync();
        await using var running = api;
        var s0 = product.Skus[0].Id;
        var s1 = product.Skus[1].Id;
        var frozen = api.Sim.CreateProduct(ShopApi.ShopId, new SimProductSpec { Status = "FREEZE" });

        var unknownSku = await api.PostAsync(Inventory(product.Id), """{"skus":[{"id":"1700000000000000001","inventory":[{"quantity":3}]}]}""");
        var otherProductSku = await api.PostAsync(Inventory(product.Id), $$$"""{"skus":[{"id":"{{{frozen.Skus[0].Id}}}","inventory":[{"quantity":3}]}]}""");
        var unknownWarehouse = await api.PostAsync(Inventory(product.Id), $$$"""{"skus":[{"id":"{{{s1}}}","inventory":[{"warehouse_id":"7000000000000000001","quantity":3}]}]}""");
        var unassigned = await api.PostAsync(Inventory(product.Id), $$$"""{"skus":[{"id":"{{{s1}}}","inventory":[{"warehouse_id":"{{{second}}}","quantity":3}]}]}""");
        var omitted = await api.PostAsync(Inventory(product.Id), $$$"""{"skus":[{"id":"{{{s0}}}","inventory":[{"warehouse_id":"{{{second}}}","quantity":3}]}]}""");
        var ambiguous = await api.PostAsync(Inventory(product.Id), $$$"""{"skus":[{"id":"{{{s0}}}","inventory":[{"quantity":3}]}]}""");
        var stringQuantity = await api.PostAsync(Inventory(product.Id), $$$"""{"skus":[{"id":"{{{s1}}}","inventory":[{"quantity":"3"}]}]}""");
        var noSkus = await api.PostAsync(Inventory(product.Id), "{}");
        var frozenUpdate = await api.PostAsync(Inventory(frozen.Id), $$$"""{"skus":[{"id":"{{{frozen.Skus[0].Id}}}","inventory":[{"quantity":3}]}]}""");
        var unknownProduct = await api.PostAsync(Inventory("1700000000000000009"), $$$"""{"skus":[{"id":"{{{s1}}}","inventory":[{"quantity":3}]}]}""");

        Assert.Equal((36009004, "param skus[0].id is invalid"), (unknownSku.Code, unknownSku.Message));
        Assert.Equal((36009004, "param skus[0].id is invalid"), (otherProductSku.Code, otherProductSku.Message));
        Assert.Equal((36009004, "param skus[0].inventory[0].warehouse_id is invalid"), (unknownWarehouse.Code, unknownWarehouse.Message));
        Assert.Equal(36009004, unassigned.Code);
        Assert.Equal((36009004, "param skus[0].inventory is invalid, every warehouse of the SKU is required"), (omitted.Code, omitted.Message));
        Assert.Equal((36009004, "param body.skus[0].inventory[0].warehouse_id is missing"), (ambiguous.Code, ambiguous.Message));
        Assert.Equal((36009004, "param quantity type invalid,actual type is:string,expected type is:int64"), (stringQuantity.Code, stringQuantity.Message));
        Assert.Equal((36009004, "param body.skus is missing"), (noSkus.Code, noSkus.Message));
        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, frozenUpdate.Code);
        Assert.Equal((36009004, "param product_id is invalid"), (unknownProduct.Code, unknownProduct.Message));
        Assert.Equal(product.Skus, api.Sim.GetProduct(product.Id).Skus);
    }

    [Fact]
    public async Task UpdatePrice_changes_an_ACTIVATE_product_and_refuses_other_statuses_currencies_and_amounts()
    {
        // product.json UpdatePrice: "The SKU ID must belong to a product with the ACTIVATE status"; price.amount is a string;
        // list_price.amount "Valid range: [0.01, 7600]"; data "is always empty".
        var (api, product, _) = await StartAsync();
        await using var running = api;
        var s1 = product.Skus[1].Id;
        var deactivated = api.Sim.CreateProduct(ShopApi.ShopId, new SimProductSpec { Status = "SELLER_DEACTIVATED" });

        var ok = await api.PostAsync(Price(product.Id), $$$"""{"skus":[{"id":"{{{s1}}}","price":{"amount":"14.99","currency":"USD"}}]}""");
        var inactive = await api.PostAsync(Price(deactivated.Id), $$$"""{"skus":[{"id":"{{{deactivated.Skus[0].Id}}}","price":{"amount":"14.99","currency":"USD"}}]}""");
        var currency = await api.PostAsync(Price(product.Id), $$$"""{"skus":[{"id":"{{{s1}}}","price":{"amount":"14.99","currency":"EUR"}}]}""");
        var zero = await api.PostAsync(Price(product.Id), $$$"""{"skus":[{"id":"{{{s1}}}","price":{"amount":"0","currency":"USD"}}]}""");
        var decimals = await api.PostAsync(Price(product.Id), $$$"""{"skus":[{"id":"{{{s1}}}","price":{"amount":"1.999","currency":"USD"}}]}""");
        var number = await api.PostAsync(Price(product.Id), $$$"""{"skus":[{"id":"{{{s1}}}","price":{"amount":14.99,"currency":"USD"}}]}""");
        var noPrice = await api.PostAsync(Price(product.Id), $$$"""{"skus":[{"id":"{{{s1}}}"}]}""");
        var listPrice = await api.PostAsync(Price(product.Id), $$$"""{"skus":[{"id":"{{{s1}}}","price":{"amount":"14.99","currency":"USD"},"list_price":{"amount":"8000","currency":"USD"}}]}""");
        var unknownSku = await api.PostAsync(Price(product.Id), """{"skus":[{"id":"1700000000000000001","price":{"amount":"14.99","currency":"USD"}}]}""");

        Assert.Equal(0, ok.Code);
        Assert.Equal(JsonValueKind.Object, ok.Data.ValueKind);
        Assert.Equal(14.99m, api.Sim.GetProduct(product.Id).Skus[1].Price);
        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, inactive.Code);
        Assert.Equal((36009004, "param skus[0].price.currency is invalid"), (currency.Code, currency.Message));
        Assert.Equal((36009004, "param skus[0].price.amount is invalid"), (zero.Code, zero.Message));
        Assert.Equal(36009004, decimals.Code);
        Assert.Equal(36009004, number.Code);
        Assert.Equal((36009004, "param body.skus[0].price is missing"), (noPrice.Code, noPrice.Message));
        Assert.Equal((36009004, "param skus[0].list_price.amount is invalid"), (listPrice.Code, listPrice.Message));
        Assert.Equal((36009004, "param skus[0].id is invalid"), (unknownSku.Code, unknownSku.Message));
        Assert.Equal(14.99m, api.Sim.GetProduct(product.Id).Skus[1].Price);
    }

    [Fact]
    public async Task S7_3_audit_failure_then_first_pass_send_types_5_and_37_and_a_live_edit_sends_type_15()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (api, product, _) = await StartAsync("PENDING", receiver.Url);
        await using var running = api;

        api.Sim.SetProductStatus(product.Id, "FAILED", [new SimAuditFailure("Product title", ["Title contains a prohibited word"], ["Remove the word 'best'."])]);
        var failed = await api.GetAsync($"/product/202309/products/{product.Id}");
        api.Sim.SetProductStatus(product.Id, "PENDING");
        api.Sim.SetProductStatus(product.Id, "ACTIVATE");
        api.Sim.ChangeProductInformation(product.Id, "Big red mug");
        api.Sim.SetProductStatus(product.Id, "SELLER_DEACTIVATED");
        await api.Sim.WaitForWebhooksIdleAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("FAILED", failed.Data.GetProperty("status").GetString());
        Assert.Equal("FAILED", failed.Data.GetProperty("audit").GetProperty("status").GetString());
        var failure = Assert.Single(failed.Data.GetProperty("audit_failed_reasons").EnumerateArray().ToList());
        Assert.Equal(("Product title", "Title contains a prohibited word"), (failure.GetProperty("position").GetString(), failure.GetProperty("reasons")[0].GetString()));
        var hooks = receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).OrderBy(h => h.GetProperty("data").GetProperty("update_time").GetInt64()).ThenBy(h => h.GetProperty("type").GetInt32()).ToList();
        Assert.Equal([5, 37, 5, 37, 5, 37, 15, 5, 37], hooks.Select(h => h.GetProperty("type").GetInt32()));
        var statusChanges = hooks.Where(h => h.GetProperty("type").GetInt32() == 5).Select(h => h.GetProperty("data")).ToList();
        Assert.Equal(["PRODUCT_AUDIT_FAILURE", "PRODUCT_STATUS_CHANGED", "PRODUCT_FIRST_PASS_REVIEW", "PRODUCT_STATUS_CHANGED"], statusChanges.Select(d => d.GetProperty("status").GetString()));
        Assert.Equal("Title contains a prohibited word", statusChanges[0].GetProperty("suspended_reason").GetString());
        Assert.Equal(JsonValueKind.Number, statusChanges[0].GetProperty("product_id").ValueKind);
        Assert.Equal(product.Id, statusChanges[0].GetProperty("product_id").GetRawText());
        var audits = hooks.Where(h => h.GetProperty("type").GetInt32() == 37).Select(h => h.GetProperty("data").GetProperty("audit").GetProperty("status").GetString());
        Assert.Equal(["FAILED", "AUDITING", "APPROVED", "NONE"], audits);
        var info = hooks.Single(h => h.GetProperty("type").GetInt32() == 15).GetProperty("data");
        Assert.Equal((product.Id, "SELLER_CENTER", "title"), (info.GetProperty("product_id").GetString(), info.GetProperty("change_source").GetString(), info.GetProperty("changed_fields")[0].GetString()));
        Assert.Throws<InvalidOperationException>(() => api.Sim.ChangeProductInformation(product.Id, "Not live"));
        Assert.All(hooks, h => Assert.Equal(ShopApi.ShopId, h.GetProperty("shop_id").GetString()));
    }

    [Fact]
    public async Task S7_5_a_shop_subscription_to_PRODUCT_AUDIT_STATUS_CHANGE_receives_type_37_only()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (api, product, _) = await StartAsync("PENDING");
        await using var running = api;
        var subscribe = await api.Client.SendAsync(new ApiCall
        {
            Method = HttpMethod.Put,
            Path = "/event/202309/webhooks",
            Query = [new("shop_cipher", api.Shop.Cipher)],
            Body = $$"""{"address":"{{receiver.Url}}","event_type":"PRODUCT_AUDIT_STATUS_CHANGE"}""",
            AccessToken = api.Shop.AccessToken,
        });

        api.Sim.SetProductStatus(product.Id, "ACTIVATE");
        await api.Sim.WaitForWebhooksIdleAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, subscribe.Code);
        var hook = JsonDocument.Parse(Assert.Single(receiver.Received).Body).RootElement;
        Assert.Equal(37, hook.GetProperty("type").GetInt32());
        Assert.Equal("APPROVED", hook.GetProperty("data").GetProperty("audit").GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetProduct_refuses_FREEZE_and_DELETED_products_and_search_refuses_params_outside_the_oas()
    {
        // product.json GetProduct: "Retrieve all properties of a product, except those in the FREEZE or DELETED status";
        // SearchProducts: page_size required, "Valid range: [1-100]"; status enum ALL, DRAFT, ..., DELETED.
        var (api, product, _) = await StartAsync();
        await using var running = api;
        api.Sim.SetProductStatus(product.Id, "FREEZE");
        var deleted = api.Sim.CreateProduct(ShopApi.ShopId, new SimProductSpec { Status = "DELETED" });

        var frozen = await api.GetAsync($"/product/202309/products/{product.Id}");
        var gone = await api.GetAsync($"/product/202309/products/{deleted.Id}");
        var noPageSize = await api.PostAsync("/product/202309/products/search", "{}");
        var bigPage = await api.PostAsync("/product/202309/products/search", "{}", ("page_size", "101"));
        var badStatus = await api.PostAsync("/product/202309/products/search", """{"status":"LIVE"}""", ("page_size", "10"));
        var frozenSearch = await api.PostAsync("/product/202309/products/search", """{"status":"FREEZE"}""", ("page_size", "10"));

        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, frozen.Code);
        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, gone.Code);
        Assert.Equal((36009004, "param page_size is missing"), (noPageSize.Code, noPageSize.Message));
        Assert.Equal(36009004, bigPage.Code);
        Assert.Equal((36009004, "param status is invalid: LIVE"), (badStatus.Code, badStatus.Message));
        Assert.Equal(1, frozenSearch.Data.GetProperty("total_count").GetInt32());
        Assert.Throws<InvalidOperationException>(() => api.Sim.SetProductStatus(deleted.Id, "ACTIVATE"));
    }

    [Fact]
    public async Task S8_2_product_calls_over_the_rate_limit_get_429_and_36009002_and_the_knob_can_change_at_run_time()
    {
        // §8.2: HTTP 429 and business code 36009002; limits are not published, so the simulator takes a knob per (app, shop, path).
        var time = new FakeTimeProvider(Start);
        var (api, product, _) = await StartAsync(time: time);
        await using var running = api;
        api.Sim.Options.RateLimitPerSecond = 2;
        var path = $"/product/202309/products/{product.Id}";

        var first = await api.GetAsync(path);
        var second = await api.GetAsync(path);
        var third = await api.GetAsync(path);
        time.Advance(TimeSpan.FromSeconds(1));
        var nextSecond = await api.GetAsync(path);
        api.Sim.Options.RateLimitPerSecond = 0;
        var unlimited = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.GetAsync(path)));

        Assert.Equal((0, 0), (first.Code, second.Code));
        Assert.Equal((HttpStatusCode.TooManyRequests, 36009002), (third.Status, third.Code));
        Assert.Equal("Too many requests. You've made too many requests in a short period of time.", third.Message);
        Assert.Equal(TimeSpan.FromSeconds(1), third.Headers.RetryAfter?.Delta);
        Assert.Equal(0, nextSecond.Code);
        Assert.All(unlimited, r => Assert.Equal(0, r.Code));
    }
}
