using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Testing;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// TikTok orders against an Etsy shop (issue 3): Etsy cannot create orders, so the order stays in Connector and the
/// matched SKUs' stock is taken from the Etsy listings once (and given back on cancellation).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class EtsyImportTests(ITestOutputHelper output)
{
    private Task<TestSandbox> StartAsync(SandboxOptions? options = null)
    {
        options ??= new SandboxOptions();
        options.Output = output;
        return TestSandbox.StartAsync(options);
    }

    [Fact]
    public async Task A_tiktok_order_takes_stock_from_the_right_variation_and_leaves_the_others_untouched()
    {
        await using var sandbox = await StartAsync();
        var (_, etsy) = await sandbox.ConnectEtsyAsync("et1");
        var tee = etsy.AddListing("Tee", ("TEE-S", 19.99m, 3, [("Size", "S")]), ("TEE-M", 19.99m, 5, [("Size", "M")]), ("TEE-L", 21.50m, 7, [("Size", "L")]));
        etsy.AddListing("Mug", ("MUG-1", 12m, 10, null));
        var order = sandbox.TikTok.CreateOrder("et1", TestOrders.Spec(("TEE-M", 2, 19.99m), ("MUG-1", 1, 12m)));

        await sandbox.FetchAndWaitAsync("et1");

        Assert.Equal(3, etsy.InventoryOf("TEE-S"));
        Assert.Equal(3, etsy.InventoryOf("TEE-M"));
        Assert.Equal(7, etsy.InventoryOf("TEE-L"));
        Assert.Equal(9, etsy.InventoryOf("MUG-1"));
        var inventory = etsy.GetInventory(tee);
        Assert.Equal(3, inventory.Products.Count(p => !p.IsDeleted));
        Assert.Contains(inventory.Products, p => !p.IsDeleted && p.Sku == "TEE-L" && p.Offerings.Single(o => !o.IsDeleted).Price.Amount == 2150);

        var view = await sandbox.GetOrderAsync("et1", order.Id);
        Assert.Equal("Imported", view.GetProperty("importState").GetString());
        Assert.Equal($"etsy:{order.Id}", view.GetProperty("storeOrderId").GetString());
        Assert.DoesNotContain(sandbox.Etsy.Requests, r => r.Method == "POST" && r.Path.Contains("receipts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Duplicate_and_concurrent_deliveries_and_a_crash_before_the_state_write_take_the_stock_once()
    {
        var fault = new FailFirstImportedWrite();
        await using var sandbox = await StartAsync(new SandboxOptions { StoragePolicy = fault });
        var (_, etsy) = await sandbox.ConnectEtsyAsync("etdup");
        etsy.AddListing("Cap", ("CAP-1", 12m, 50, [("Color", "Red")]), ("CAP-2", 12m, 50, [("Color", "Blue")]));

        // The first import crashes after Etsy's answer, before the order row says Imported: the redelivery must not take stock again.
        var crashed = sandbox.TikTok.CreateOrder("etdup", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("etdup");
        Assert.Equal(1, fault.Failures);
        Assert.Equal(49, etsy.InventoryOf("CAP-1"));
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("etdup", crashed.Id)).GetProperty("importState").GetString());

        var order = sandbox.TikTok.CreateOrder("etdup", TestOrders.Spec(("CAP-1", 2, 12m)));
        var payload = StoreTestSupport.Invocation("etdup", order.Id, order.UpdateTime, "m-etdup");
        using (var a = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage", payload))
        using (var b = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage", payload))
        {
            Assert.True(a.IsSuccessStatusCode);
            Assert.True(b.IsSuccessStatusCode);
        }

        Assert.Equal(47, etsy.InventoryOf("CAP-1"));

        var racing = sandbox.TikTok.CreateOrder("etdup", TestOrders.Spec(("CAP-1", 1, 12m), ("CAP-2", 3, 12m)));
        var racePayload = StoreTestSupport.Invocation("etdup", racing.Id, racing.UpdateTime, "m-etrace");
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => sandbox.Host.InvokeRawAsync("ProcessOrderMessage", racePayload)));
        Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode || (int)a.StatusCode == 503, $"unexpected {(int)a.StatusCode}"));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }

        await sandbox.FetchAndWaitAsync("etdup");
        Assert.Equal(46, etsy.InventoryOf("CAP-1"));
        Assert.Equal(47, etsy.InventoryOf("CAP-2"));
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("etdup", racing.Id)).GetProperty("importState").GetString());
    }

    [Fact]
    public async Task Missing_and_ambiguous_skus_fail_with_the_reason_and_throttling_is_waited_out()
    {
        await using var sandbox = await StartAsync();
        var (_, etsy) = await sandbox.ConnectEtsyAsync("etfail");
        etsy.AddListing("One", ("DUP-1", 5m, 5, null));
        etsy.AddListing("Two", ("DUP-1", 5m, 5, null));
        etsy.AddListing("Cap", ("CAP-1", 12m, 50, null));
        var missing = sandbox.TikTok.CreateOrder("etfail", TestOrders.Spec(("GHOST-9", 1, 5m)));
        var ambiguous = sandbox.TikTok.CreateOrder("etfail", TestOrders.Spec(("DUP-1", 1, 5m)));
        await sandbox.FetchAndWaitAsync("etfail");

        var missingView = await sandbox.GetOrderAsync("etfail", missing.Id);
        Assert.Equal("SKU_NOT_FOUND", missingView.GetProperty("failureCode").GetString());
        Assert.Contains("Etsy", missingView.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        var ambiguousView = await sandbox.GetOrderAsync("etfail", ambiguous.Id);
        Assert.Equal("SKU_AMBIGUOUS", ambiguousView.GetProperty("failureCode").GetString());
        Assert.Contains("DUP-1", ambiguousView.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, etsy.Listings.Sum(l => l.Title is "One" or "Two" ? l.Quantity : 0) / 2);

        // Etsy answers 429 with retry-after three times: the client waits as told and the order goes through.
        var ok = sandbox.TikTok.CreateOrder("etfail", TestOrders.Spec(("CAP-1", 1, 12m)));
        sandbox.Etsy.Throttle(3);
        await sandbox.FetchAndWaitAsync("etfail");
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("etfail", ok.Id)).GetProperty("importState").GetString());
        Assert.Equal(49, etsy.InventoryOf("CAP-1"));
        Assert.Equal(3, sandbox.Etsy.Requests.Count(r => r.Status == 429));
    }

    [Fact]
    public async Task Cancellation_after_import_gives_the_stock_back_once()
    {
        await using var sandbox = await StartAsync();
        var (_, etsy) = await sandbox.ConnectEtsyAsync("etcan");
        etsy.AddListing("Cap", ("CAP-1", 12m, 50, [("Color", "Red")]), ("CAP-2", 12m, 20, [("Color", "Blue")]));
        var order = sandbox.TikTok.CreateOrder("etcan", TestOrders.Spec(("CAP-1", 2, 12m)));
        await sandbox.FetchAndWaitAsync("etcan");
        Assert.Equal(48, etsy.InventoryOf("CAP-1"));

        sandbox.TikTok.Cancel(order.Id, "BUYER", "No longer needed");
        await TestWait.UntilPastAsync(sandbox.TikTok.GetOrder(order.Id).UpdateTime);
        await sandbox.FetchAndWaitAsync("etcan");
        using (var again = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage",
            StoreTestSupport.Invocation("etcan", order.Id, sandbox.TikTok.GetOrder(order.Id).UpdateTime, "m-etcan-again")))
        {
            Assert.True(again.IsSuccessStatusCode);
        }

        await sandbox.FetchAndWaitAsync("etcan");
        Assert.Equal(50, etsy.InventoryOf("CAP-1"));
        Assert.Equal(20, etsy.InventoryOf("CAP-2"));
        var view = await sandbox.GetOrderAsync("etcan", order.Id);
        Assert.Equal("CANCELLED", view.GetProperty("status").GetString());
        Assert.Single(view.GetProperty("activity").EnumerateArray(), a => a.GetProperty("message").GetString()!.Contains("cancelled in Etsy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expiring_access_token_is_refreshed_and_persisted_on_the_shop()
    {
        await using var sandbox = await StartAsync();
        var (_, etsy) = await sandbox.ConnectEtsyAsync("ettok", accessTokenExpiresAt: DateTimeOffset.UtcNow.AddSeconds(60).ToUnixTimeSeconds());
        etsy.AddListing("Cap", ("CAP-1", 12m, 50, null));

        var shop = await sandbox.Api.GetFromJsonAsync<JsonElement>(new Uri("/api/shops/ettok", UriKind.Relative));
        var expiresAt = shop.GetProperty("store").GetProperty("accessTokenExpiresAt").GetInt64();
        Assert.True(expiresAt > DateTimeOffset.UtcNow.AddMinutes(50).ToUnixTimeSeconds(), $"expires at {expiresAt}");
        Assert.Contains(sandbox.Etsy.Requests, r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal) && r.Body.Contains("grant_type=refresh_token", StringComparison.Ordinal));
        Assert.DoesNotContain(etsy.AccessToken, shop.GetRawText(), StringComparison.Ordinal);

        var order = sandbox.TikTok.CreateOrder("ettok", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("ettok");
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("ettok", order.Id)).GetProperty("importState").GetString());
        Assert.DoesNotContain(sandbox.Logs.Lines, l => l.Contains(etsy.RefreshToken, StringComparison.Ordinal) || l.Contains(TestSandbox.EtsySharedSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_api_key_is_refused_at_connect_time_with_a_clear_message()
    {
        await using var sandbox = await StartAsync(new SandboxOptions
        {
            ConfigureHandler = b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Etsy:SharedSecret"] = "not-the-secret" }),
        });
        var tiktokShop = sandbox.TikTok.AddShop("etbad");
        var etsy = sandbox.Etsy.AddShop("EtsyBad");

        using var response = await sandbox.PutShopAsync(tiktokShop, TestSandbox.EtsyStore(etsy));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("API key", body, StringComparison.Ordinal);
        Assert.Contains("Etsy__SharedSecret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_oauth_pkce_flow_stores_the_etsy_tokens_and_shop_id_on_the_shop()
    {
        await using var sandbox = await StartAsync();
        await sandbox.ConnectShopAsync("etoauth");
        var etsy = sandbox.Etsy.AddShop("EtsyOAuth");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sandbox.Host.BaseUrl };

        using var connect = await browser.GetAsync(new Uri("/api/shops/etoauth/etsy/connect", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        var consent = connect.Headers.Location!;
        Assert.Contains("code_challenge_method=S256", consent.Query, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(TestSandbox.EtsyRedirectUrl), consent.Query, StringComparison.Ordinal);

        using var consented = await browser.GetAsync(consent);
        Assert.Equal(HttpStatusCode.Redirect, consented.StatusCode);
        var back = consented.Headers.Location!;
        Assert.StartsWith(TestSandbox.EtsyRedirectUrl, back.ToString(), StringComparison.Ordinal);

        using var callback = await browser.GetAsync(new Uri("/api/etsy/callback" + back.Query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        using var replay = await browser.GetAsync(new Uri("/api/etsy/callback" + back.Query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);

        var shop = await sandbox.Api.GetFromJsonAsync<JsonElement>(new Uri("/api/shops/etoauth", UriKind.Relative));
        var store = shop.GetProperty("store");
        Assert.Equal("etsy", store.GetProperty("platform").GetString());
        Assert.Equal(etsy.ShopId.ToString(System.Globalization.CultureInfo.InvariantCulture), store.GetProperty("accountId").GetString());
        Assert.True(store.GetProperty("hasRefreshToken").GetBoolean());

        etsy.AddListing("Cap", ("CAP-1", 12m, 50, null));
        var order = sandbox.TikTok.CreateOrder("etoauth", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("etoauth");
        Assert.Equal(49, etsy.InventoryOf("CAP-1"));
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("etoauth", order.Id)).GetProperty("importState").GetString());
    }

    [Fact]
    public async Task A_callback_whose_save_keeps_losing_does_not_say_connected_and_asks_the_merchant_to_try_again()
    {
        var fault = new RefuseShopWrites("\"Platform\":\"etsy\"");
        await using var sandbox = await StartAsync(new SandboxOptions { StoragePolicy = fault });
        await sandbox.ConnectShopAsync("etlost");
        var etsy = sandbox.Etsy.AddShop("EtsyLost");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sandbox.Host.BaseUrl };

        fault.Enabled = true;
        using var lost = await CallbackAsync(browser, "etlost");
        fault.Enabled = false;

        Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
        Assert.Null(lost.Headers.Location);
        var problem = await lost.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("was not saved", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Start the Etsy connection again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, fault.Refused);
        Assert.DoesNotContain(sandbox.Logs.Lines, l => l.Contains("through OAuth", StringComparison.Ordinal));
        var unsaved = (await sandbox.Api.GetFromJsonAsync<JsonElement>(new Uri("/api/shops/etlost", UriKind.Relative))).GetProperty("store");
        Assert.NotEqual("etsy", unsaved.GetProperty("platform").GetString());

        // Trying again, as the page says, saves the tokens.
        using var again = await CallbackAsync(browser, "etlost");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var store = (await sandbox.Api.GetFromJsonAsync<JsonElement>(new Uri("/api/shops/etlost", UriKind.Relative))).GetProperty("store");
        Assert.Equal("etsy", store.GetProperty("platform").GetString());
        Assert.Equal(etsy.ShopId.ToString(System.Globalization.CultureInfo.InvariantCulture), store.GetProperty("accountId").GetString());
        Assert.True(store.GetProperty("hasRefreshToken").GetBoolean());
        Assert.Contains(sandbox.Logs.Lines, l => l.Contains("through OAuth", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_callback_that_loses_a_few_races_still_saves_the_tokens()
    {
        var fault = new RefuseShopWrites("\"Platform\":\"etsy\"", limit: 2);
        await using var sandbox = await StartAsync(new SandboxOptions { StoragePolicy = fault });
        await sandbox.ConnectShopAsync("etrace");
        var etsy = sandbox.Etsy.AddShop("EtsyRace");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sandbox.Host.BaseUrl };

        fault.Enabled = true;
        using var callback = await CallbackAsync(browser, "etrace");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(2, fault.Refused);
        var store = (await sandbox.Api.GetFromJsonAsync<JsonElement>(new Uri("/api/shops/etrace", UriKind.Relative))).GetProperty("store");
        Assert.Equal(etsy.ShopId.ToString(System.Globalization.CultureInfo.InvariantCulture), store.GetProperty("accountId").GetString());
    }

    /// <summary>Connect, consent on the simulated Etsy, and come back to the callback; returns the callback's answer.</summary>
    private static async Task<HttpResponseMessage> CallbackAsync(HttpClient browser, string shopId)
    {
        using var connect = await browser.GetAsync(new Uri($"/api/shops/{shopId}/etsy/connect", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        using var consented = await browser.GetAsync(connect.Headers.Location!);
        Assert.Equal(HttpStatusCode.Redirect, consented.StatusCode);
        return await browser.GetAsync(new Uri("/api/etsy/callback" + consented.Headers.Location!.Query, UriKind.Relative));
    }
}
