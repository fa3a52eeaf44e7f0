using System.Security.Cryptography;
using System.Text;
using Connector.Functions;
using Connector.State;
using Connector.TikTok;
using Microsoft.Extensions.Options;

namespace Connector.Web;

/// <summary>
/// Seller onboarding (reference/tiktok-shop-api.md §3.1): <c>/api/tiktok/authorize</c> sends the seller to TikTok's
/// consent page with a signed, expiring <c>state</c>; TikTok redirects the browser to <c>/api/tiktok/callback</c>
/// (the app's Redirect URL in Partner Center) with a one-time code, which is exchanged for tokens; every shop the
/// authorisation covers is then stored with its cipher, ready for its store connection.
/// </summary>
public static class TikTokAuthorizationApi
{
    private static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(30);

    public static void MapTikTokAuthorizationApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tiktok/authorize", Authorize).ForFunction("TikTokAuthorize").WithInput(RouteInput.Get());
        app.MapGet("/api/tiktok/callback", CallbackAsync).ForFunction("TikTokCallback").WithInput(RouteInput.Get("code", "state").FromProvider());
    }

    private static IResult Authorize(IOptions<TikTokOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.ServiceId))
        {
            return Problems.Conflict("Set TikTok__ServiceId (the app's service id in Partner Center) to send sellers to TikTok's consent page.");
        }

        var state = CreateState(settings.AppSecret, time.GetUtcNow());
        return TypedResults.Redirect($"{settings.AuthorizeUrl}?service_id={Uri.EscapeDataString(settings.ServiceId)}&state={Uri.EscapeDataString(state)}");
    }

    private static async Task<IResult> CallbackAsync(
        string? code, string? state, IOptions<TikTokOptions> options, TikTokAuthClient auth, TikTokClient tiktok, ShopStore shops, ActivityStore activity,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code) || string.IsNullOrWhiteSpace(state) || !StateIsValid(options.Value.AppSecret, state, time.GetUtcNow()))
        {
            return Problems.BadRequest("The authorisation link is invalid or older than 30 minutes; start again from Connector's \"Connect TikTok Shop\".");
        }

        try
        {
            var tokens = await auth.ExchangeCodeAsync(code, cancellationToken);
            var authorized = await tiktok.GetAuthorizedShopsAsync(tokens.AccessToken, cancellationToken);
            foreach (var found in authorized.Where(s => ShopIds.IsValid(s.Id)))
            {
                var shop = await shops.GetAsync(found.Id, cancellationToken) ?? new ShopEntity { RowKey = found.Id, CreatedAt = time.GetUtcNow() };
                shop.ShopName = found.Name ?? shop.ShopName;
                shop.ShopCipher = found.Cipher;
                shop.AccessToken = tokens.AccessToken;
                shop.AccessTokenExpiresAt = tokens.AccessTokenExpireIn;
                shop.RefreshToken = tokens.RefreshToken;
                shop.RefreshTokenExpiresAt = tokens.RefreshTokenExpireIn;
                shop.ConnectionStatus = "connected";
                shop.ConnectionMessage = string.IsNullOrEmpty(shop.Platform) ? "TikTok Shop authorised. Connect your store in Settings to start importing orders." : null;
                await shops.UpsertAsync(shop, cancellationToken);
                await activity.AddAsync(shop.ShopId, "connection", null, $"TikTok Shop \"{shop.ShopName}\" authorised.", cancellationToken);
            }

            return authorized.Count == 0
                ? Problems.Conflict("TikTok returned no shop for this authorisation.")
                : TypedResults.Redirect($"/api/app?shopId={Uri.EscapeDataString(authorized[0].Id)}");
        }
        catch (TikTokApiException e) when (!e.IsTransient)
        {
            return Problems.BadRequest($"TikTok refused the authorisation: {e.TikTokMessage} (code {e.Code}). Start again from \"Connect TikTok Shop\".");
        }
    }

    /// <summary><c>{expiry}.{nonce}.{signature}</c>: nothing to store, and nobody can forge or replay it after it expires.</summary>
    internal static string CreateState(string secret, DateTimeOffset now)
    {
        var payload = $"{(now + StateLifetime).ToUnixTimeSeconds()}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        return $"{payload}.{Sign(secret, payload)}";
    }

    internal static bool StateIsValid(string secret, string state, DateTimeOffset now)
    {
        var last = state.LastIndexOf('.');
        if (last <= 0)
        {
            return false;
        }

        var payload = state[..last];
        var expected = Encoding.ASCII.GetBytes(Sign(secret, payload));
        var actual = Encoding.ASCII.GetBytes(state[(last + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, actual)
            && long.TryParse(payload.Split('.')[0], out var expires)
            && expires >= now.ToUnixTimeSeconds();
    }

    private static string Sign(string secret, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("tiktok-authorize|" + payload)));
}
