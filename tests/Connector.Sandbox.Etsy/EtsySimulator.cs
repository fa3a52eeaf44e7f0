using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;

namespace Connector.Sandbox.Etsy;

/// <summary>
/// A local stand-in for the Etsy Open API v3 (store-apis.md §3), for integration tests and the local demo (design.md §5).
/// Serves <c>{BaseUrl}/v3/application/...</c> (x-api-key <c>keystring:shared_secret</c> + Bearer token, per-app QPS/QPD
/// limits) and the OAuth endpoints <c>POST {BaseUrl}/v3/public/oauth/token</c> and <c>GET {BaseUrl}/oauth/connect</c>.
/// There is no receipt creation: Etsy has none (§3.1).
/// </summary>
public sealed partial class EtsySimulator : IAsyncDisposable
{
    internal const string DefaultScopes = "listings_r listings_w listings_d transactions_r transactions_w shops_r profile_r";

    private readonly WebApplication _app;
    private readonly Dictionary<string, AppState> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<long, SimEtsyShop> _shops = [];
    private readonly Dictionary<string, TokenInfo> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CodeInfo> _codes = new(StringComparer.Ordinal);
    private readonly List<EtsyRequestRecord> _requests = [];
    private long _nextUserId = 100_000_000;
    private long _nextShopId = 30_000_000;
    private long _nextListingId = 1_000_000_000;
    private long _nextProductId = 10_000_000_000;
    private long _nextOfferingId = 20_000_000_000;
    private long _nextValueId = 50_000_000_000;
    private int _throttle;

    private EtsySimulator(WebApplication app, EtsySimulatorOptions options)
    {
        _app = app;
        Options = options;
    }

    /// <summary>The simulator's root URL (no trailing slash): stands for both https://openapi.etsy.com and https://api.etsy.com.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary><c>{BaseUrl}/v3/public/oauth/token</c>.</summary>
    public Uri TokenUrl => new(BaseUrl, "/v3/public/oauth/token");

    public IReadOnlyList<EtsyRequestRecord> Requests
    {
        get
        {
            lock (Gate)
            {
                return [.. _requests];
            }
        }
    }

    internal EtsySimulatorOptions Options { get; }

    internal Lock Gate { get; } = new();

    internal DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public static async Task<EtsySimulator> StartAsync(EtsySimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.RequestsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.DailyLimit);
        var app = LoopbackApp.CreateBuilder(options.Port).Build();
        var simulator = new EtsySimulator(app, options);
        simulator.MapRoutes();
        simulator.BaseUrl = await LoopbackApp.StartAsync(app, cancellationToken);
        return simulator;
    }

    /// <summary>Registers an app: its keystring (= OAuth client_id) and shared secret (§3.3 x-api-key).</summary>
    public void AddApp(string keystring, string sharedSecret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keystring);
        ArgumentException.ThrowIfNullOrWhiteSpace(sharedSecret);
        lock (Gate)
        {
            _apps[keystring] = new AppState(keystring, sharedSecret);
        }
    }

    /// <summary>
    /// Creates a seller (user + shop) that has connected <paramref name="keystring"/> (default: the only app), with a
    /// fresh access token (1 h) and refresh token (90 days).
    /// </summary>
    public SimEtsyShop AddShop(string shopName, string? keystring = null, string currency = "USD")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shopName);
        lock (Gate)
        {
            keystring ??= _apps.Count == 1 ? _apps.Keys.First() : throw new InvalidOperationException("Name the app: AddApp first, or pass its keystring.");
            if (!_apps.ContainsKey(keystring))
            {
                throw new KeyNotFoundException($"No app '{keystring}'.");
            }

            var shop = new SimEtsyShop(this, ++_nextShopId, ++_nextUserId, shopName, keystring, currency);
            _shops[shop.ShopId] = shop;
            IssueTokens(shop, DefaultScopes);
            return shop;
        }
    }

    public SimEtsyShop GetShop(long shopId)
    {
        lock (Gate)
        {
            return _shops.GetValueOrDefault(shopId) ?? throw new KeyNotFoundException($"No shop {shopId}.");
        }
    }

    /// <summary>
    /// What the seller's consent at etsy.com/oauth/connect produces: an authorization code bound to the app, redirect
    /// URI and PKCE S256 <paramref name="codeChallenge"/>, exchanged at the token endpoint (§3.3).
    /// </summary>
    public string CreateAuthorizationCode(SimEtsyShop shop, string codeChallenge, string redirectUri, string scopes = DefaultScopes)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentException.ThrowIfNullOrWhiteSpace(codeChallenge);
        lock (Gate)
        {
            var code = RandomToken(32);
            _codes[code] = new CodeInfo(shop.Keystring, shop.UserId, codeChallenge, redirectUri, scopes, Now + Options.AuthorizationCodeLifetime);
            return code;
        }
    }

    /// <summary>The next <paramref name="times"/> API requests answer 429 with retry-after, whatever the budget.</summary>
    public void Throttle(int times)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        lock (Gate)
        {
            _throttle = times;
        }
    }

    public void ClearRequests()
    {
        lock (Gate)
        {
            _requests.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    internal long NextListingId() => ++_nextListingId;

    internal long NextProductId() => ++_nextProductId;

    internal long NextOfferingId() => ++_nextOfferingId;

    internal long NextValueId() => ++_nextValueId;

    internal static EtsyMoney Money(decimal price, string currency) => new((long)Math.Round(price * 100m, MidpointRounding.AwayFromZero), 100, currency);

    private (string Access, string Refresh) IssueTokens(SimEtsyShop shop, string scopes)
    {
        var now = Now;
        var access = $"{shop.UserId}.{RandomToken(48)}";
        var refresh = $"{shop.UserId}.{RandomToken(48)}";
        _tokens[access] = new TokenInfo(false, shop.UserId, shop.Keystring, now + Options.AccessTokenLifetime, scopes);
        _tokens[refresh] = new TokenInfo(true, shop.UserId, shop.Keystring, now + Options.RefreshTokenLifetime, scopes);
        shop.AccessToken = access;
        shop.RefreshToken = refresh;
        return (access, refresh);
    }

    private bool TryFindShopByUser(long userId, [NotNullWhen(true)] out SimEtsyShop? shop)
    {
        shop = _shops.Values.FirstOrDefault(s => s.UserId == userId);
        return shop is not null;
    }

    private static string RandomToken(int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        }

        return sb.ToString();
    }

    private sealed record TokenInfo(bool IsRefresh, long UserId, string Keystring, DateTimeOffset ExpiresAt, string Scopes)
    {
        public bool HasScope(string scope) => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal);
    }

    private sealed record CodeInfo(string Keystring, long UserId, string Challenge, string RedirectUri, string Scopes, DateTimeOffset ExpiresAt);

    /// <summary>One app's QPS window (1 s) and QPD window (sliding 24 h), §3.4.</summary>
    private sealed class AppState(string keystring, string sharedSecret)
    {
        public string Keystring { get; } = keystring;

        public string SharedSecret { get; } = sharedSecret;

        public Queue<DateTimeOffset> Second { get; } = new();

        public Queue<DateTimeOffset> Day { get; } = new();
    }
}
