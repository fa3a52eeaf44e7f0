using System.Globalization;
using Connector.Functions;
using Connector.Orders;
using Connector.State;
using Connector.Stores;

using Connector.TikTok;
using Microsoft.Extensions.Options;

namespace Connector.Web;

/// <summary><c>PUT|GET /api/shops/{shopId}</c>: connect a shop and read its connection back without secrets (design §6.2).</summary>
public static class ShopsApi
{
    public static void MapShopsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/shops/{shopId}", Get).ForFunction("Shops").WithInput(RouteInput.Get()).ForShop();
        app.MapPut("/api/shops/{shopId}", PutAsync).ForFunction("Shops").WithInput(RouteInput.Body(MaxBodyBytes));
    }

    /// <summary>A connection with every part and setting is a few KB; the limit leaves room and stays far below an entity's 1 MB.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<ShopView> Get(HttpContext context) => TypedResults.Ok(ToView(ShopScope.Current(context)));

    private static async Task<IResult> PutAsync(
        string shopId, HttpRequest request, ShopStore shops, StoreClients stores, Stores.Shopify.ShopifyWebhooks webhooks, StoreAddressPolicy addresses,
        IOptions<StoresOptions> storesOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!ShopIds.IsValid(shopId))
        {
            return ShopIds.Problem();
        }

        var (body, problem) = await Problems.ReadJsonAsync<ShopConnectRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var existing = await shops.GetAsync(shopId, cancellationToken);
        var errors = Validate(body!, existing is null, stores.Platforms, addresses);
        var platform = body!.Store?.Platform ?? existing?.Platform;
        if (body.Store is { } storePart && platform is not null && stores.Platforms.Contains(platform, StringComparer.OrdinalIgnoreCase))
        {
            var isNewStore = existing is null || !string.Equals(existing.Platform, platform, StringComparison.OrdinalIgnoreCase);
            foreach (var (field, messages) in stores.Connection(platform).ValidateConnection(storePart, isNewStore))
            {
                errors[field] = [.. messages];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var shop = existing ?? new ShopEntity { RowKey = shopId, CreatedAt = time.GetUtcNow() };
        Apply(shop, body);
        if (body.Store is not null)
        {
            // A store connection that does not work is refused now, with the reason, not discovered at the first order; a store
            // that does not answer gets a 504 within the check's budget instead of holding the merchant's request.
            var budget = storesOptions.Value.ConnectionCheckTimeout;
            using var timeout = new CancellationTokenSource(budget, time);
            using var check = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                // Verification may fill in what the store knows (Etsy's shop id, a renewed token): saved with the shop below.
                var access = StoreAccess.From(shop);
                await stores.Connection(shop).VerifyConnectionAsync(access, check.Token);
                access.CopyTo(shop);

                // Shopify's webhooks bring the merchant's changes in seconds; without them the fetch runs' store scan still does.
                shop.StoreWebhookStatus = await webhooks.EnsureAsync(StoreAccess.From(shop), check.Token);
            }
            catch (StoreRejectedException e)
            {
                return Problems.Invalid(new Dictionary<string, string[]> { [e.Field ?? "store"] = [e.Message] });
            }
            catch (StoreUnavailableException e) when (e.Failure == StoreFailure.NoAnswer)
            {
                return StoreDidNotAnswer(budget, e.Message);
            }
            catch (StoreUnavailableException e)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, detail: e.Message, title: e.Failure switch
                {
                    StoreFailure.Redirected => "The store redirects to another address.",
                    StoreFailure.UnexpectedAnswer => "The store's answer is not what its API returns.",
                    _ => "The store could not be reached.",
                });
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return StoreDidNotAnswer(budget, null);
            }
        }

        await shops.UpsertAsync(shop, cancellationToken);
        return TypedResults.Ok(ToView(shop));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult StoreDidNotAnswer(TimeSpan budget, string? detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status504GatewayTimeout,
        title: "The store did not answer.",
        detail: $"The store did not answer within {budget.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s, so the connection was not saved. "
            + "Check the store address and that the store is online, then save again." + (detail is null ? "" : $" ({detail})"));

    private static Dictionary<string, string[]> Validate(ShopConnectRequest body, bool isNew, IReadOnlyCollection<string> platforms, StoreAddressPolicy addresses)
    {
        var errors = new Dictionary<string, string[]>();
        ShopConnectRules.Check(body, errors);
        void Require(bool ok, string field, string message)
        {
            if (!ok && !errors.ContainsKey(field))
            {
                errors[field] = [message];
            }
        }

        // Store tokens and keys travel in HTTP headers (ShopConnectRules checks TikTok's): a line break would end the header.
        void Credential(string? value, string field)
        {
            if (value is not null && !errors.ContainsKey(field) && StoreAnswers.CheckCredential(value) is { } problem)
            {
                errors[field] = [problem];
            }
        }

        if (isNew)
        {
            Require(body.TikTok is not null, "tiktok", "A new shop needs its TikTok authorisation.");
            Require(body.Store is not null, "store", "A new shop needs its store connection.");
        }

        if (body.TikTok is { } t)
        {
            Require(!isNew || !string.IsNullOrWhiteSpace(t.ShopCipher), "tiktok.shopCipher", "Required: the shop cipher from Get Authorized Shops.");
            Require(!isNew || !string.IsNullOrWhiteSpace(t.AccessToken), "tiktok.accessToken", "Required.");
            Require(!isNew || !string.IsNullOrWhiteSpace(t.RefreshToken), "tiktok.refreshToken", "Required.");
            Require(t.AccessTokenExpiresAt is null or > 0, "tiktok.accessTokenExpiresAt", "Unix seconds, as TikTok returns access_token_expire_in.");
            Require(t.RefreshTokenExpiresAt is null or > 0, "tiktok.refreshTokenExpiresAt", "Unix seconds, as TikTok returns refresh_token_expire_in.");
        }

        if (body.Store is { } s)
        {
            Require(!isNew || s.Platform is not null, "store.platform", $"One of: {string.Join(", ", platforms)}.");
            Require(s.Platform is null || platforms.Contains(s.Platform, StringComparer.OrdinalIgnoreCase),
                "store.platform", $"Platform '{s.Platform}' is not supported; use one of: {string.Join(", ", platforms)}.");
            Require(!isNew || s.BaseUrl is not null, "store.baseUrl", "Required: the store's address, e.g. https://my-shop.myshopify.com.");
            if (s.BaseUrl is not null && addresses.CheckBaseUrl(s.BaseUrl) is { } address)
            {
                errors["store.baseUrl"] = [address];
            }

            Credential(s.AccessToken, "store.accessToken");
            Credential(s.ApiKey, "store.apiKey");
            Credential(s.RefreshToken, "store.refreshToken");
            Credential(s.WebhookSecret, "store.webhookSecret");
            Require(s.Options is null || s.Options.Value.ValueKind == System.Text.Json.JsonValueKind.Object, "store.options", "A JSON object.");
        }

        if (body.Settings is { } settings)
        {
            Require(settings.ImportStatuses.All(st => TikTokStatus.All.Contains(st)), "settings.importStatuses",
                $"Statuses are TikTok's: {string.Join(", ", TikTokStatus.All)}.");
            Require(settings.InventoryBehaviour is "BYPASS" or "DECREMENT_IGNORING_POLICY" or "DECREMENT_OBEYING_POLICY",
                "settings.inventoryBehaviour", "One of BYPASS, DECREMENT_IGNORING_POLICY, DECREMENT_OBEYING_POLICY.");
            Require(settings.MonthlyOrderLimit >= 0 && settings.OrderHoldMinutes is >= 0 and <= 1440, "settings", "Limits must be positive.");
            Require(IsTimeZone(settings.TimeZone), "settings.timeZone", "An IANA time zone such as Europe/Paris.");
            Require(Orders.WriteBack.TikTokCancelReasons.Choices.Contains(settings.CancelReason), "settings.cancelReason",
                $"One of {string.Join(", ", Orders.WriteBack.TikTokCancelReasons.Choices)}.");
        }

        return errors;
    }

    private static bool IsTimeZone(string id)
    {
        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    private static void Apply(ShopEntity shop, ShopConnectRequest body)
    {
        shop.ShopName = body.Name ?? shop.ShopName;
        if (body.TikTok is { } t)
        {
            shop.ShopCipher = t.ShopCipher ?? shop.ShopCipher;
            shop.AccessToken = t.AccessToken ?? shop.AccessToken;
            shop.AccessTokenExpiresAt = t.AccessTokenExpiresAt ?? shop.AccessTokenExpiresAt;
            shop.RefreshToken = t.RefreshToken ?? shop.RefreshToken;
            shop.RefreshTokenExpiresAt = t.RefreshTokenExpiresAt ?? shop.RefreshTokenExpiresAt;
            if (t.AccessToken is not null)
            {
                // A fresh authorisation reconnects a shop that was deauthorised.
                shop.ConnectionStatus = "connected";
                shop.ConnectionMessage = null;
            }
        }

        if (body.Store is { } s)
        {
            shop.Platform = s.Platform?.ToLowerInvariant() ?? shop.Platform;
            shop.StoreBaseUrl = s.BaseUrl?.TrimEnd('/') ?? shop.StoreBaseUrl;
            shop.StoreAccessToken = s.AccessToken ?? shop.StoreAccessToken;
            shop.StoreApiKey = s.ApiKey ?? shop.StoreApiKey;
            shop.StoreRefreshToken = s.RefreshToken ?? shop.StoreRefreshToken;
            shop.StoreAccessTokenExpiresAt = s.AccessTokenExpiresAt ?? shop.StoreAccessTokenExpiresAt;
            shop.StoreRefreshTokenExpiresAt = s.RefreshTokenExpiresAt ?? shop.StoreRefreshTokenExpiresAt;
            shop.StoreAccountId = s.AccountId ?? shop.StoreAccountId;
            shop.StoreOptionsJson = s.Options?.GetRawText() ?? shop.StoreOptionsJson;
            shop.StoreWebhookSecret = s.WebhookSecret ?? shop.StoreWebhookSecret;
        }

        if (body.Settings is { } settings)
        {
            shop.SettingsJson = settings.ToJson();
        }
    }

    public static ShopView ToView(ShopEntity shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return new ShopView(
            shop.ShopId,
            shop.ShopName,
            shop.ConnectionStatus,
            shop.ConnectionMessage,
            new TikTokConnectionView(shop.ShopCipher, shop.AccessToken.Length > 0, shop.AccessTokenExpiresAt, shop.RefreshToken.Length > 0, shop.RefreshTokenExpiresAt),
            new StoreConnectionView(shop.Platform, WithoutUserInfo(shop.StoreBaseUrl), shop.StoreAccessToken.Length > 0, shop.StoreApiKey.Length > 0,
                shop.StoreRefreshToken.Length > 0, shop.StoreAccessTokenExpiresAt, shop.StoreAccountId,
                System.Text.Json.JsonDocument.Parse(string.IsNullOrWhiteSpace(shop.StoreOptionsJson) ? "{}" : shop.StoreOptionsJson).RootElement.Clone(),
                shop.StoreWebhookSecret.Length > 0, shop.StoreWebhookStatus),
            ShopSettings.Parse(shop.SettingsJson),
            shop.LastWebhookAt,
            shop.LastFetchAt);
    }

    /// <summary>A store address saved before user info was refused is shown without it (it may hold a password).</summary>
    private static string WithoutUserInfo(string baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString().TrimEnd('/')
            : baseUrl;
}
