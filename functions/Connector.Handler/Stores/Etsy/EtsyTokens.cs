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

    public async Task<string> GetAccessTokenAsync(StoreAccess shop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (shop.AccessToken.Length > 0 && (shop.AccessTokenExpiresAt == 0 || shop.AccessTokenExpiresAt - now > options.Value.RefreshBefore.TotalSeconds))
        {
            return shop.AccessToken;
        }

        await RefreshAsync(shop, shop.AccessToken, cancellationToken);
        return shop.AccessToken;
    }

    /// <summary>Refreshes unless someone already replaced <paramref name="staleToken"/>; updates <paramref name="shop"/> in place.</summary>
    public async Task RefreshAsync(StoreAccess shop, string staleToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var gate = refreshLocks.For(shop.ShopId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var stored = shop.ETag == default ? null : await shops.GetAsync(shop.ShopId, cancellationToken);
            var sameAuthorisation = stored is not null && stored.Platform == "etsy" && stored.StoreAccountId == shop.AccountId;
            if (sameAuthorisation && stored!.StoreAccessToken != staleToken
                && stored.StoreAccessTokenExpiresAt - now.ToUnixTimeSeconds() > options.Value.RefreshBefore.TotalSeconds)
            {
                Adopt(shop, stored);
                return;
            }

            if (shop.RefreshTokenExpiresAt != 0 && shop.RefreshTokenExpiresAt <= now.ToUnixTimeSeconds())
            {
                throw new StoreRejectedException("The Etsy authorisation has expired (refresh tokens last 90 days); connect the Etsy shop again.");
            }

            var usedRefreshToken = sameAuthorisation && stored!.StoreRefreshToken.Length > 0 && stored.StoreAccessToken != shop.AccessToken
                ? stored.StoreRefreshToken
                : shop.RefreshToken;
            var tokens = await auth.RefreshAsync(usedRefreshToken, cancellationToken);
            shop.AccessToken = tokens.AccessToken;
            shop.AccessTokenExpiresAt = now.AddSeconds(tokens.ExpiresIn).ToUnixTimeSeconds();
            if (tokens.RefreshToken.Length > 0)
            {
                shop.RefreshToken = tokens.RefreshToken;
                shop.RefreshTokenExpiresAt = now.Add(RefreshTokenLifetime).ToUnixTimeSeconds();
            }

            // Persist only onto a row that holds this same Etsy authorisation (a connection being changed is saved by its PUT).
            for (var attempt = 0; sameAuthorisation && attempt < 3; attempt++)
            {
                stored!.StoreAccessToken = shop.AccessToken;
                stored.StoreAccessTokenExpiresAt = shop.AccessTokenExpiresAt;
                stored.StoreRefreshToken = shop.RefreshToken;
                stored.StoreRefreshTokenExpiresAt = shop.RefreshTokenExpiresAt;
                if (await shops.TryReplaceAsync(stored, cancellationToken))
                {
                    shop.ETag = stored.ETag;
                    break;
                }

                stored = await shops.GetAsync(shop.ShopId, cancellationToken);
                sameAuthorisation = stored is not null && stored.Platform == "etsy" && stored.StoreAccountId == shop.AccountId;
            }

            EtsyLog.TokenRefreshed(logger, shop.ShopId, DateTimeOffset.FromUnixTimeSeconds(shop.AccessTokenExpiresAt));
        }
        finally
        {
            gate.Release();
        }
    }

    private static void Adopt(StoreAccess target, ShopEntity source)
    {
        target.AccessToken = source.StoreAccessToken;
        target.AccessTokenExpiresAt = source.StoreAccessTokenExpiresAt;
        target.RefreshToken = source.StoreRefreshToken;
        target.RefreshTokenExpiresAt = source.StoreRefreshTokenExpiresAt;
        target.ETag = source.ETag;
    }
}
