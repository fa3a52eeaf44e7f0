using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Connector.Sandbox.Shopify.GraphQL;
using Connector.Sandbox.Shopify.Http;
using Connector.Sandbox.Shopify.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Connector.Sandbox.Shopify;

/// <summary>
/// A local stand-in for the Shopify Admin GraphQL API (store-apis.md §2), for integration tests and the local demo
/// (design.md §5). Shops live under <c>{BaseUrl}/stores/{shopName}</c>; each serves
/// <c>POST /admin/api/{version}/graphql.json</c>, validated against the real 2026-01 schema, with Shopify's cost-based
/// throttling. A control plane for demos and browser tests lives under <c>/_sim/stores</c>.
/// </summary>
public sealed partial class ShopifySimulator : IAsyncDisposable
{
    /// <summary>The schema version whose SDL the simulator validates against.</summary>
    public const string SchemaVersion = "2026-01";

    private readonly ConcurrentDictionary<string, SimShopifyShop> _shops = new(StringComparer.OrdinalIgnoreCase);
    private readonly IdSource _ids = new();
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Webhooks.WebhookDispatcher _webhooks;

    private ShopifySimulator(WebApplication app, ShopifySimulatorOptions options, AdminSchema schema)
    {
        _app = app;
        Options = options;
        Schema = schema;
        Resolvers = ShopifyResolvers.Create();
        _webhooks = new Webhooks.WebhookDispatcher(options);
    }

    /// <summary>The simulator's root URL (no trailing slash), e.g. <c>http://127.0.0.1:51234</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyCollection<SimShopifyShop> Shops => [.. _shops.Values];

    internal ShopifySimulatorOptions Options { get; }

    internal AdminSchema Schema { get; }

    internal ResolverRegistry Resolvers { get; }

    internal CancellationToken Stopping => _stopping.Token;

    public static async Task<ShopifySimulator> StartAsync(ShopifySimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BucketSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.RestoreRatePerSecond);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiVersion);

        // Parsing the 3 MB SDL takes a moment; it happens once per process.
        var schema = await Task.Run(() => AdminSchema.Instance, cancellationToken);
        var app = LoopbackApp.CreateBuilder(options.Port).Build();
        var simulator = new ShopifySimulator(app, options, schema);
        simulator.MapRoutes();
        simulator.BaseUrl = await LoopbackApp.StartAsync(app, cancellationToken);
        return simulator;
    }

    /// <summary>
    /// Creates a shop. Its base URL is <c>{BaseUrl}/stores/{shopName}</c>; its GraphQL endpoint
    /// <c>{shopBase}/admin/api/{version}/graphql.json</c>. Without a token, a random <c>shpat_…</c> token is made.
    /// </summary>
    public SimShopifyShop AddShop(string shopName, string? accessToken = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shopName);
        if (!ShopNamePattern().IsMatch(shopName))
        {
            throw new ArgumentException("A shop name holds letters, digits, '-' and '_' only.", nameof(shopName));
        }

        var token = accessToken ?? "shpat_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var shop = new SimShopifyShop(shopName, token, new Uri($"{BaseUrl.AbsoluteUri.TrimEnd('/')}/stores/{shopName}"), Options, _ids, _webhooks);
        if (!_shops.TryAdd(shopName, shop))
        {
            throw new InvalidOperationException($"Shop '{shopName}' already exists.");
        }

        return shop;
    }

    /// <summary>Every webhook attempt of every shop so far, in the order made (dropped webhooks included, with <c>Dropped</c>).</summary>
    public IReadOnlyList<ShopifyWebhookDelivery> WebhookDeliveries => _webhooks.Deliveries;

    /// <summary>
    /// Completes when no webhook is pending (each answered 2xx or out of retries); <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/>. Retry pauses run on the options' TimeProvider: advance a fake clock meanwhile.
    /// </summary>
    public Task WaitForWebhooksAsync(TimeSpan timeout) => _webhooks.WaitForIdleAsync(timeout);

    public SimShopifyShop GetShop(string shopName) =>
        TryGetShop(shopName, out var shop) ? shop : throw new KeyNotFoundException($"No shop named '{shopName}'.");

    public bool TryGetShop(string shopName, [NotNullWhen(true)] out SimShopifyShop? shop) => _shops.TryGetValue(shopName, out shop);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _webhooks.DisposeAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private void MapRoutes()
    {
        var graphQL = new GraphQLEndpoint(this);
        _app.MapPost("/stores/{shopName}/admin/api/{version}/graphql.json", (Microsoft.AspNetCore.Http.RequestDelegate)graphQL.HandleAsync);
        ControlPlane.Map(_app, this);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex ShopNamePattern();
}
