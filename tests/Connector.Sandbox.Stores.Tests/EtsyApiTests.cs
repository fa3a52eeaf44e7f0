using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Stores.Tests;

/// <summary>store-apis.md §3.2 (inventory), §3.3 (keys, OAuth PKCE, refresh), §3.4 (rate limits).</summary>
public sealed class EtsyApiTests
{
    [Fact]
    public async Task Inventory_put_replaces_the_whole_inventory_and_deletes_omitted_products()
    {
        await using var etsy = await EtsyTestApp.StartAsync();
        var listing = etsy.AddTeeListing();
        var inventory = (await etsy.InventoryAsync(listing)).Body!;
        var body = EtsyTestApp.ToPutBody(inventory);
        body["products"]!.AsArray().RemoveAt(2); // leave TEE-L out, as a connector that sends only "its" SKU would
        body["products"]![0]!["offerings"]![0]!["quantity"] = 2;

        var put = await etsy.SendAsync(HttpMethod.Put, $"/v3/application/listings/{listing}/inventory", body);

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal(["TEE-S", "TEE-M"], put.Body!["products"]!.AsArray().Select(p => (string)p!["sku"]!));
        Assert.Equal(2, etsy.Shop.InventoryOf("TEE-S"));
        Assert.Throws<KeyNotFoundException>(() => etsy.Shop.InventoryOf("TEE-L"));
        var stored = etsy.Shop.GetInventory(listing);
        Assert.Equal(2, stored.Active.Count);
        Assert.Contains(stored.Products, p => p.Sku == "TEE-L" && p.IsDeleted);
        var withDeleted = await etsy.InventoryAsync(listing, "?show_deleted=true");
        Assert.Contains(withDeleted.Body!["products"]!.AsArray(), p => (string)p!["sku"]! == "TEE-L" && (bool)p["is_deleted"]!);
        Assert.DoesNotContain(stored.Active, p => inventory["products"]!.AsArray().Any(old => (long)old!["product_id"]! == p.ProductId)); // new ids [I]
    }

    [Theory]
    [InlineData("product_id")]
    [InlineData("is_deleted")]
    [InlineData("offering_id")]
    [InlineData("scale_name")]
    public async Task Read_only_fields_copied_from_a_get_are_rejected(string field)
    {
        await using var etsy = await EtsyTestApp.StartAsync();
        var listing = etsy.AddTeeListing();
        var body = EtsyTestApp.ToPutBody((await etsy.InventoryAsync(listing)).Body!);
        var product = body["products"]![0]!.AsObject();
        switch (field)
        {
            case "offering_id":
                product["offerings"]![0]![field] = 1;
                break;
            case "scale_name":
                product["property_values"]![0]![field] = null;
                break;
            default:
                product[field] = field == "product_id" ? 123 : false;
                break;
        }

        var put = await etsy.SendAsync(HttpMethod.Put, $"/v3/application/listings/{listing}/inventory", body);

        Assert.Equal(HttpStatusCode.BadRequest, put.Status);
        Assert.Contains(field, put.Error, StringComparison.Ordinal);
        Assert.Equal(5, etsy.Shop.InventoryOf("TEE-M")); // nothing changed
    }

    [Fact]
    public async Task Price_as_the_money_object_from_a_get_is_rejected()
    {
        await using var etsy = await EtsyTestApp.StartAsync();
        var listing = etsy.AddTeeListing();
        var inventory = (await etsy.InventoryAsync(listing)).Body!;
        var body = EtsyTestApp.ToPutBody(inventory);
        body["products"]![0]!["offerings"]![0]!["price"] = inventory["products"]![0]!["offerings"]![0]!["price"]!.DeepClone();

        var put = await etsy.SendAsync(HttpMethod.Put, $"/v3/application/listings/{listing}/inventory", body);

        Assert.Equal(HttpStatusCode.BadRequest, put.Status);
        Assert.Equal("There was a problem with /products/0/offerings/0/price : must be a number, not an object", put.Error);
    }

