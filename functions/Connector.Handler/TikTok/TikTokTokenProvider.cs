using System.Collections.Concurrent;
using Connector.Diagnostics;
using Connector.State;
using Microsoft.Extensions.Options;

namespace Connector.TikTok;

/// <summary>
/// Hands out a shop's access token, refreshing it before it expires (or when TikTok says 105002) and persisting
/// both tokens in one write (reference/tiktok-shop-api.md §3.1: the <c>*_expire_in</c> fields are absolute times).
/// </summary>
public sealed class TikTokTokenProvider(
    TikTokAuthClient auth, ShopStore shops, Concurrency.KeyedLocks<TikTokTokenProvider> refreshLocks, IOptions<TikTokOptions> options, TimeProvider time,
    ILogger<TikTokTokenProvider> logger)
{

    public async Task<string> GetAccessTokenAsync(ShopEntity shop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (shop.AccessTokenExpiresAt - now > options.Value.RefreshBefore.TotalSeconds)
        {
            return shop.AccessToken;
        }

        await RefreshAsync(shop, shop.AccessToken, cancellationToken);
        return shop.AccessToken;
    }

    /// <summary>Refreshes unless another caller already replaced <paramref name="staleToken"/>; updates <paramref name="shop"/> in place.</summary>
    public async Task RefreshAsync(ShopEntity shop, string staleToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var gate = refreshLocks.For(shop.ShopId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Another invocation (here or on another instance) may have refreshed already.
            var stored = await shops.GetAsync(shop.ShopId, cancellationToken) ?? shop;
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            if (stored.AccessToken != staleToken && stored.AccessTokenExpiresAt - now > options.Value.RefreshBefore.TotalSeconds)
            {
                Adopt(shop, stored);
                return;
            }

            if (stored.RefreshTokenExpiresAt != 0 && stored.RefreshTokenExpiresAt <= now)
            {
                throw new TikTokApiException(TikTokErrorCodes.RefreshTokenExpired,
                    "The TikTok Shop authorisation has expired; the seller must authorise the app again.", null, 0);
            }

            var tokens = await auth.RefreshAsync(stored.RefreshToken, cancellationToken);
            stored.AccessToken = tokens.AccessToken;
            stored.AccessTokenExpiresAt = tokens.AccessTokenExpireIn;
            stored.RefreshToken = tokens.RefreshToken;
            stored.RefreshTokenExpiresAt = tokens.RefreshTokenExpireIn;
            if (!await shops.TryReplaceAsync(stored, cancellationToken))
            {
                // The row changed meanwhile (settings edit or another refresh): keep the newest token on the fresh row.
                var fresh = await shops.GetAsync(shop.ShopId, cancellationToken) ?? stored;
                if (fresh.AccessTokenExpiresAt <= tokens.AccessTokenExpireIn)
                {
                    fresh.AccessToken = tokens.AccessToken;
                    fresh.AccessTokenExpiresAt = tokens.AccessTokenExpireIn;
                    fresh.RefreshToken = tokens.RefreshToken;
                    fresh.RefreshTokenExpiresAt = tokens.RefreshTokenExpireIn;
                    await shops.MergeTikTokTokensAsync(fresh, cancellationToken);
                }

                stored = fresh;
            }

            Adopt(shop, stored);
            Log.TokenRefreshed(logger, shop.ShopId, DateTimeOffset.FromUnixTimeSeconds(shop.AccessTokenExpiresAt));
        }
        finally
        {
            gate.Release();
        }
    }

    private static void Adopt(ShopEntity target, ShopEntity source)
    {
        target.AccessToken = source.AccessToken;
        target.AccessTokenExpiresAt = source.AccessTokenExpiresAt;
        target.RefreshToken = source.RefreshToken;
        target.RefreshTokenExpiresAt = source.RefreshTokenExpiresAt;
        target.ETag = source.ETag;
    }
}
