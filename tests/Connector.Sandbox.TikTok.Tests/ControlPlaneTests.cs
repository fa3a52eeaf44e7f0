using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>The /_sim/ control plane, driven over HTTP as the local demo and browser tests do.</summary>
public sealed class ControlPlaneTests
{
    private const string ShopId = "7494049642642441621";
    private static HttpClient Http => TikTokTestClient.Http;

    [Fact]
    public async Task Control_plane_creates_shops_and_orders_advances_status_and_the_signed_api_sees_them()
    {
        await using var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions());
        var client = new TikTokTestClient(Http, sim);

        using var created = await Http.PostAsJsonAsync(new Uri(sim.BaseUrl, "/_sim/shops"), new { shopId = ShopId, name = "Demo shop" });
        var shopJson = await created.Content.ReadFromJsonAsync<JsonElement>();
        using var orders = await Http.PostAsJsonAsync(new Uri(sim.BaseUrl, $"/_sim/shops/{ShopId}/orders"),
            new { count = 2, spec = new { status = "UNPAID", lines = new[] { new { sellerSku = "MUG", salePrice = 9.5, quantity = 2 } } } });
        var ordersJson = await orders.Content.ReadFromJsonAsync<JsonElement>();
        var orderId = ordersJson.GetProperty("orders")[0].GetProperty("id").GetString()!;
        using var moved = await Http.PostAsJsonAsync(new Uri(sim.BaseUrl, $"/_sim/orders/{orderId}/status"), new { status = "AWAITING_SHIPMENT" });
        using var illegal = await Http.PostAsJsonAsync(new Uri(sim.BaseUrl, $"/_sim/orders/{orderId}/status"), new { status = "UNPAID" });
        using var unknownShop = await Http.GetAsync(new Uri(sim.BaseUrl, "/_sim/shops/404"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(sim.GetShop(ShopId).Cipher, shopJson.GetProperty("cipher").GetString());
        Assert.Equal(HttpStatusCode.Created, orders.StatusCode);
        Assert.Equal(2, ordersJson.GetProperty("orders").GetArrayLength());
        Assert.Equal(2, ordersJson.GetProperty("orders")[0].GetProperty("line_items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, illegal.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownShop.StatusCode);

        var search = await client.SearchAsync(sim.GetShop(ShopId), 10, body: """{"order_status":"AWAITING_SHIPMENT"}""");
        Assert.Equal(orderId, search.Data.GetProperty("orders").EnumerateArray().Single().GetProperty("id").GetString());
        Assert.DoesNotContain(sim.Requests, r => r.Path.StartsWith("/_sim", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Control_plane_injects_faults_and_expires_tokens()
    {
        await using var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions());
        var shop = sim.AddShop(ShopId);
        var client = new TikTokTestClient(Http, sim);

        using var fault = await Http.PostAsJsonAsync(new Uri(sim.BaseUrl, "/_sim/faults"),
            new { pathPrefix = "/authorization/", httpStatus = 429, code = 36009002, times = 1, retryAfterSeconds = 2 });
        var limited = await client.ShopsAsync(shop.AccessToken);
        using var expire = await Http.PostAsync(new Uri(sim.BaseUrl, $"/_sim/shops/{ShopId}/expire-token"), null);
        var expired = await client.ShopsAsync(shop.AccessToken);
        using var code = await Http.PostAsync(new Uri(sim.BaseUrl, $"/_sim/shops/{ShopId}/auth-code"), null);
        var authCode = (await code.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authCode").GetString()!;
        var token = await client.TokenAsync("/api/v2/token/get",
            ("app_key", sim.Options.AppKey), ("app_secret", sim.Options.AppSecret), ("auth_code", authCode), ("grant_type", "authorized_code"));
        var afterReauthorization = await client.ShopsAsync(token.Data.GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.Created, fault.StatusCode);
        Assert.Equal((HttpStatusCode.TooManyRequests, 36009002), (limited.Status, limited.Code));
        Assert.Equal(TimeSpan.FromSeconds(2), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, expire.StatusCode);
        Assert.Equal(105002, expired.Code);
        Assert.Equal(0, afterReauthorization.Code);
    }

    [Fact]
    public async Task Control_plane_orders_created_shipped_in_the_past_are_outside_the_72_hour_shipping_info_window()
    {
        await using var sim = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions());
        var shop = sim.AddShop(ShopId);
        var client = new TikTokTestClient(Http, sim);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // create_time is the time of every step on the way to the status, so rts_time = create_time (no clock control needed).
        using var old = await Http.PostAsJsonAsync(new Uri(sim.BaseUrl, $"/_sim/shops/{ShopId}/orders"),
            new { shippingType = "SELLER", status = "AWAITING_COLLECTION", createTime = now - (73 * 3600) });
        using var recent = await Http.PostAsJsonAsync(new Uri(sim.BaseUrl, $"/_sim/shops/{ShopId}/orders"),
            new { shippingType = "SELLER", status = "AWAITING_COLLECTION", createTime = now - (71 * 3600) });
        var oldPackage = (await old.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orders")[0].GetProperty("packages")[0].GetProperty("id").GetString();
        var recentPackage = (await recent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orders")[0].GetProperty("packages")[0].GetProperty("id").GetString();
        const string Body = """{"tracking_number":"1Z999AA10123456784","shipping_provider_id":"7117858858072016686"}""";

        var late = await client.SendAsync(new ApiCall
        {
            Method = HttpMethod.Post,
            Path = $"/fulfillment/202309/packages/{oldPackage}/shipping_info/update",
            Query = [new("shop_cipher", shop.Cipher)],
            Body = Body,
            AccessToken = shop.AccessToken,
        });
        var inTime = await client.SendAsync(new ApiCall
        {
            Method = HttpMethod.Post,
            Path = $"/fulfillment/202309/packages/{recentPackage}/shipping_info/update",
            Query = [new("shop_cipher", shop.Cipher)],
            Body = Body,
            AccessToken = shop.AccessToken,
        });

        Assert.Equal(TikTokSimulator.ShippingInfoUpdateWindowClosedCode, late.Code);
        Assert.Equal(0, inTime.Code);
    }
}