    [Fact]
    public async Task Put_without_products_all_zero_stock_or_missing_on_property_is_rejected()
    {
        await using var etsy = await EtsyTestApp.StartAsync();
        var listing = etsy.AddTeeListing();
        var body = EtsyTestApp.ToPutBody((await etsy.InventoryAsync(listing)).Body!);
        var zero = (JsonObject)body.DeepClone();
        foreach (var product in zero["products"]!.AsArray())
        {
            product!["offerings"]![0]!["quantity"] = 0;
        }

        var noOnProperty = (JsonObject)body.DeepClone();
        noOnProperty["price_on_property"] = new JsonArray();

        var empty = await etsy.SendAsync(HttpMethod.Put, $"/v3/application/listings/{listing}/inventory", new JsonObject());
        var allZero = await etsy.SendAsync(HttpMethod.Put, $"/v3/application/listings/{listing}/inventory", zero);
        var prices = await etsy.SendAsync(HttpMethod.Put, $"/v3/application/listings/{listing}/inventory", noOnProperty);

        Assert.Equal("Missing input parameter: [products]", empty.Error);
        Assert.Contains("quantity greater than 0", allZero.Error, StringComparison.Ordinal);
        Assert.Contains("price_on_property", prices.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_beyond_the_per_second_budget_get_429_with_retry_after_and_rate_headers()
    {
        await using var etsy = await EtsyTestApp.StartAsync(requestsPerSecond: 3, dailyLimit: 100);
        var listing = etsy.AddTeeListing();

        var answers = new List<EtsyTestApp.Answer>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await etsy.InventoryAsync(listing));
        }

        etsy.Time.Advance(TimeSpan.FromSeconds(1));
        var later = await etsy.InventoryAsync(listing);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.Status));
        Assert.Equal(["2", "1", "0", "0"], answers.Select(a => a.Header("x-remaining-this-second")));
        Assert.All(answers, a => Assert.Equal("3", a.Header("x-limit-per-second")));
        Assert.All(answers, a => Assert.Equal("100", a.Header("x-limit-per-day")));
        Assert.Equal("97", answers[3].Header("x-remaining-today"));
        Assert.Equal("1", answers[3].Header("retry-after"));
        Assert.Equal(HttpStatusCode.OK, later.Status);
        Assert.Equal("96", later.Header("x-remaining-today"));
    }

    [Fact]
    public async Task Throttle_knob_forces_429s_and_the_daily_budget_is_enforced()
    {
        await using var etsy = await EtsyTestApp.StartAsync(requestsPerSecond: 100, dailyLimit: 2);
        var listing = etsy.AddTeeListing();
        etsy.Simulator.Throttle(1);

        var forced = await etsy.InventoryAsync(listing);
        var first = await etsy.InventoryAsync(listing);
        var second = await etsy.InventoryAsync(listing);
        var overDaily = await etsy.InventoryAsync(listing);

        Assert.Equal(HttpStatusCode.TooManyRequests, forced.Status);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, overDaily.Status);
        Assert.True(int.Parse(overDaily.Header("retry-after"), System.Globalization.CultureInfo.InvariantCulture) > 3600);
    }

    [Fact]
    public async Task Api_key_needs_keystring_and_shared_secret()
    {
        await using var etsy = await EtsyTestApp.StartAsync();
        var listing = etsy.AddTeeListing();

        var keystringOnly = await etsy.SendAsync(HttpMethod.Get, $"/v3/application/listings/{listing}/inventory", apiKey: EtsyTestApp.Keystring);
        var wrongSecret = await etsy.SendAsync(HttpMethod.Get, $"/v3/application/listings/{listing}/inventory", apiKey: $"{EtsyTestApp.Keystring}:nope");
        var noToken = await etsy.SendAsync(HttpMethod.Get, $"/v3/application/listings/{listing}/inventory", token: null);

        Assert.Equal(HttpStatusCode.Forbidden, keystringOnly.Status);
        Assert.Equal("Shared secret is required in x-api-key header.", keystringOnly.Error);
        Assert.Equal(HttpStatusCode.Forbidden, wrongSecret.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.Status);
        Assert.Equal("invalid_token", noToken.Error);
    }

    [Fact]
    public async Task Expired_access_token_is_refused_and_the_refresh_token_gets_a_new_one()
    {
        await using var etsy = await EtsyTestApp.StartAsync();
        var listing = etsy.AddTeeListing();
        Assert.StartsWith($"{etsy.Shop.UserId}.", etsy.Shop.AccessToken, StringComparison.Ordinal);
        etsy.Time.Advance(TimeSpan.FromHours(1));

        var expired = await etsy.InventoryAsync(listing);
        var (status, token) = await etsy.TokenAsync(("grant_type", "refresh_token"), ("client_id", EtsyTestApp.Keystring), ("refresh_token", etsy.Shop.RefreshToken));
        var fresh = await etsy.SendAsync(HttpMethod.Get, $"/v3/application/listings/{listing}/inventory", token: (string)token["access_token"]!);
        var me = await etsy.SendAsync(HttpMethod.Get, "/v3/application/users/me", token: (string)token["access_token"]!);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal("invalid_token", expired.Error);
        Assert.Equal("access token is expired", (string)expired.Body!["error_description"]!);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", (string)token["token_type"]!);
        Assert.Equal(3600, (int)token["expires_in"]!);
        Assert.StartsWith($"{etsy.Shop.UserId}.", (string)token["refresh_token"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        Assert.Equal(etsy.Shop.ShopId, (long)me.Body!["shop_id"]!);

        etsy.Time.Advance(TimeSpan.FromDays(91));
        var (lateStatus, late) = await etsy.TokenAsync(("grant_type", "refresh_token"), ("client_id", EtsyTestApp.Keystring), ("refresh_token", (string)token["refresh_token"]!));
        Assert.Equal(HttpStatusCode.BadRequest, lateStatus);
        Assert.Equal("invalid_grant", (string)late["error"]!);
    }

    [Fact]
    public async Task Authorization_code_exchange_checks_the_pkce_verifier_and_is_single_use()
    {
        await using var etsy = await EtsyTestApp.StartAsync();
        var verifier = new string('v', 20) + "-PKCE-verifier-of-enough-length-0123456789";
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        const string Redirect = "https://connector.example/etsy/callback";

        using var connect = await etsy.Http.GetAsync(new Uri(etsy.Simulator.BaseUrl,
            $"/oauth/connect?response_type=code&client_id={EtsyTestApp.Keystring}&redirect_uri={Uri.EscapeDataString(Redirect)}&scope=listings_r%20listings_w&state=xyz&code_challenge={challenge}&code_challenge_method=S256"));
        var location = connect.Headers.Location!.ToString();
        var code = Uri.UnescapeDataString(location.Split("code=")[1].Split('&')[0]);

        var (wrongStatus, wrong) = await etsy.TokenAsync(("grant_type", "authorization_code"), ("client_id", EtsyTestApp.Keystring), ("redirect_uri", Redirect), ("code", code), ("code_verifier", verifier + "x"));
        var code2 = etsy.Simulator.CreateAuthorizationCode(etsy.Shop, challenge, Redirect);
        var (okStatus, ok) = await etsy.TokenAsync(("grant_type", "authorization_code"), ("client_id", EtsyTestApp.Keystring), ("redirect_uri", Redirect), ("code", code2), ("code_verifier", verifier));
        var (reuseStatus, _) = await etsy.TokenAsync(("grant_type", "authorization_code"), ("client_id", EtsyTestApp.Keystring), ("redirect_uri", Redirect), ("code", code2), ("code_verifier", verifier));

        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        Assert.StartsWith(Redirect + "?code=", location, StringComparison.Ordinal);
        Assert.EndsWith("&state=xyz", location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Equal("invalid_grant", (string)wrong["error"]!);
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.StartsWith($"{etsy.Shop.UserId}.", (string)ok["access_token"]!, StringComparison.Ordinal);
        Assert.Equal(3600, (int)ok["expires_in"]!);
        Assert.Equal(HttpStatusCode.BadRequest, reuseStatus);
    }

    [Fact]
    public async Task Listings_by_shop_page_with_limit_and_offset_and_show_skus_to_the_owner()
    {
        await using var etsy = await EtsyTestApp.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            etsy.Shop.AddListing($"Item {i}", ($"SKU-{i}", 10m + i, 1, null));
        }

        var pages = new List<JsonNode>();
        for (var offset = 0; offset < 6; offset += 2)
        {
            pages.Add((await etsy.SendAsync(HttpMethod.Get, $"/v3/application/shops/{etsy.Shop.ShopId}/listings?state=active&limit=2&offset={offset}")).Body!);
        }

        var tooMany = await etsy.SendAsync(HttpMethod.Get, $"/v3/application/shops/{etsy.Shop.ShopId}/listings?limit=101");
        var anonymous = await etsy.SendAsync(HttpMethod.Get, $"/v3/application/shops/{etsy.Shop.ShopId}/listings?limit=1", token: null);

        Assert.All(pages, p => Assert.Equal(5, (int)p["count"]!));
        Assert.Equal([2, 2, 1], pages.Select(p => p["results"]!.AsArray().Count));
        var ids = pages.SelectMany(p => p["results"]!.AsArray().Select(r => (long)r!["listing_id"]!)).ToList();
        Assert.Equal(5, ids.Distinct().Count());
        Assert.Equal("SKU-4", (string)pages[0]["results"]![0]!["skus"]![0]!); // newest first (sort_on=created desc)
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Null(anonymous.Body!["results"]![0]!["skus"]);
    }

    [Fact]
    public async Task Sold_out_listings_are_listed_only_for_the_owner_with_their_inventory_and_a_bad_state_or_offset_is_refused()
    {
        // getListingsByShop (store-apis.md §3.2, Etsy's generated OAS): state is one of active, inactive, sold_out, draft,
        // expired; states other than active, and SKUs, are the owner's; offset >= 0. Connector's stock scan reads
        // state=sold_out&includes=Inventory so a sold-out listing's SKUs reach TikTok as sold out, not as missing.
        await using var etsy = await EtsyTestApp.StartAsync();
        etsy.Shop.AddListing("Live", ("LIVE-1", 10m, 2, null));
        var soldOut = etsy.Shop.AddListing("Gone", ("GONE-1", 10m, 0, null));
        var path = $"/v3/application/shops/{etsy.Shop.ShopId}/listings";

        var owner = await etsy.SendAsync(HttpMethod.Get, $"{path}?state=sold_out&includes=Inventory&limit=100&offset=0");
        var anonymous = await etsy.SendAsync(HttpMethod.Get, $"{path}?state=sold_out", token: null);
        var badState = await etsy.SendAsync(HttpMethod.Get, $"{path}?state=sold");
        var badOffset = await etsy.SendAsync(HttpMethod.Get, $"{path}?offset=-1");
        var zeroLimit = await etsy.SendAsync(HttpMethod.Get, $"{path}?limit=0");

        var listing = Assert.Single(owner.Body!["results"]!.AsArray())!;
        Assert.Equal(soldOut, (long)listing["listing_id"]!);
        var offering = listing["inventory"]!["products"]![0]!["offerings"]![0]!;
        Assert.Equal(("GONE-1", 0), ((string)listing["inventory"]!["products"]![0]!["sku"]!, (int)offering["quantity"]!));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal((HttpStatusCode.BadRequest, "There was a problem with /state : must be one of active, inactive, sold_out, draft, expired"), (badState.Status, badState.Error));
        Assert.Equal(HttpStatusCode.BadRequest, badOffset.Status);
        Assert.Equal(HttpStatusCode.BadRequest, zeroLimit.Status);
    }
}
