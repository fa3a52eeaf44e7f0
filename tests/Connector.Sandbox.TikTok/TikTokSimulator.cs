using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// A local stand-in for TikTok Shop's Open API (202309+) and its auth host, on one loopback origin. Section numbers in
/// comments refer to shared/reference/tiktok-shop-api.md. State lives in memory; every public member is thread-safe.
/// </summary>
public sealed partial class TikTokSimulator : IAsyncDisposable
{
    private readonly TikTokSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly SimIds _ids;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ShopState> _shops = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimOrder> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _shopOrderIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthCode> _authCodes = new(StringComparer.Ordinal);
    private readonly List<SimRequestRecord> _requests = [];
    private readonly WebhookDispatcher _webhooks;
    private WebApplication? _app;
    private int _disposed;

    private TikTokSimulator(TikTokSimulatorOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        _ids = new SimIds(options.Seed ?? Random.Shared.Next());
        _webhooks = new WebhookDispatcher(options, _ids);
    }

    /// <summary>Origin serving the Open API paths, the auth host paths (/api/v2/token/get|refresh) and the /_sim/ control plane.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public TikTokSimulatorOptions Options => _options;

    /// <summary>Every Open API and auth-host request received so far (the /_sim/ control plane excluded).</summary>
    public IReadOnlyList<SimRequestRecord> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<TikTokSimulator> StartAsync(TikTokSimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var simulator = new TikTokSimulator(options);
        var builder = LoopbackApp.CreateBuilder(options.Port);
        var app = builder.Build();
        app.Run(simulator.HandleAsync);
        simulator._app = app;
        simulator.BaseUrl = await LoopbackApp.StartAsync(app, cancellationToken);
        return simulator;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _webhooks.DisposeAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    // ---------------------------------------------------------------- shops and tokens (§3)

    /// <summary>Authorizes a shop: a cipher ("ROW_..."), an access token and a refresh token with absolute expiries.</summary>
    public SimShop AddShop(string shopId, string? shopName = null, string region = "US")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shopId);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        lock (_gate)
        {
            if (_shops.ContainsKey(shopId))
            {
                throw new InvalidOperationException($"Shop {shopId} already exists.");
            }

            var now = Now();
            var shop = new ShopState
            {
                ShopId = shopId,
                Cipher = _ids.Token("ROW_", 21),
                Name = shopName ?? $"Sandbox shop {shopId}",
                Region = region.ToUpperInvariant(),
                Code = region.ToUpperInvariant()[..Math.Min(2, region.Length)] + _ids.UpperAlphanumeric(10),
                OpenId = _ids.OpenId(),
            };
            IssueTokens(shop, now);
            _shops.Add(shopId, shop);
            _shopOrderIds.Add(shopId, []);
            return shop.Snapshot();
        }
    }

    public SimShop GetShop(string shopId)
    {
        lock (_gate)
        {
            return Shop(shopId).Snapshot();
        }
    }

    public IReadOnlyList<SimShop> GetShops()
    {
        lock (_gate)
        {
            return [.. _shops.Values.Select(s => s.Snapshot())];
        }
    }

    /// <summary>An auth_code for GET /api/v2/token/get: valid 30 minutes (<see cref="TikTokSimulatorOptions.AuthCodeLifetime"/>), single use (§3.1).</summary>
    public string IssueAuthCode(string shopId)
    {
        lock (_gate)
        {
            var shop = Shop(shopId);
            var code = _ids.Token("", 16);
            _authCodes[code] = new AuthCode(shop.ShopId, Now() + (long)_options.AuthCodeLifetime.TotalSeconds);
            return code;
        }
    }

    /// <summary>Makes the shop's current access token expired: the next API call with it gets 105002.</summary>
    public void ExpireAccessToken(string shopId)
    {
        lock (_gate)
        {
            Shop(shopId).AccessTokenExpiresAt = Now() - 1;
        }
    }

    /// <summary>Makes the shop's refresh token expired: the next refresh gets 36004001 "rt has expired".</summary>
    public void ExpireRefreshToken(string shopId)
    {
        lock (_gate)
        {
            Shop(shopId).RefreshTokenExpiresAt = Now() - 1;
        }
    }

    /// <summary>Revokes the shop's tokens (as a seller deauthorization does): the access token becomes invalid (36009004).</summary>
    public void RevokeTokens(string shopId)
    {
        lock (_gate)
        {
            Shop(shopId).Revoked = true;
        }
    }

    // ---------------------------------------------------------------- orders (§4, §5)

    public SimOrder CreateOrder(string shopId, SimOrderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            return CreateOrderLocked(Shop(shopId), spec);
        }
    }

    public IReadOnlyList<SimOrder> CreateOrders(string shopId, int count, Func<int, SimOrderSpec> specFactory)
    {
        ArgumentNullException.ThrowIfNull(specFactory);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var created = new List<SimOrder>(count);
        for (var i = 0; i < count; i++)
        {
            var spec = specFactory(i);
            lock (_gate)
            {
                created.Add(CreateOrderLocked(Shop(shopId), spec));
            }
        }

        return created;
    }

    public SimOrder GetOrder(string orderId)
    {
        lock (_gate)
        {
            return Order(orderId);
        }
    }

    /// <summary>The shop's orders in creation order.</summary>
    public IReadOnlyList<SimOrder> GetOrders(string shopId)
    {
        lock (_gate)
        {
            Shop(shopId);
            return [.. _shopOrderIds[shopId].Select(id => _orders[id])];
        }
    }

    /// <summary>
    /// Moves an order to <paramref name="status"/> along one §5.4 edge, bumps update_time (strictly increasing per order)
    /// and sends ORDER_STATUS_CHANGE. Throws <see cref="InvalidOperationException"/> for a move §5.4 does not allow
    /// (COMPLETED and CANCELLED never move; nothing moves backwards).
    /// </summary>
    public void SetStatus(string orderId, string status) => ChangeStatus(orderId, status, null, null);

    /// <summary>Cancels an order (§5.4 "any non-terminal → CANCELLED") with an initiator (SELLER, BUYER, SYSTEM) and a reason text.</summary>
    public SimOrder Cancel(string orderId, string initiator = "BUYER", string? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(initiator);
        return ChangeStatus(orderId, TikTokOrderStatus.Cancelled, initiator, reason);
    }

    /// <summary>Walks the shortest §5.4 path to <paramref name="status"/>, one status change (and webhook) per step.</summary>
    public SimOrder AdvanceTo(string orderId, string status)
    {
        var current = GetOrder(orderId);
        var path = TikTokOrderStatus.PathTo(current.Status, status)
            ?? throw new InvalidOperationException($"Order {orderId} cannot move from {current.Status} to {status} (§5.4).");
        foreach (var step in path)
        {
            current = ChangeStatus(orderId, step, null, null);
        }

        return current;
    }

    /// <summary>Changes the recipient address (bumps update_time, sets has_updated_recipient_address) and sends RECIPIENT_ADDRESS_UPDATE (type 3).</summary>
    public SimOrder UpdateRecipientAddress(string orderId, SimAddressSpec address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            var order = Order(orderId);
            var updated = order with
            {
                RecipientAddress = SimAddress.From(address, null),
                HasUpdatedRecipientAddress = true,
                UpdateTime = NextUpdateTime(order),
            };
            _orders[orderId] = updated;
            PublishLocked(3, updated.ShopId, new JsonObject { ["order_id"] = orderId, ["update_time"] = updated.UpdateTime });
            return updated;
        }
    }

    // ---------------------------------------------------------------- faults and records

    /// <summary>Adds a fault; faults are checked in the order they were added.</summary>
    public void InjectFault(SimFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            _faults.Add(new FaultState(fault));
        }
    }

    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    // ---------------------------------------------------------------- internals

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();

    private ShopState Shop(string shopId) =>
        _shops.TryGetValue(shopId, out var shop) ? shop : throw new KeyNotFoundException($"Unknown shop {shopId}.");

    private SimOrder Order(string orderId) =>
        _orders.TryGetValue(orderId, out var order) ? order : throw new KeyNotFoundException($"Unknown order {orderId}.");

    private long NextUpdateTime(SimOrder order) => Math.Max(Now(), order.UpdateTime + 1);

    private void IssueTokens(ShopState shop, long now)
    {
        shop.AccessToken = _ids.Token("TTP_", 60);
        shop.AccessTokenExpiresAt = now + (long)_options.AccessTokenLifetime.TotalSeconds;
        shop.RefreshToken = _ids.Token("TTP_", 48);
        shop.RefreshTokenExpiresAt = now + (long)_options.RefreshTokenLifetime.TotalSeconds;
        shop.Revoked = false;
    }

    private SimOrder ChangeStatus(string orderId, string status, string? initiator, string? reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        lock (_gate)
        {
            var order = Order(orderId);
            if (!TikTokOrderStatus.IsKnown(status))
            {
                throw new ArgumentException($"Unknown order status '{status}' (§5.1).", nameof(status));
            }

            if (!TikTokOrderStatus.CanMove(order.Status, status))
            {
                throw new InvalidOperationException($"Order {orderId} cannot move from {order.Status} to {status} (§5.4).");
            }

            var updateTime = NextUpdateTime(order);
            var updated = ApplyStatus(order, status, updateTime, initiator, reason) with { UpdateTime = updateTime };
            _orders[orderId] = updated;
            PublishStatusChange(updated);
            if (status == TikTokOrderStatus.Cancelled)
            {
                ResolvePendingCancellationsLocked(orderId);
            }

            return updated;
        }
    }

    private void PublishStatusChange(SimOrder order)
    {
        var status = order.Status == TikTokOrderStatus.Cancelled ? _options.WebhookStatusSpelling : order.Status;
        PublishLocked(1, order.ShopId, new JsonObject
        {
            ["order_id"] = order.Id,
            ["order_status"] = status,
            ["is_on_hold_order"] = order.IsOnHoldOrder,
            ["update_time"] = order.UpdateTime,
        });
    }

    private static JsonObject CancellationData(string orderId, string role, string cancelStatus, string cancelId, long createTime) => new()
    {
        ["order_id"] = orderId,
        ["cancellations_role"] = role,
        ["cancel_status"] = cancelStatus,
        ["cancel_id"] = cancelId,
        ["create_time"] = createTime,
    };

    private sealed class ShopState
    {
        public required string ShopId { get; init; }
        public required string Cipher { get; init; }
        public required string Name { get; init; }
        public required string Region { get; init; }
        public required string Code { get; init; }
        public required string OpenId { get; init; }
        public string AccessToken { get; set; } = "";
        public long AccessTokenExpiresAt { get; set; }
        public string RefreshToken { get; set; } = "";
        public long RefreshTokenExpiresAt { get; set; }
        public bool Revoked { get; set; }
        public Dictionary<string, (string SkuId, string ProductId)> Skus { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Subscription> Subscriptions { get; } = new(StringComparer.Ordinal);

        public SimShop Snapshot() => new()
        {
            ShopId = ShopId,
            Cipher = Cipher,
            Name = Name,
            Region = Region,
            Code = Code,
            SellerType = "LOCAL",
            OpenId = OpenId,
            AccessToken = AccessToken,
            AccessTokenExpiresAt = AccessTokenExpiresAt,
            RefreshToken = RefreshToken,
            RefreshTokenExpiresAt = RefreshTokenExpiresAt,
        };
    }

    private sealed record AuthCode(string ShopId, long ExpiresAt);

    private sealed class FaultState(SimFault fault)
    {
        public SimFault Fault { get; } = fault;
        public int Remaining { get; set; } = fault.Times <= 0 ? -1 : fault.Times;
    }
}
