namespace Connector.Sandbox.TikTok.Tests;

/// <summary>
/// DeactivateProducts and ActivateProduct (product.json 202309): how Connector hides a sold-out product, since
/// UpdateInventory takes no quantity below 1.
/// </summary>
public sealed class ProductActivationTests
{
    private const string Deactivate = "/product/202309/products/deactivate";
    private const string Activate = "/product/202309/products/activate";

    [Fact]
    public async Task Deactivate_hides_an_ACTIVATE_product_and_activate_sends_it_back_to_review()
    {
        // product.json DeactivateProducts: "Deactivate products that are in the Activate status ... The status changes to
        // Seller_deactivated"; ActivateProduct: "the products will be sent to TikTok Shop for auditing and their status will
        // change to Pending".
        await using var api = await ShopApi.StartAsync(new TikTokSimulatorOptions { Seed = 5 });
        var product = api.Sim.CreateProduct(ShopApi.ShopId, new SimProductSpec());

        var off = await api.PostAsync(Deactivate, $$"""{"product_ids":["{{product.Id}}"],"listing_platforms":["TIKTOK_SHOP"]}""");
        var status = api.Sim.GetProduct(product.Id).Status;
        var on = await api.PostAsync(Activate, $$"""{"product_ids":["{{product.Id}}"]}""");

        Assert.Equal((0, 0), (off.Code, off.Data.GetProperty("errors").GetArrayLength()));
        Assert.Equal(SimProductStatus.SellerDeactivated, status);
        Assert.Equal((0, 0), (on.Code, on.Data.GetProperty("errors").GetArrayLength()));
        Assert.Equal(SimProductStatus.Pending, api.Sim.GetProduct(product.Id).Status);
    }

    [Fact]
    public async Task A_product_not_in_the_status_the_operation_takes_is_listed_in_data_errors_and_left_as_it_is()
    {
        // DeactivateProducts takes ACTIVATE products; ActivateProduct takes Seller_deactivated or Platform_deactivated ones;
        // data.errors[] carries code, message and detail.product_id of each product not moved.
        await using var api = await ShopApi.StartAsync(new TikTokSimulatorOptions { Seed = 6 });
        var live = api.Sim.CreateProduct(ShopApi.ShopId, new SimProductSpec());
        var draft = api.Sim.CreateProduct(ShopApi.ShopId, new SimProductSpec { Status = SimProductStatus.Draft });

        var deactivateDraft = await api.PostAsync(Deactivate, $$"""{"product_ids":["{{draft.Id}}"]}""");
        var activateLive = await api.PostAsync(Activate, $$"""{"product_ids":["{{live.Id}}"]}""");

        var error = Assert.Single(deactivateDraft.Data.GetProperty("errors").EnumerateArray());
        Assert.Equal((TikTokSimulator.StatusNotAllowedCode, draft.Id), (error.GetProperty("code").GetInt32(), error.GetProperty("detail").GetProperty("product_id").GetString()));
        Assert.Equal(live.Id, Assert.Single(activateLive.Data.GetProperty("errors").EnumerateArray()).GetProperty("detail").GetProperty("product_id").GetString());
        Assert.Equal((SimProductStatus.Draft, SimProductStatus.Activate), (api.Sim.GetProduct(draft.Id).Status, api.Sim.GetProduct(live.Id).Status));
    }

    [Fact]
    public async Task More_than_20_ids_no_ids_and_unknown_listing_platforms_are_refused()
    {
        // product_ids: "Max number of IDs: 20"; listing_platforms: "Possible values: TOKOPEDIA, TIKTOK_SHOP".
        await using var api = await ShopApi.StartAsync(new TikTokSimulatorOptions { Seed = 7 });
        var product = api.Sim.CreateProduct(ShopApi.ShopId, new SimProductSpec());
        var ids = string.Join(',', Enumerable.Range(0, 21).Select(i => $"\"17000000000000000{i:00}\""));

        var tooMany = await api.PostAsync(Deactivate, $$"""{"product_ids":[{{ids}}]}""");
        var none = await api.PostAsync(Activate, """{"product_ids":[]}""");
        var platform = await api.PostAsync(Deactivate, $$"""{"product_ids":["{{product.Id}}"],"listing_platforms":["SHOPEE"]}""");

        Assert.Equal((36009004, "param product_ids is invalid, max number of IDs: 20"), (tooMany.Code, tooMany.Message));
        Assert.Equal((36009004, "param body.product_ids is missing"), (none.Code, none.Message));
        Assert.Equal(36009004, platform.Code);
        Assert.Equal(SimProductStatus.Activate, api.Sim.GetProduct(product.Id).Status);
    }
}
