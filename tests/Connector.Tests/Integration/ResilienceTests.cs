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
        Assert.Empty(sandbox.DeadLetters);
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
        Assert.Contains(sandbox.CompletedMessages, m => m.DeliveryCount > 1);
    }

    [Fact]
    public async Task An_order_tiktok_cannot_serve_for_a_while_waits_visibly_with_growing_pauses_and_is_imported_once_tiktok_answers()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("reswait");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.EnableWebhooks();

        // Each attempt makes 5 calls (4 retries inside the invocation): 15 failures outlast three attempts.
        sandbox.TikTok.InjectFault(new SimFault { PathPrefix = "/order/202309/orders", HttpStatus = 503, Code = 36009003, Times = 15 });
        var order = sandbox.TikTok.CreateOrder("reswait", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.SettleAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(order.Id, Assert.Single(store.Orders).SourceIdentifier);
        Assert.Empty(sandbox.DeadLetters);
        var retries = sandbox.Sent.Where(m => m.MessageId.Contains($"{order.Id}:", StringComparison.Ordinal) && m.MessageId.Contains(":retry", StringComparison.Ordinal))
            .Select(m => m.MessageId[(m.MessageId.LastIndexOf(":retry", StringComparison.Ordinal) + 6)..]).ToList();
        Assert.Equal(["1", "2", "3"], retries);
        var view = await sandbox.GetOrderAsync("reswait", order.Id);
        Assert.Equal("AWAITING_SHIPMENT", view.GetProperty("status").GetString());
        Assert.Contains(view.GetProperty("activity").EnumerateArray(), a =>
            a.GetProperty("message").GetString()!.Contains("TikTok did not answer", StringComparison.Ordinal)
            && a.GetProperty("message").GetString()!.Contains("keeps trying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_order_tiktok_refuses_to_show_is_failed_with_the_reason_and_a_retry_imports_it()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("resdeny");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.EnableWebhooks();

        // §8.1: 105005 "access denied" is not transient; redelivering would only end in the dead-letter queue.
        sandbox.TikTok.InjectFault(new SimFault { PathPrefix = "/order/202309/orders", HttpStatus = 200, Code = 105005, Message = "Access denied", Times = 1 });
        var order = sandbox.TikTok.CreateOrder("resdeny", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.SettleAsync();

        Assert.Empty(store.Orders);
        Assert.Empty(sandbox.DeadLetters);
        var failed = await sandbox.GetOrderAsync("resdeny", order.Id);
        Assert.Equal(("FAILED", "TIKTOK_REFUSED"), (failed.GetProperty("status").GetString(), failed.GetProperty("failureCode").GetString()));
        Assert.Contains("Access denied (code 105005)", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);

        using var retry = await sandbox.Api.PostAsync($"/api/orders/{order.Id}/retry?shopId=resdeny", null);
        retry.EnsureSuccessStatusCode();
        await sandbox.SettleAsync();
        Assert.Equal(order.Id, Assert.Single(store.Orders).SourceIdentifier);
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
