using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Connector.Sandbox.Etsy;

/// <summary>The HTTP side: OAuth (§3.3), x-api-key and Bearer checks, rate limits (§3.4), listings and inventory (§3.2).</summary>
public sealed partial class EtsySimulator
{
    private sealed record ApiResult(int Status, JsonNode Body)
    {
        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    private static ApiResult Error(int status, string message) => new(status, new JsonObject { ["error"] = message });

    private static ApiResult OAuthError(int status, string error, string description) =>
        new(status, new JsonObject { ["error"] = error, ["error_description"] = description });

    private void MapRoutes()
    {
        _app.MapPost("/v3/public/oauth/token", TokenAsync);
        _app.MapGet("/oauth/connect", Connect);
        _app.Map("/v3/application/{**path}", ApiAsync);
    }

    private async Task ApiAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var path = ((string?)request.RouteValues["path"] ?? string.Empty).Trim('/');
        ApiResult result;
        lock (Gate)
        {
            result = Dispatch(request.Method, path, request.Query, request.Headers, body);
            _requests.Add(new EtsyRequestRecord(Now, request.Method, request.Path.Value ?? string.Empty, request.QueryString.Value ?? string.Empty, result.Status, body));
        }

        await WriteAsync(context, result);
    }

    private ApiResult Dispatch(string method, string path, IQueryCollection query, IHeaderDictionary headers, string body)
    {
        // §3.3: "x-api-key: keystring:shared_secret" since Jan/Feb 2026.
        var apiKey = headers["x-api-key"].ToString();
        if (apiKey.Length == 0)
        {
            return Error(403, "Missing API key in x-api-key header.");
        }

        var colon = apiKey.IndexOf(':', StringComparison.Ordinal);
        var keystring = colon < 0 ? apiKey : apiKey[..colon];
        if (!_apps.TryGetValue(keystring, out var app))
        {
            return Error(403, "Invalid API key");
        }

        if (colon < 0)
        {
            return Error(403, "Shared secret is required in x-api-key header.");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(apiKey[(colon + 1)..]), Encoding.UTF8.GetBytes(app.SharedSecret)))
        {
            return Error(403, "Invalid API key");
        }

        var (allowed, remainingSecond, remainingDay, retryAfter) = Acquire(app);
        var result = allowed ? Route(method, path, query, headers, body, app) : Error(429, "Rate limit exceeded. Retry after " + retryAfter + " second(s).");
        result.Headers["x-limit-per-second"] = Options.RequestsPerSecond.ToString(CultureInfo.InvariantCulture);
        result.Headers["x-remaining-this-second"] = remainingSecond.ToString(CultureInfo.InvariantCulture);
        result.Headers["x-limit-per-day"] = Options.DailyLimit.ToString(CultureInfo.InvariantCulture);
        result.Headers["x-remaining-today"] = remainingDay.ToString(CultureInfo.InvariantCulture);
        if (!allowed)
        {
            result.Headers["retry-after"] = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        return result;
    }

    /// <summary>§3.4: a per-second window and a sliding 24-hour window per app; a refused request is not counted.</summary>
    private (bool Allowed, int RemainingSecond, int RemainingDay, int RetryAfter) Acquire(AppState app)
    {
        var now = Now;
        while (app.Second.Count > 0 && app.Second.Peek() <= now - TimeSpan.FromSeconds(1))
        {
            app.Second.Dequeue();
        }

        while (app.Day.Count > 0 && app.Day.Peek() <= now - TimeSpan.FromDays(1))
        {
            app.Day.Dequeue();
        }

        int Remaining(Queue<DateTimeOffset> window, int limit) => Math.Max(0, limit - window.Count);
        if (_throttle > 0)
        {
            _throttle--;
            return (false, 0, Remaining(app.Day, Options.DailyLimit), 1);
        }

        if (app.Second.Count >= Options.RequestsPerSecond)
        {
            var wait = app.Second.Peek() + TimeSpan.FromSeconds(1) - now;
            return (false, 0, Remaining(app.Day, Options.DailyLimit), Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));
        }

