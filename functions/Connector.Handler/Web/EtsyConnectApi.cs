using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Connector.Functions;
using Connector.State;
using Connector.Stores;
using Connector.Stores.Etsy;
using Microsoft.Extensions.Options;

namespace Connector.Web;

/// <summary>
/// Connecting an Etsy shop with OAuth 2.0 Authorization Code + PKCE (store-apis.md §3.3):
/// <c>GET /api/shops/{shopId}/etsy/connect</c> sends the seller to Etsy's consent page with an S256 challenge and a
/// single-use state stored for ten minutes; Etsy sends the browser back to <c>GET /api/etsy/callback</c>, which exchanges
/// the code with the verifier and stores the tokens and the Etsy shop id on the shop.
/// </summary>
public static class EtsyConnectApi
{
    private const string StateTable = "EtsyOAuth";
    private const string StatePartition = "state";
    private static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    public static void MapEtsyConnectApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/shops/{shopId}/etsy/connect", ConnectAsync).ForFunction("EtsyConnect").WithInput(RouteInput.Get()).ForShop();
        app.MapGet("/api/etsy/callback", CallbackAsync).ForFunction("EtsyCallback")
            .WithInput(RouteInput.Get("code", "state", "error", "error_description").FromProvider());
    }

    private static async Task<IResult> ConnectAsync(
        string shopId, StateTables tables, IOptions<EtsyOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured || string.IsNullOrWhiteSpace(settings.OAuthRedirectUrl))
        {
            return Problems.BadRequest("Etsy is not set up on this Connector: set Etsy__Keystring, Etsy__SharedSecret and Etsy__OAuthRedirectUrl.");
        }

        var (verifier, challenge) = EtsyAuthClient.NewPkce();
        var state = EtsyAuthClient.Base64Url(RandomNumberGenerator.GetBytes(32));
        var table = await tables.GetAsync(StateTable, cancellationToken);
        await table.AddEntityAsync(new TableEntity(StatePartition, state)
        {
            ["ShopId"] = shopId,
            ["Verifier"] = verifier,
            ["ExpiresAt"] = time.GetUtcNow() + StateLifetime,
        }, cancellationToken);

        var query = string.Join("&", new (string, string)[]
        {
            ("response_type", "code"), ("client_id", settings.Keystring!), ("redirect_uri", settings.OAuthRedirectUrl!), ("scope", settings.Scopes),
            ("state", state), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        }.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        return TypedResults.Redirect($"{settings.AuthorizeUrl}?{query}");
    }

    private static async Task<IResult> CallbackAsync(
        HttpRequest request, ShopStore shops, StateTables tables, EtsyAuthClient auth, EtsyApi api, IOptions<EtsyOptions> options, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var q = request.Query;
        if (q["error"].Count > 0)
        {
            return Problems.BadRequest($"Etsy did not authorise the connection: {q["error"]} {q["error_description"]}".Trim());
        }

        string code = q["code"].ToString(), state = q["state"].ToString();
        if (code.Length == 0 || state.Length == 0)
        {
            return Problems.BadRequest("The callback needs Etsy's code and state.");
        }

        var table = await tables.GetAsync(StateTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(StatePartition, state, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.GetDateTimeOffset("ExpiresAt") is not { } expires || expires < time.GetUtcNow())
        {
            return Problems.BadRequest("This Etsy authorisation link is unknown or expired; start again from the shop's settings.");
        }

        try
        {
            // Single use: whoever deletes the state row goes on.
            await table.DeleteEntityAsync(StatePartition, state, row.Value.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return Problems.BadRequest("This Etsy authorisation link was already used.");
        }

        var shopId = row.Value.GetString("ShopId") ?? string.Empty;
        try
        {
            var tokens = await auth.ExchangeCodeAsync(code, row.Value.GetString("Verifier") ?? string.Empty, options.Value.OAuthRedirectUrl!, cancellationToken);
            var now = time.GetUtcNow();
            var probe = new StoreAccess
            {
                ShopId = shopId,
                Platform = StorePlatforms.Etsy,
                AccessToken = tokens.AccessToken,
                AccessTokenExpiresAt = now.AddSeconds(tokens.ExpiresIn).ToUnixTimeSeconds(),
                RefreshToken = tokens.RefreshToken,
            };
            var me = await api.GetAsync(probe, "/v3/application/users/me", cancellationToken);
            var etsyShopId = ((long?)me?["shop_id"] ?? throw new StoreRejectedException("This Etsy account has no shop.")).ToString(CultureInfo.InvariantCulture);
            var etsyShop = await api.GetAsync(probe, $"/v3/application/shops/{etsyShopId}", cancellationToken);
            var update = await ConditionalUpdate.RunAsync(
                ct => shops.GetAsync(shopId, ct),
                shop =>
                {
                    if (shop.Platform != StorePlatforms.Etsy)
                    {
                        shop.StoreOptionsJson = "{}";
                    }

                    shop.Platform = StorePlatforms.Etsy;
                    shop.StoreBaseUrl = (string?)etsyShop?["url"] ?? $"https://www.etsy.com/shop/{etsyShopId}";
                    shop.StoreAccessToken = probe.AccessToken;
                    shop.StoreAccessTokenExpiresAt = probe.AccessTokenExpiresAt;
                    shop.StoreRefreshToken = probe.RefreshToken;
                    shop.StoreRefreshTokenExpiresAt = now.AddDays(90).ToUnixTimeSeconds();
                    shop.StoreAccountId = etsyShopId;
                    shop.StoreApiKey = string.Empty;
                    return RowChange.Write;
                },
                shops.TryReplaceAsync,
                cancellationToken);
            var logger = loggers.CreateLogger("Connector.Web.EtsyConnectApi");
            switch (update.Status)
            {
                case RowUpdateStatus.NotFound:
                    return Problems.NotFound($"Shop '{shopId}' is no longer connected.");
                case RowUpdateStatus.Contended:
                    // The code and the state are spent: only a new connection gets new tokens, so the merchant must start again.
                    EtsyLog.TokensNotSaved(logger, shopId, etsyShopId, update.Attempts);
                    return Problems.Conflict(
                        $"Etsy authorised shop {etsyShopId}, but shop '{shopId}' kept changing while Connector saved the connection, so it was not saved. "
                        + "Start the Etsy connection again from the shop's settings.");
                case RowUpdateStatus.Written or RowUpdateStatus.Unchanged:
                    break;
            }

            EtsyLog.Connected(logger, shopId, etsyShopId);
            return TypedResults.Redirect($"/api/app?shopId={Uri.EscapeDataString(shopId)}");
        }
        catch (StoreRejectedException e)
        {
            return Problems.BadRequest(e.Message);
        }
        catch (StoreUnavailableException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Etsy could not be reached.", detail: e.Message);
        }
    }
}
