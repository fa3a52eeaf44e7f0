using System.Collections.Concurrent;
using Connector.State;
using Microsoft.Extensions.Options;

namespace Connector.Stores.Etsy;

/// <summary>
/// An Etsy shop's access token (1 hour), refreshed before it expires with the refresh token (90 days) and persisted on
/// the shop row with an ETag-conditional write, like TikTok's (the row may change meanwhile: the newest token wins).
/// </summary>
public sealed class EtsyTokens(
    EtsyAuthClient auth, ShopStore shops, Concurrency.KeyedLocks<EtsyTokens> refreshLocks, IOptions<EtsyOptions> options, TimeProvider time, ILogger<EtsyTokens> logger)
{
    private static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(90);

    public async Task<string> GetAccessTokenAsync(ShopEntity shop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (shop.StoreAccessToken.Length > 0 && (shop.StoreAccessTokenExpiresAt == 0 || shop.StoreAccessTokenExpiresAt - now > options.Value.RefreshBefore.TotalSeconds))
        {
            return shop.StoreAccessToken;
        }

        await RefreshAsync(shop, shop.StoreAccessToken, cancellationToken);
        return shop.StoreAccessToken;
    }

    /// <summary>Refreshes unless someone already replaced <paramref name="staleToken"/>; updates <paramref name="shop"/> in place.</summary>
    public async Task RefreshAsync(ShopEntity shop, string staleToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var gate = refreshLocks.For(shop.ShopId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var stored = shop.ETag == default ? null : await shops.GetAsync(shop.ShopId, cancellationToken);
            var sameAuthorisation = stored is not null && stored.Platform == "etsy" && stored.StoreAccountId == shop.StoreAccountId;
            if (sameAuthorisation && stored!.StoreAccessToken != staleToken
                && stored.StoreAccessTokenExpiresAt - now.ToUnixTimeSeconds() > options.Value.RefreshBefore.TotalSeconds)
            {
                Adopt(shop, stored);
                return;
            }

            if (shop.StoreRefreshTokenExpiresAt != 0 && shop.StoreRefreshTokenExpiresAt <= now.ToUnixTimeSeconds())
            {
                throw new StoreRejectedException("The Etsy authorisation has expired (refresh tokens last 90 days); connect the Etsy shop again.");
            }

            var usedRefreshToken = sameAuthorisation && stored!.StoreRefreshToken.Length > 0 && stored.StoreAccessToken != shop.StoreAccessToken
                ? stored.StoreRefreshToken
                : shop.StoreRefreshToken;
            var tokens = await auth.RefreshAsync(usedRefreshToken, cancellationToken);
            shop.StoreAccessToken = tokens.AccessToken;
            shop.StoreAccessTokenExpiresAt = now.AddSeconds(tokens.ExpiresIn).ToUnixTimeSeconds();
            if (tokens.RefreshToken.Length > 0)
            {
                shop.StoreRefreshToken = tokens.RefreshToken;
                shop.StoreRefreshTokenExpiresAt = now.Add(RefreshTokenLifetime).ToUnixTimeSeconds();
            }

            // Persist only onto a row that holds this same Etsy authorisation (a connection being changed is saved by its PUT).
            for (var attempt = 0; sameAuthorisation && attempt < 3; attempt++)
            {
                stored!.StoreAccessToken = shop.StoreAccessToken;
                stored.StoreAccessTokenExpiresAt = shop.StoreAccessTokenExpiresAt;
                stored.StoreRefreshToken = shop.StoreRefreshToken;
                stored.StoreRefreshTokenExpiresAt = shop.StoreRefreshTokenExpiresAt;
                if (await shops.TryReplaceAsync(stored, cancellationToken))
                {
                    shop.ETag = stored.ETag;
                    break;
                }

                stored = await shops.GetAsync(shop.ShopId, cancellationToken);
                sameAuthorisation = stored is not null && stored.Platform == "etsy" && stored.StoreAccountId == shop.StoreAccountId;
            }

            EtsyLog.TokenRefreshed(logger, shop.ShopId, DateTimeOffset.FromUnixTimeSeconds(shop.StoreAccessTokenExpiresAt));
        }
        finally
        {
            gate.Release();
        }
    }

    private static void Adopt(ShopEntity target, ShopEntity source)
    {
        target.StoreAccessToken = source.StoreAccessToken;
        target.StoreAccessTokenExpiresAt = source.StoreAccessTokenExpiresAt;
        target.StoreRefreshToken = source.StoreRefreshToken;
        target.StoreRefreshTokenExpiresAt = source.StoreRefreshTokenExpiresAt;
        target.ETag = source.ETag;
    }
}
