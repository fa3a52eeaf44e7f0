using System.Net.Http.Json;
using System.Text.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;

using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>TikTok and Shopify push back (reference/tiktok-shop-api.md §8; store-apis.md §2.5); imports still complete.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ResilienceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TikTok_429_with_retry_after_and_5xx_are_retried_until_the_import_completes()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("res429");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.TikTok.CreateOrders("res429", 3, _ => TestOrders.Spec(("CAP-1", 1, 12m)));
        sandbox.TikTok.InjectFault(new SimFault { PathPrefix = "/order/202309/orders/search", HttpStatus = 429, Code = 36009002, Times = 2, RetryAfterSeconds = 1 });
        sandbox.TikTok.InjectFault(new SimFault { PathPrefix = "/order/202309/orders/search", HttpStatus = 503, Code = 36009003, Times = 1 });

        await sandbox.FetchAndWaitAsync("res429");

        Assert.Equal(3, store.Orders.Count);
        var searches = sandbox.TikTok.Requests.Where(r => r.Path == "/order/202309/orders/search").ToList();
        Assert.True(searches.Count >= 4, $"expected the 3 failures and a success, saw {searches.Count}");
        // Every attempt was stamped and signed afresh: none failed the signature or timestamp checks.
        Assert.DoesNotContain(searches, r => r.Code is 106001 or 36009004);
        Assert.True(long.Parse(searches[^1].Query["timestamp"]) > long.Parse(searches[0].Query["timestamp"]), "the retry after Retry-After carries a new timestamp");
        Assert.Empty(sandbox.Queue.DeadLetters);
    }

    [Fact]
    public async Task TikTok_outage_longer_than_the_retries_goes_back_to_the_queue_and_completes_later()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("resout");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.TikTok.CreateOrder("resout", TestOrders.Spec(("CAP-1", 1, 12m)));
        sandbox.TikTok.InjectFault(new SimFault { PathPrefix = "/order/202309/orders/search", HttpStatus = 503, Code = 36009003, Times = 6 });

        await sandbox.FetchAndWaitAsync("resout");

        Assert.Single(store.Orders);
        Assert.Contains(sandbox.Queue.CompletedMessages, m => m.DeliveryCount > 1);
    }

    [Fact]
    public async Task Shopify_throttling_backs_off_and_the_order_is_created_once()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("resthr");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.TikTok.CreateOrder("resthr", TestOrders.Spec(("CAP-1", 1, 12m)));
        store.ThrottleNext(3);

        await sandbox.FetchAndWaitAsync("resthr");

        Assert.Single(store.Orders);
        Assert.Contains(sandbox.Logs.Lines, l => l.Contains("throttled", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Expired_access_token_is_refreshed_persisted_and_used()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (tiktokShop, store) = await sandbox.ConnectShopAsync("restok");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.TikTok.CreateOrder("restok", TestOrders.Spec(("CAP-1", 1, 12m)));
        sandbox.TikTok.ExpireAccessToken("restok");

        await sandbox.FetchAndWaitAsync("restok");

        Assert.Single(store.Orders);
        var refreshed = sandbox.TikTok.GetShop("restok");
        Assert.NotEqual(tiktokShop.AccessToken, refreshed.AccessToken);
        Assert.Contains(sandbox.TikTok.Requests, r => r.Path == "/api/v2/token/refresh");

        // Persisted: the shop now reports TikTok's new absolute expiry, and a second run needs no refresh.
        var shop = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/shops/restok");
        Assert.Equal(refreshed.AccessTokenExpiresAt, shop.GetProperty("tiktok").GetProperty("accessTokenExpiresAt").GetInt64());
        sandbox.TikTok.ClearRequests();
        await sandbox.FetchAndWaitAsync("restok");
        Assert.DoesNotContain(sandbox.TikTok.Requests, r => r.Path == "/api/v2/token/refresh");
    }

    [Fact]
    public async Task Token_close_to_expiry_is_refreshed_before_the_call()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var tiktokShop = sandbox.TikTok.AddShop("ressoon");
        var store = sandbox.Shopify.AddShop("store-ressoon");
        var soon = DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeSeconds();
        using var put = await sandbox.Api.PutAsJsonAsync("/api/shops/ressoon", new
        {
            tiktok = new { shopCipher = tiktokShop.Cipher, accessToken = tiktokShop.AccessToken, accessTokenExpiresAt = soon, refreshToken = tiktokShop.RefreshToken, refreshTokenExpiresAt = tiktokShop.RefreshTokenExpiresAt },
            store = new { platform = "shopify", baseUrl = store.BaseUrl.ToString(), accessToken = store.AccessToken },
        });
        put.EnsureSuccessStatusCode();

        await sandbox.FetchAndWaitAsync("ressoon");

        var refresh = sandbox.TikTok.Requests.First(r => r.Path == "/api/v2/token/refresh");
        var firstSearch = sandbox.TikTok.Requests.First(r => r.Path == "/order/202309/orders/search");
        Assert.True(sandbox.TikTok.Requests.ToList().IndexOf(refresh) < sandbox.TikTok.Requests.ToList().IndexOf(firstSearch));
        Assert.DoesNotContain(sandbox.TikTok.Requests, r => r.Code == 105002);
    }
}
