using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>Real HTTP against a started simulator. Section numbers refer to shared/reference/tiktok-shop-api.md.</summary>
public sealed partial class OpenApiTests
{
    private const string ShopId = "7494049642642441621";

    private static async Task<(TikTokSimulator Sim, TikTokTestClient Client, SimShop Shop)> StartAsync(TikTokSimulatorOptions? options = null)
    {
        var sim = await TikTokSimulator.StartAsync(options ?? new TikTokSimulatorOptions { Seed = 42 });
        var shop = sim.AddShop(ShopId, "Maomao beauty shop");
        return (sim, new TikTokTestClient(TikTokTestClient.Http, sim), shop);
    }

    [GeneratedRegex("^[0-9]{14}[0-9A-F]{20}$")]
    private static partial Regex RequestIdFormat();

    // ---------------------------------------------------------------- §4.2 search and paging

    [Fact]
    public async Task S4_2_signed_search_pages_through_250_orders_in_3_pages_of_100_then_empty_next_page_token()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var created = sim.CreateOrders(ShopId, 250, i => new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = $"SKU-{i % 7}" }] });

        var seen = new List<string>();
        string? token = null;
        var pages = new List<int>();
        do
        {
            var response = await client.SearchAsync(shop, 100, token);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal(0, response.Code);
            Assert.Equal(250, response.Data.GetProperty("total_count").GetInt32());
            var orders = response.Data.GetProperty("orders").EnumerateArray().ToList();
            pages.Add(orders.Count);
            seen.AddRange(orders.Select(o => o.GetProperty("id").GetString()!));
            token = response.Data.GetProperty("next_page_token").GetString();
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal([100, 100, 50], pages);
        Assert.Equal(created.Select(o => o.Id).Order(), seen.Order());
        Assert.Equal(250, seen.Distinct().Count());
        Assert.Equal(3, sim.Requests.Count(r => r.Path == "/order/202309/orders/search" && r.Code == 0));
    }

    [Fact]
    public async Task S4_2_search_default_sort_is_create_time_DESC_and_update_time_ASC_window_is_half_open()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var (sim, client, shop) = await StartAsync(new TikTokSimulatorOptions { TimeProvider = time });
        await using var running = sim;
        var a = sim.CreateOrder(ShopId, new SimOrderSpec { CreateTime = 1_699_999_000 });
        var b = sim.CreateOrder(ShopId, new SimOrderSpec { CreateTime = 1_699_999_500 });
        var c = sim.CreateOrder(ShopId, new SimOrderSpec { CreateTime = 1_699_999_900 });

        var all = await client.SearchAsync(shop, 10);
        Assert.Equal([c.Id, b.Id, a.Id], Ids(all));

        var window = await client.SearchAsync(shop, 10, body: """{"update_time_ge":1699999000,"update_time_lt":1699999900}""", sortField: "update_time", sortOrder: "ASC");
        Assert.Equal([a.Id, b.Id], Ids(window));

        var byStatus = await client.SearchAsync(shop, 10, body: """{"order_status":"UNPAID"}""");
        Assert.Empty(Ids(byStatus));
    }

    [Fact]
    public async Task S4_2_filter_timestamps_sent_as_strings_get_36009004_type_invalid()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;

        var response = await client.SearchAsync(shop, 10, body: """{"create_time_ge":"1623812664"}""");

        Assert.Equal(36009004, response.Code);
        Assert.Equal("param create_time_ge type invalid,actual type is:string,expected type is:int64", response.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task S4_2_page_size_outside_1_to_100_is_rejected(int pageSize)
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;

        var response = await client.SearchAsync(shop, pageSize);

        Assert.Equal(36009004, response.Code);
        Assert.Contains("page_size", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S4_2_page_token_is_bound_to_the_query_it_came_from()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        sim.CreateOrders(ShopId, 3, _ => new SimOrderSpec());
        var first = await client.SearchAsync(shop, 1);
        var token = first.Data.GetProperty("next_page_token").GetString()!;

        var otherFilter = await client.SearchAsync(shop, 1, token, body: """{"order_status":"AWAITING_SHIPMENT"}""");
        var garbage = await client.SearchAsync(shop, 1, "not-a-token");
        var same = await client.SearchAsync(shop, 1, token);

        Assert.Equal(36009004, otherFilter.Code);
        Assert.Equal(36009004, garbage.Code);
        Assert.Equal(0, same.Code);
    }

    // ---------------------------------------------------------------- §2 signing and the §11 validation order

    [Fact]
    public async Task S2_1_bad_sign_returns_http_401_code_106001()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;

        var response = await client.SendAsync(new ApiCall { Path = "/authorization/202309/shops", AccessToken = shop.AccessToken, Sign = new string('0', 64) });

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(106001, response.Code);
        Assert.Equal("Invalid credentials. The `sign` query parameter is invalid.", response.Message);
    }

    [Fact]
    public async Task S2_2_uppercase_hex_sign_is_rejected()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var sign = TestSigner.Sign(sim.Options.AppSecret, "/authorization/202309/shops",
            [new("app_key", sim.Options.AppKey), new("timestamp", now.ToString(System.Globalization.CultureInfo.InvariantCulture))], (string?)null);

        var lower = await client.SendAsync(new ApiCall { Path = "/authorization/202309/shops", AccessToken = shop.AccessToken, Timestamp = now, Sign = sign });
        var upper = await client.SendAsync(new ApiCall { Path = "/authorization/202309/shops", AccessToken = shop.AccessToken, Timestamp = now, Sign = sign.ToUpperInvariant() });

        Assert.Equal(0, lower.Code);
        Assert.Equal(106001, upper.Code);
    }

    [Fact]
    public async Task S2_1_body_is_signed_as_exact_bytes_so_reserialized_body_fails()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        KeyValuePair<string, string>[] query =
            [new("app_key", sim.Options.AppKey), new("timestamp", now.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("page_size", "10"), new("shop_cipher", shop.Cipher)];
        var signedOverCompact = TestSigner.Sign(sim.Options.AppSecret, "/order/202309/orders/search", query, """{"order_status":"UNPAID"}""");

        var response = await client.SendAsync(new ApiCall
        {
            Method = HttpMethod.Post,
            Path = "/order/202309/orders/search",
            Query = query[2..],
            Timestamp = now,
            Body = """{ "order_status": "UNPAID" }""",
            Sign = signedOverCompact,
            AccessToken = shop.AccessToken,
        });

        Assert.Equal(106001, response.Code);
    }

    [Fact]
    public async Task S2_2_extra_and_empty_valued_query_parameters_are_signed_like_any_other_key()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;

        // V11 style: shop_id= (empty) is part of the string to sign as "shop_id" + "".
        var response = await client.SendAsync(new ApiCall { Path = "/authorization/202309/shops", Query = [new("shop_id", ""), new("version", "202309")], AccessToken = shop.AccessToken });

        Assert.Equal(0, response.Code);
        Assert.Equal("", sim.Requests[^1].Query["shop_id"]);
    }

    [Fact]
    public async Task S2_1_timestamp_window_is_now_minus_300_to_now_plus_30_with_the_documented_messages()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var (sim, client, shop) = await StartAsync(new TikTokSimulatorOptions { TimeProvider = time });
        await using var running = sim;
        Task<ApiResponse> At(long timestamp) => client.SendAsync(new ApiCall { Path = "/authorization/202309/shops", AccessToken = shop.AccessToken, Timestamp = timestamp });

        var stale = await At(1_700_000_000 - 301);
        var oldest = await At(1_700_000_000 - 300);
        var newest = await At(1_700_000_000 + 30);
        var future = await At(1_700_000_000 + 31);

        Assert.Equal(36009004, stale.Code);
        Assert.Equal("Invalid timestamp. The value of the `timestamp` query parameter must not be earlier than 5 minutes before the current time.", stale.Message);
        Assert.Equal(0, oldest.Code);
        Assert.Equal(0, newest.Code);
        Assert.Equal(36009004, future.Code);
        Assert.Equal("Invalid timestamp. The value of the `timestamp` query parameter must not exceed the current time by more than 30 seconds.", future.Message);
    }

    [Fact]
    public async Task S11_missing_sign_unknown_app_key_bad_path_and_method_are_checked_first()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;

        var noSign = await client.SendAsync(new ApiCall { Path = "/authorization/202309/shops", AccessToken = shop.AccessToken, OmitSign = true });
        var badKey = await client.SendAsync(new ApiCall { Path = "/authorization/202309/shops", AccessToken = shop.AccessToken, AppKey = "nope" });
        var badPath = await client.SendAsync(new ApiCall { Path = "/order/202309/nothing", AccessToken = shop.AccessToken });
        var badMethod = await client.SendAsync(new ApiCall { Method = HttpMethod.Delete, Path = "/order/202309/orders/search", AccessToken = shop.AccessToken });

        Assert.Equal((36009004, "Missing credentials. The request does not include a required signature in the query."), (noSign.Code, noSign.Message));
        Assert.Equal((36009004, "Invalid credentials. Invalid `app_key` query parameter."), (badKey.Code, badKey.Message));
        Assert.Equal((HttpStatusCode.NotFound, 36009009), (badPath.Status, badPath.Code));
        Assert.Equal(36009010, badMethod.Code);
    }

    [Fact]
    public async Task S2_2_missing_shop_cipher_returns_106013_and_cipher_on_authorization_returns_unexpected_identifier()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;

        var missing = await client.SendAsync(new ApiCall
        {
            Method = HttpMethod.Post, Path = "/order/202309/orders/search", Query = [new("page_size", "10")], Body = "{}", AccessToken = shop.AccessToken,
        });
        var unexpected = await client.SendAsync(new ApiCall
        {
            Path = "/authorization/202309/shops", Query = [new("shop_cipher", shop.Cipher)], AccessToken = shop.AccessToken,
        });

        Assert.Equal(106013, missing.Code);
        Assert.Equal("Missing identifier. The `shop_cipher` query parameter is required to identify the target shop.", missing.Message);
        Assert.Equal(36009004, unexpected.Code);
        Assert.Equal("Unexpected identifier. The `shop_cipher` query parameter is not required for this request.", unexpected.Message);
    }

    [Fact]
    public async Task S1_content_type_application_json_is_required_even_on_GET()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;

        var response = await client.SendAsync(new ApiCall { Path = "/authorization/202309/shops", AccessToken = shop.AccessToken, ContentType = null });

        Assert.NotEqual(0, response.Code);
    }

    [Fact]
    public async Task S1_every_response_has_the_envelope_with_a_request_id()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;

        var ok = await client.ShopsAsync(shop.AccessToken);
        var error = await client.SendAsync(new ApiCall { Path = "/nope" });

        foreach (var response in new[] { ok, error })
        {
            Assert.Equal(["code", "data", "message", "request_id"], response.Root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Matches(RequestIdFormat(), response.Root.GetProperty("request_id").GetString());
        }

        var shops = ok.Data.GetProperty("shops").EnumerateArray().Single();
        Assert.Equal(shop.Cipher, shops.GetProperty("cipher").GetString());
        Assert.Equal(ShopId, shops.GetProperty("id").GetString());
        Assert.StartsWith("ROW_", shop.Cipher, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- §3 tokens

    [Fact]
    public async Task S3_1_invalid_token_gets_36009004_and_expired_token_gets_105002()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;

        var invalid = await client.ShopsAsync("TTP_not_a_token");
        sim.ExpireAccessToken(ShopId);
        var expired = await client.ShopsAsync(shop.AccessToken);

        Assert.Equal((36009004, "Invalid credentials. The `x-tts-access-token` header is invalid."), (invalid.Code, invalid.Message));
        Assert.Equal(105002, expired.Code);
        Assert.Equal("Expired credentials. The `access_token` or `x-tts-access-token` header has expired.", expired.Message);
    }

    [Fact]
    public async Task S3_1_expired_token_gets_105002_then_refresh_gives_a_working_token_and_the_old_one_stops_working()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        sim.CreateOrder(ShopId, new SimOrderSpec());
        sim.ExpireAccessToken(ShopId);

        var expired = await client.SearchAsync(shop, 10);
        var refresh = await client.RefreshAsync(shop.RefreshToken);
        var newToken = refresh.Data.GetProperty("access_token").GetString()!;
        var withNew = await client.SearchAsync(shop, 10, accessToken: newToken);
        var withOld = await client.SearchAsync(shop, 10, accessToken: shop.AccessToken);

        Assert.Equal(105002, expired.Code);
        Assert.Equal((HttpStatusCode.OK, 0, "success"), (refresh.Status, refresh.Code, refresh.Message));
        Assert.NotEqual(shop.AccessToken, newToken);
        Assert.Equal(0, withNew.Code);
        Assert.Equal(1, withNew.Data.GetProperty("total_count").GetInt32());
        Assert.Equal(36009004, withOld.Code);
        Assert.Equal(newToken, sim.GetShop(ShopId).AccessToken);
    }

    [Fact]
    public async Task S3_1_token_responses_carry_absolute_expiry_timestamps()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var (sim, client, shop) = await StartAsync(new TikTokSimulatorOptions { TimeProvider = time });
        await using var running = sim;
        time.Advance(TimeSpan.FromHours(1));

        var refresh = await client.RefreshAsync(shop.RefreshToken);
        var data = refresh.Data;

        Assert.Equal(1_700_000_000 + 3600 + (7 * 86400), data.GetProperty("access_token_expire_in").GetInt64());
        Assert.Equal(1_700_000_000 + (365 * 86400), data.GetProperty("refresh_token_expire_in").GetInt64());
        Assert.Equal(
            ["access_token", "access_token_expire_in", "open_id", "refresh_token", "refresh_token_expire_in", "seller_base_region", "seller_name", "user_type"],
            data.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Maomao beauty shop", data.GetProperty("seller_name").GetString());
    }

    [Fact]
    public async Task S3_1_auth_code_is_single_use_and_expires_after_30_minutes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var (sim, client, _) = await StartAsync(new TikTokSimulatorOptions { TimeProvider = time });
        await using var running = sim;
        Task<ApiResponse> Exchange(string code) => client.TokenAsync("/api/v2/token/get",
            ("app_key", sim.Options.AppKey), ("app_secret", sim.Options.AppSecret), ("auth_code", code), ("grant_type", "authorized_code"));

        var code = sim.IssueAuthCode(ShopId);
        var first = await Exchange(code);
        var again = await Exchange(code);
        var late = sim.IssueAuthCode(ShopId);
        time.Advance(TimeSpan.FromMinutes(30));
        var expired = await Exchange(late);

        Assert.Equal(0, first.Code);
        Assert.Equal(sim.GetShop(ShopId).AccessToken, first.Data.GetProperty("access_token").GetString());
        Assert.Equal((HttpStatusCode.OK, 36004004), (again.Status, again.Code));
        Assert.Equal(36004004, expired.Code);
    }

    [Fact]
    public async Task S3_1_expired_refresh_token_gets_36004001_rt_has_expired_with_http_200()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        sim.ExpireRefreshToken(ShopId);

        var response = await client.RefreshAsync(shop.RefreshToken);

        Assert.Equal((HttpStatusCode.OK, 36004001, "rt has expired"), (response.Status, response.Code, response.Message));
    }

    // ---------------------------------------------------------------- §8.2 rate limits and faults

    [Fact]
    public async Task S8_2_injected_429_returns_code_36009002_with_Retry_After_then_recovers()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        sim.InjectFault(new SimFault { PathPrefix = "/order/202309/orders/search", HttpStatus = 429, Code = 36009002, Times = 2, RetryAfterSeconds = 1 });

        var first = await client.SearchAsync(shop, 10);
        var second = await client.SearchAsync(shop, 10);
        var third = await client.SearchAsync(shop, 10);

        Assert.Equal((HttpStatusCode.TooManyRequests, 36009002), (first.Status, first.Code));
        Assert.Equal("Too many requests. You've made too many requests in a short period of time.", first.Message);
        Assert.Equal(TimeSpan.FromSeconds(1), first.Headers.RetryAfter?.Delta);
        Assert.Equal(36009002, second.Code);
        Assert.Equal(0, third.Code);
    }

    [Fact]
    public async Task S8_2_injected_503_returns_36009003()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        sim.InjectFault(new SimFault { PathPrefix = "/order/", HttpStatus = 503, Code = 36009003 });

        var response = await client.DetailAsync(shop, [sim.CreateOrder(ShopId, new SimOrderSpec()).Id]);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 36009003), (response.Status, response.Code));
    }

    [Fact]
    public async Task S8_2_rate_limit_per_app_shop_and_path_answers_429_with_Retry_After()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var (sim, client, shop) = await StartAsync(new TikTokSimulatorOptions { TimeProvider = time, RateLimitPerSecond = 2 });
        await using var running = sim;

        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await client.SearchAsync(shop, 10)).Code);
        }

        var otherPath = await client.ShopsAsync(shop.AccessToken);
        var limited = await client.SearchAsync(shop, 10);
        time.Advance(TimeSpan.FromSeconds(1));
        var nextSecond = await client.SearchAsync(shop, 10);

        Assert.Equal([0, 0, 36009002], codes);
        Assert.Equal(0, otherPath.Code);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(0, nextSecond.Code);
    }

    // ---------------------------------------------------------------- §4.3 detail and §4.4 data realism

    [Fact]
    public async Task S4_4_unpaid_and_on_hold_orders_have_no_recipient_address()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var unpaid = sim.CreateOrder(ShopId, new SimOrderSpec { Status = "UNPAID" });
        var onHold = sim.CreateOrder(ShopId, new SimOrderSpec { Status = "ON_HOLD" });
        var paid = sim.CreateOrder(ShopId, new SimOrderSpec { Status = "AWAITING_SHIPMENT" });

        var response = await client.DetailAsync(shop, [unpaid.Id, onHold.Id, paid.Id]);
        var orders = response.Data.GetProperty("orders").EnumerateArray().ToDictionary(o => o.GetProperty("id").GetString()!);

        Assert.False(orders[unpaid.Id].TryGetProperty("recipient_address", out _));
        Assert.False(orders[onHold.Id].TryGetProperty("recipient_address", out _));
        Assert.True(orders[onHold.Id].GetProperty("is_on_hold_order").GetBoolean());
        Assert.True(orders[paid.Id].TryGetProperty("recipient_address", out _));

        sim.SetStatus(unpaid.Id, "AWAITING_SHIPMENT");
        var afterPayment = await client.DetailAsync(shop, [unpaid.Id]);
        Assert.True(afterPayment.Data.GetProperty("orders")[0].TryGetProperty("recipient_address", out _));
    }

    [Fact]
    public async Task S4_4_three_units_of_one_sku_are_three_line_items_without_quantity()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var order = sim.CreateOrder(ShopId, new SimOrderSpec
        {
            Lines = [new SimLineSpec { SellerSku = "TSHIRT-RED-M", SalePrice = 12.50m, OriginalPrice = 15m, Quantity = 3 }, new SimLineSpec { SellerSku = "CAP", SalePrice = 8m }],
            ShippingFee = 5m,
            TaxRate = 0.1m,
        });

        var response = await client.DetailAsync(shop, [order.Id]);
        var json = response.Data.GetProperty("orders")[0];
        var lines = json.GetProperty("line_items").EnumerateArray().ToList();
        var tshirts = lines.Where(l => l.GetProperty("seller_sku").GetString() == "TSHIRT-RED-M").ToList();

        Assert.Equal(4, lines.Count);
        Assert.Equal(3, tshirts.Count);
        Assert.Equal(3, tshirts.Select(l => l.GetProperty("id").GetString()).Distinct().Count());
        Assert.Single(tshirts.Select(l => l.GetProperty("sku_id").GetString()).Distinct());
        Assert.All(lines, l => Assert.False(l.TryGetProperty("quantity", out _)));
        Assert.All(tshirts, l => Assert.Equal("12.5", l.GetProperty("sale_price").GetString()));

        // §4.4 payment formulas, as decimal strings.
        var payment = json.GetProperty("payment");
        decimal P(string name) => decimal.Parse(payment.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(53m, P("original_total_product_price"));
        Assert.Equal(7.5m, P("seller_discount"));
        Assert.Equal(45.5m, P("sub_total"));
        Assert.Equal(P("original_total_product_price") - P("seller_discount") - P("platform_discount"), P("sub_total"));
        Assert.Equal(5m, P("shipping_fee"));
        Assert.Equal(P("product_tax") + P("shipping_fee_tax"), P("tax"));
        Assert.Equal(P("sub_total") + P("shipping_fee") + P("tax") + P("retail_delivery_fee"), P("total_amount"));
        Assert.Equal(lines.Sum(l => decimal.Parse(l.GetProperty("item_tax")[0].GetProperty("tax_amount").GetString()!, System.Globalization.CultureInfo.InvariantCulture)), P("product_tax"));
        Assert.Equal("USD", payment.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task S11_ids_are_18_to_19_digit_strings_and_tiktok_shipping_masks_name_and_phone()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        var tiktok = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "TIKTOK", BuyerName = "Jane Doe" });
        var seller = sim.CreateOrder(ShopId, new SimOrderSpec { ShippingType = "SELLER", BuyerName = "Jane Doe" });

        var response = await client.DetailAsync(shop, [tiktok.Id, seller.Id]);
        var orders = response.Data.GetProperty("orders");
        var masked = orders[0].GetProperty("recipient_address");
        var plain = orders[1].GetProperty("recipient_address");

        Assert.Matches("^[0-9]{18,19}$", orders[0].GetProperty("id").GetString());
        Assert.Matches("^[0-9]{18,19}$", orders[0].GetProperty("line_items")[0].GetProperty("id").GetString());
        Assert.Matches("^[0-9]{18,19}$", orders[0].GetProperty("line_items")[0].GetProperty("sku_id").GetString());
        Assert.Equal(JsonValueKind.Number, orders[0].GetProperty("create_time").ValueKind);
        Assert.Equal("J*** D**", masked.GetProperty("name").GetString());
        Assert.Contains("***", masked.GetProperty("phone_number").GetString(), StringComparison.Ordinal);
        Assert.Equal("Jane Doe", plain.GetProperty("name").GetString());
        Assert.DoesNotContain("*", plain.GetProperty("phone_number").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("tiktok.com", orders[0].GetProperty("buyer_email").GetString(), StringComparison.Ordinal);
        var levels = masked.GetProperty("district_info").EnumerateArray().Select(d => d.GetProperty("address_level").GetString()).ToList();
        Assert.Equal(["L0", "L1", "L2", "L3"], levels);
    }

    [Fact]
    public async Task S4_3_detail_for_an_id_of_another_shop_or_unknown_returns_21008111_and_over_50_ids_is_rejected()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;
        sim.AddShop("7000714532876273420");
        var foreign = sim.CreateOrder("7000714532876273420", new SimOrderSpec());
        var mine = sim.CreateOrder(ShopId, new SimOrderSpec());

        var other = await client.DetailAsync(shop, [mine.Id, foreign.Id]);
        var unknown = await client.DetailAsync(shop, ["576461413038785752"]);
        var tooMany = await client.DetailAsync(shop, Enumerable.Range(0, 51).Select(i => $"5764614130387857{i:00}"));
        var v202507 = await client.DetailAsync(shop, [mine.Id], "202507");

        Assert.Equal((21008111, "The order or package does not belong to the current seller."), (other.Code, other.Message));
        Assert.Equal(21008111, unknown.Code);
        Assert.Equal(36009004, tooMany.Code);
        Assert.Equal(0, v202507.Code);
        Assert.Equal(mine.Id, v202507.Data.GetProperty("orders")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task S2_2_page_token_with_plus_or_slash_round_trips_percent_encoded()
    {
        var (sim, client, shop) = await StartAsync(new TikTokSimulatorOptions { Seed = 7 });
        await using var running = sim;
        sim.CreateOrders(ShopId, 60, _ => new SimOrderSpec());

        var tokens = new List<string>();
        string? token = null;
        var total = 0;
        do
        {
            var page = await client.SearchAsync(shop, 1, token);
            Assert.Equal(0, page.Code);
            total += page.Data.GetProperty("orders").GetArrayLength();
            token = page.Data.GetProperty("next_page_token").GetString();
            if (!string.IsNullOrEmpty(token))
            {
                tokens.Add(token);
            }
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(60, total);
        Assert.Contains(tokens, t => t.Contains('+', StringComparison.Ordinal) || t.Contains('/', StringComparison.Ordinal));
    }

    // ---------------------------------------------------------------- request records

    [Fact]
    public async Task Requests_record_what_the_client_sent_with_the_token_redacted()
    {
        var (sim, client, shop) = await StartAsync();
        await using var running = sim;

        await client.SearchAsync(shop, 20, body: """{"order_status":"UNPAID"}""", sortField: "update_time");

        var record = Assert.Single(sim.Requests);
        Assert.Equal(("POST", "/order/202309/orders/search", 0, 200), (record.Method, record.Path, record.Code, record.HttpStatus));
        Assert.Equal("20", record.Query["page_size"]);
        Assert.Equal("update_time", record.Query["sort_field"]);
        Assert.Equal("""{"order_status":"UNPAID"}""", record.Body);
        Assert.DoesNotContain(shop.AccessToken, record.Headers["x-tts-access-token"], StringComparison.Ordinal);
    }

    private static List<string> Ids(ApiResponse response) =>
        [.. response.Data.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("id").GetString()!)];
}