        if (app.Day.Count >= Options.DailyLimit)
        {
            var wait = app.Day.Peek() + TimeSpan.FromDays(1) - now;
            return (false, Remaining(app.Second, Options.RequestsPerSecond), 0, Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));
        }

        app.Second.Enqueue(now);
        app.Day.Enqueue(now);
        return (true, Remaining(app.Second, Options.RequestsPerSecond), Remaining(app.Day, Options.DailyLimit), 0);
    }

    private ApiResult Route(string method, string path, IQueryCollection query, IHeaderDictionary headers, string body, AppState app)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var token = ReadToken(headers, app, out var tokenError);
        if (tokenError is not null && headers.Authorization.Count > 0)
        {
            return tokenError;
        }

        ApiResult? Denied(string scope) =>
            token is null ? tokenError : token.HasScope(scope) ? null : OAuthError(403, "insufficient_scope", $"The access token does not have the {scope} scope.");

        switch (segments)
        {
            case ["users", "me"] when method == "GET":
            {
                if (token is null)
                {
                    return tokenError!;
                }

                TryFindShopByUser(token.UserId, out var own);
                return new ApiResult(200, new JsonObject { ["user_id"] = token.UserId, ["shop_id"] = own?.ShopId });
            }

            case ["shops", var shopIdText] when method == "GET":
                return FindShop(shopIdText) is { } found
                    ? new ApiResult(200, ShopJson(found))
                    : Error(404, $"Could not find a shop with shop_id {shopIdText}");

            case ["shops", var shopIdText, "listings"] when method == "GET":
                return FindShop(shopIdText) is { } listingShop
                    ? ListingsByShop(listingShop, query, token)
                    : Error(404, $"Could not find a shop with shop_id {shopIdText}");

            case ["listings", var listingIdText] when method == "GET":
            {
                var (shop, listing) = FindListing(listingIdText);
                if (listing is null)
                {
                    return Error(404, $"Could not find a listing with listing_id {listingIdText}");
                }

                var owner = token?.UserId == shop.UserId;
                return listing.State != "active" && !owner
                    ? Error(404, $"Could not find a listing with listing_id {listingIdText}")
                    : new ApiResult(200, ListingJson(shop, listing, owner, Includes(query)));
            }

            case ["listings", var listingIdText, "inventory"] when method is "GET" or "PUT":
            {
                var scope = method == "GET" ? "listings_r" : "listings_w";
                if (Denied(scope) is { } denied)
                {
                    return denied;
                }

                var (shop, listing) = FindListing(listingIdText);
                if (listing is null)
                {
                    return Error(404, $"Could not find a listing with listing_id {listingIdText}");
                }

                if (shop.UserId != token!.UserId)
                {
                    return Error(403, "You do not have permission to access the inventory of this listing.");
                }

                if (method == "GET")
                {
                    var showDeleted = string.Equals(query["show_deleted"], "true", StringComparison.OrdinalIgnoreCase);
                    return new ApiResult(200, InventoryJson(listing, showDeleted));
                }

                return UpdateInventory(shop, listing, body);
            }

            default:
                return Error(404, $"The requested resource /v3/application/{path} was not found.");
        }
    }

    private TokenInfo? ReadToken(IHeaderDictionary headers, AppState app, out ApiResult? error)
    {
        error = null;
        var authorization = headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            error = OAuthError(401, "invalid_token", "access token is missing");
            return null;
        }

        var value = authorization["Bearer ".Length..].Trim();
        if (!_tokens.TryGetValue(value, out var info) || info.IsRefresh || info.Keystring != app.Keystring)
        {
            error = OAuthError(401, "invalid_token", "access token is invalid");
            return null;
        }

        if (info.ExpiresAt <= Now)
        {
            error = OAuthError(401, "invalid_token", "access token is expired");
            return null;
        }

        return info;
    }

    private SimEtsyShop? FindShop(string shopIdText) =>
        long.TryParse(shopIdText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? _shops.GetValueOrDefault(id) : null;

    private (SimEtsyShop Shop, ListingState? Listing) FindListing(string listingIdText)
    {
        if (long.TryParse(listingIdText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            foreach (var shop in _shops.Values)
            {
                if (shop.ListingStates.TryGetValue(id, out var listing))
                {
                    return (shop, listing);
                }
            }
        }

        return (null!, null);
    }

    private static HashSet<string> Includes(IQueryCollection query) =>
        query["includes"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>getListingsByShop: state (default active), limit 1–100 (default 25), offset, sort_on/sort_order; SKUs only for the owner (§3.2).</summary>
    private static ApiResult ListingsByShop(SimEtsyShop shop, IQueryCollection query, TokenInfo? token)
    {
        var state = query["state"].Count > 0 ? query["state"].ToString() : "active";
        if (state is not ("active" or "inactive" or "sold_out" or "draft" or "expired"))
        {
            return Error(400, "There was a problem with /state : must be one of active, inactive, sold_out, draft, expired");
        }

        var owner = token?.UserId == shop.UserId;
        if (state != "active" && !owner)
        {
            return OAuthError(401, "invalid_token", "access token is missing");
        }

        if (!TryInt(query, "limit", 25, out var limit) || limit is < 1 or > 100)
        {
            return Error(400, "There was a problem with /limit : must be between 1 and 100");
        }

        if (!TryInt(query, "offset", 0, out var offset) || offset < 0)
        {
            return Error(400, "There was a problem with /offset : must be greater than or equal to 0");
        }

        var sortOn = query["sort_on"].Count > 0 ? query["sort_on"].ToString() : "created";
        var ascending = string.Equals(query["sort_order"], "asc", StringComparison.OrdinalIgnoreCase)
            || string.Equals(query["sort_order"], "ascending", StringComparison.OrdinalIgnoreCase)
            || string.Equals(query["sort_order"], "up", StringComparison.OrdinalIgnoreCase);
        IEnumerable<ListingState> listings = shop.ListingStates.Values.Where(l => l.State == state);
        Func<ListingState, object> key = sortOn switch
        {
            "updated" => l => l.UpdatedAt,
            "title" => l => l.Title,
            "price" => l => l.Products.Where(p => !p.IsDeleted).SelectMany(p => p.Offerings).Select(o => o.Price.Value).DefaultIfEmpty().Min(),
            _ => l => l.CreatedAt,
        };
        listings = ascending ? listings.OrderBy(key).ThenBy(l => l.ListingId) : listings.OrderByDescending(key).ThenByDescending(l => l.ListingId);
        var all = listings.ToList();
        var includes = Includes(query);
        var results = new JsonArray();
        foreach (var listing in all.Skip(offset).Take(limit))
        {
            results.Add(ListingJson(shop, listing, owner, includes));
        }

        return new ApiResult(200, new JsonObject { ["count"] = all.Count, ["results"] = results });
    }

    private static bool TryInt(IQueryCollection query, string name, int fallback, out int value)
    {
        value = fallback;
        return query[name].Count == 0 || int.TryParse(query[name], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static JsonObject ShopJson(SimEtsyShop shop) => new()
    {
        ["shop_id"] = shop.ShopId,
        ["user_id"] = shop.UserId,
        ["shop_name"] = shop.ShopName,
        ["currency_code"] = shop.Currency,
        ["url"] = $"https://www.etsy.com/shop/{shop.ShopName}",
        ["listing_active_count"] = shop.ListingStates.Values.Count(l => l.State == "active"),
    };

    private static JsonObject ListingJson(SimEtsyShop shop, ListingState listing, bool owner, HashSet<string> includes)
    {
        var active = listing.Products.Where(p => !p.IsDeleted).ToList();
        var price = active.SelectMany(p => p.Offerings).Where(o => !o.IsDeleted).Select(o => o.Price).MinBy(m => m.Amount)
            ?? Money(0m, shop.Currency);
        var json = new JsonObject
        {
            ["listing_id"] = listing.ListingId,
            ["user_id"] = shop.UserId,
            ["shop_id"] = shop.ShopId,
            ["title"] = listing.Title,
            ["description"] = string.Empty,
            ["state"] = listing.State,
            ["creation_timestamp"] = listing.CreatedAt.ToUnixTimeSeconds(),
            ["created_timestamp"] = listing.CreatedAt.ToUnixTimeSeconds(),
            ["ending_timestamp"] = listing.CreatedAt.AddMonths(4).ToUnixTimeSeconds(),
            ["original_creation_timestamp"] = listing.CreatedAt.ToUnixTimeSeconds(),
            ["last_modified_timestamp"] = listing.UpdatedAt.ToUnixTimeSeconds(),
            ["updated_timestamp"] = listing.UpdatedAt.ToUnixTimeSeconds(),
            ["state_timestamp"] = listing.UpdatedAt.ToUnixTimeSeconds(),
            ["quantity"] = listing.Quantity,
            ["url"] = $"https://www.etsy.com/listing/{listing.ListingId}",
            ["listing_type"] = "physical",
            ["has_variations"] = active.Any(p => p.PropertyValues.Count > 0),
            ["should_auto_renew"] = false,
            ["language"] = "en-US",
            ["price"] = MoneyJson(price),
            ["tags"] = new JsonArray(),
            ["materials"] = new JsonArray(),
        };
        if (owner)
        {
            json["skus"] = new JsonArray([.. active.Select(p => (JsonNode?)JsonValue.Create(p.Sku))]);
        }

        if (includes.Contains("Inventory") && owner)
        {
            json["inventory"] = InventoryJson(listing, showDeleted: false);
        }

        return json;
    }

    private static JsonObject MoneyJson(EtsyMoney money) => new()
    {
        ["amount"] = money.Amount,
        ["divisor"] = money.Divisor,
        ["currency_code"] = money.CurrencyCode,
    };

    /// <summary>getListingInventory: products (deleted ones only with show_deleted), offerings with Money prices, *_on_property.</summary>
    private static JsonObject InventoryJson(ListingState listing, bool showDeleted)
    {
        var products = new JsonArray();
        foreach (var product in listing.Products.Where(p => showDeleted || !p.IsDeleted))
        {
            var offerings = new JsonArray();
            foreach (var offering in product.Offerings.Where(o => showDeleted || !o.IsDeleted))
            {
                offerings.Add(new JsonObject
                {
                    ["offering_id"] = offering.OfferingId,
                    ["quantity"] = offering.Quantity,
                    ["is_enabled"] = offering.IsEnabled,
                    ["is_deleted"] = offering.IsDeleted,
                    ["price"] = MoneyJson(offering.Price),
                });
            }

            var values = new JsonArray();
            foreach (var value in product.PropertyValues)
            {
                values.Add(new JsonObject
                {
                    ["property_id"] = value.PropertyId,
                    ["property_name"] = value.PropertyName,
                    ["scale_id"] = value.ScaleId,
                    ["scale_name"] = value.ScaleName,
                    ["value_ids"] = new JsonArray([.. value.ValueIds.Select(v => (JsonNode?)JsonValue.Create(v))]),
                    ["values"] = new JsonArray([.. value.Values.Select(v => (JsonNode?)JsonValue.Create(v))]),
                });
            }

            products.Add(new JsonObject
            {
                ["product_id"] = product.ProductId,
                ["sku"] = product.Sku,
                ["is_deleted"] = product.IsDeleted,
                ["offerings"] = offerings,
                ["property_values"] = values,
            });
        }

        return new JsonObject
        {
            ["products"] = products,
            ["price_on_property"] = IdArray(listing.PriceOnProperty),
            ["quantity_on_property"] = IdArray(listing.QuantityOnProperty),
            ["sku_on_property"] = IdArray(listing.SkuOnProperty),
            ["listing"] = null,
        };
    }

    private static JsonArray IdArray(IEnumerable<long> ids) => new([.. ids.Select(i => (JsonNode?)JsonValue.Create(i))]);

    private static async Task WriteAsync(HttpContext context, ApiResult result)
    {
        foreach (var (name, value) in result.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.StatusCode = result.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.Body.ToJsonString(), context.RequestAborted);
    }

    /// <summary>
    /// POST /v3/public/oauth/token (form): authorization_code with PKCE (S256 of code_verifier must equal the stored
    /// code_challenge; codes are single use) or refresh_token (§3.3). Answers {access_token, token_type, expires_in,
    /// refresh_token}. A refresh issues a new refresh token; the old one stays valid until it expires [I].
    /// </summary>
    private async Task TokenAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync(context.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        ApiResult result;
        lock (Gate)
        {
            result = Token(form);
            var redacted = string.Join("&", form.Select(f => f.Key + "=" + (f.Key is "code_verifier" or "refresh_token" or "code" ? "***" : f.Value)));
            _requests.Add(new EtsyRequestRecord(Now, "POST", context.Request.Path.Value ?? string.Empty, string.Empty, result.Status, redacted));
        }

        await WriteAsync(context, result);
    }

    private ApiResult Token(Dictionary<string, string> form)
    {
        var grantType = form.GetValueOrDefault("grant_type", string.Empty);
        var clientId = form.GetValueOrDefault("client_id", string.Empty);
        if (grantType is not ("authorization_code" or "refresh_token"))
        {
            return OAuthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
        }

        if (!_apps.ContainsKey(clientId))
        {
            return OAuthError(401, "invalid_client", "client_id is invalid");
        }

        long userId;
        string scopes;
        if (grantType == "authorization_code")
        {
            var code = form.GetValueOrDefault("code", string.Empty);
            if (!_codes.Remove(code, out var info) || info.Keystring != clientId)
            {
                return OAuthError(400, "invalid_grant", "code is invalid");
            }

            if (info.ExpiresAt <= Now)
            {
                return OAuthError(400, "invalid_grant", "code has expired");
            }

            if (form.GetValueOrDefault("redirect_uri") != info.RedirectUri)
            {
                return OAuthError(400, "invalid_grant", "redirect_uri does not match the authorization request");
            }

            var verifier = form.GetValueOrDefault("code_verifier", string.Empty);
            var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            if (verifier.Length is < 43 or > 128 || challenge != info.Challenge)
            {
                return OAuthError(400, "invalid_grant", "code_verifier is invalid");
            }

            userId = info.UserId;
            scopes = info.Scopes;
        }
        else
        {
            var refresh = form.GetValueOrDefault("refresh_token", string.Empty);
            if (!_tokens.TryGetValue(refresh, out var info) || !info.IsRefresh || info.Keystring != clientId)
            {
                return OAuthError(400, "invalid_grant", "refresh_token is invalid");
            }

            if (info.ExpiresAt <= Now)
            {
                return OAuthError(400, "invalid_grant", "refresh_token has expired");
            }

            userId = info.UserId;
            scopes = info.Scopes;
        }

        if (!TryFindShopByUser(userId, out var shop))
        {
            return OAuthError(400, "invalid_grant", "user not found");
        }

        var (access, newRefresh) = IssueTokens(shop, scopes);
        return new ApiResult(200, new JsonObject
        {
            ["access_token"] = access,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)Options.AccessTokenLifetime.TotalSeconds,
            ["refresh_token"] = newRefresh,
        });
    }

    /// <summary>
    /// GET /oauth/connect: the seller consents at once — the most recently added shop of that app — and the browser is
    /// sent to redirect_uri with code and state. Only code_challenge_method=S256 is accepted (§3.3).
    /// </summary>
    private IResult Connect(HttpContext context)
    {
        var q = context.Request.Query;
        lock (Gate)
        {
            var clientId = q["client_id"].ToString();
            if (q["response_type"] != "code" || !_apps.ContainsKey(clientId))
            {
                return Results.Json(new { error = "invalid_request", error_description = "response_type must be code and client_id a known keystring" }, statusCode: 400);
            }

            if (q["code_challenge_method"] != "S256" || q["code_challenge"].ToString().Length == 0)
            {
                return Results.Json(new { error = "invalid_request", error_description = "code_challenge with code_challenge_method=S256 is required" }, statusCode: 400);
            }

            var shop = _shops.Values.LastOrDefault(s => s.Keystring == clientId);
            if (shop is null)
            {
                return Results.Json(new { error = "access_denied", error_description = "no seller has this app connected in the simulator" }, statusCode: 400);
            }

            var redirect = q["redirect_uri"].ToString();
            var code = CreateAuthorizationCode(shop, q["code_challenge"].ToString(), redirect, q["scope"].Count > 0 ? q["scope"].ToString() : DefaultScopes);
            var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            return Results.Redirect($"{redirect}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(q["state"].ToString())}");
        }
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
