using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>Seller onboarding through TikTok's consent page and redirect (reference/tiktok-shop-api.md §3.1, §3.2).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class TikTokAuthorizationTests(ITestOutputHelper output)
{
    private Task<TestSandbox> StartAsync() => TestSandbox.StartAsync(new SandboxOptions
    {
        Output = output,
        ConfigureHandler = b => b.Configuration["TikTok:ServiceId"] = "7310000000000000001",
    });

    private static HttpClient NoRedirects(TestSandbox sandbox) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sandbox.Host.BaseUrl };

    [Fact]
    public async Task Consent_redirect_and_callback_store_the_shop_with_its_cipher_and_tokens()
    {
        await using var sandbox = await StartAsync();
        using var browser = NoRedirects(sandbox);
        var simShop = sandbox.TikTok.AddShop("7494049642642441621", "Maomao beauty shop");

        using var authorize = await browser.GetAsync("/api/tiktok/authorize");
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var consent = authorize.Headers.Location!;
        Assert.StartsWith("https://services.tiktokshop.com/open/authorize", consent.ToString(), StringComparison.Ordinal);
        var state = HttpUtility.ParseQueryString(consent.Query)["state"]!;
        Assert.Equal("7310000000000000001", HttpUtility.ParseQueryString(consent.Query)["service_id"]);

        // TikTok sends the seller back with a one-time code.
        var code = sandbox.TikTok.IssueAuthCode(simShop.ShopId);
        using var callback = await browser.GetAsync($"/api/tiktok/callback?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal($"/api/app?shopId={simShop.ShopId}", callback.Headers.Location!.OriginalString);
        var shop = await sandbox.Api.GetFromJsonAsync<JsonElement>($"/api/shops/{simShop.ShopId}");
        Assert.Equal(simShop.Cipher, shop.GetProperty("tiktok").GetProperty("shopCipher").GetString());
        Assert.True(shop.GetProperty("tiktok").GetProperty("hasAccessToken").GetBoolean());
        Assert.Equal("Maomao beauty shop", shop.GetProperty("name").GetString());
        Assert.Contains("Connect your store", shop.GetProperty("connectionMessage").GetString(), StringComparison.Ordinal);
        Assert.Contains(sandbox.TikTok.Requests, r => r.Path == "/authorization/202309/shops" && r.Code == 0 && !r.Query.ContainsKey("shop_cipher"));

        // Until its store is connected, the shop is not fetched and Fetch Order says why.
        using var fetch = await sandbox.FetchAsync(simShop.ShopId);
        Assert.Equal(HttpStatusCode.Conflict, fetch.StatusCode);
    }

    [Fact]
    public async Task Forged_or_reused_authorisations_are_refused_with_a_reason()
    {
        await using var sandbox = await StartAsync();
        using var browser = NoRedirects(sandbox);
        var simShop = sandbox.TikTok.AddShop("7494049642642441622");
        using var authorize = await browser.GetAsync("/api/tiktok/authorize");
        var state = HttpUtility.ParseQueryString(authorize.Headers.Location!.Query)["state"]!;
        var code = sandbox.TikTok.IssueAuthCode(simShop.ShopId);

        // One hex digit of the signature changed (to a different digit: the last one is '0' one time in sixteen).
        var forgedState = state[..^1] + (state[^1] == '0' ? "1" : "0");
        using var forged = await browser.GetAsync($"/api/tiktok/callback?code={code}&state={Uri.EscapeDataString(forgedState)}");
        using var first = await browser.GetAsync($"/api/tiktok/callback?code={code}&state={Uri.EscapeDataString(state)}");
        using var reused = await browser.GetAsync($"/api/tiktok/callback?code={code}&state={Uri.EscapeDataString(state)}");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("36004004", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
