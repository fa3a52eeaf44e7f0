using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Connector.Sandbox.PrestaShop.Webservice;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Connector.Sandbox.PrestaShop;

/// <summary>
/// A local stand-in for the PrestaShop 1.7/8 Webservice (store-apis.md §1), for integration tests and the local demo
/// (design.md §5). Shops live under <c>{BaseUrl}/shops/{name}</c>; each serves <c>/api/...</c> (XML in, XML or JSON
/// out) and the front-office module route <c>/index.php?fc=module&amp;module=…&amp;controller=…</c>.
/// </summary>
public sealed partial class PrestaShopSimulator : IAsyncDisposable
{
    private static readonly string[] AllMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    private readonly ConcurrentDictionary<string, SimPrestaShop> _shops = new(StringComparer.OrdinalIgnoreCase);
    private readonly WebApplication _app;

    private PrestaShopSimulator(WebApplication app, PrestaShopSimulatorOptions options)
    {
        _app = app;
        Options = options;
    }

    /// <summary>The simulator's root URL (no trailing slash), e.g. <c>http://127.0.0.1:51234</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyCollection<SimPrestaShop> Shops => [.. _shops.Values];

    internal PrestaShopSimulatorOptions Options { get; }

    public static async Task<PrestaShopSimulator> StartAsync(PrestaShopSimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        var app = LoopbackApp.CreateBuilder(options.Port).Build();
        var simulator = new PrestaShopSimulator(app, options);
        var endpoint = new WsEndpoint(simulator);
        app.MapMethods("/shops/{shopName}/api/{**path}", AllMethods, endpoint.HandleAsync);
        app.MapMethods("/shops/{shopName}/api", AllMethods, endpoint.HandleAsync);
        app.MapGet("/shops/{shopName}/index.php", endpoint.HandleFrontAsync);
        simulator.BaseUrl = await LoopbackApp.StartAsync(app, cancellationToken);
        return simulator;
    }

    /// <summary>Creates a shop at <c>{BaseUrl}/shops/{name}</c> (what a merchant enters); its API is <c>{shopBase}/api/</c>.</summary>
    public SimPrestaShop AddShop(string name, PrestaShopShopOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!ShopNamePattern().IsMatch(name))
        {
            throw new ArgumentException("A shop name holds letters, digits, '-' and '_' only.", nameof(name));
        }

        var shop = new SimPrestaShop(name, new Uri($"{BaseUrl.AbsoluteUri.TrimEnd('/')}/shops/{name}"), options ?? new PrestaShopShopOptions(), Options.TimeProvider);
        if (!_shops.TryAdd(name, shop))
        {
            throw new InvalidOperationException($"Shop '{name}' already exists.");
        }

        return shop;
    }

    public SimPrestaShop GetShop(string name) =>
        TryGetShop(name, out var shop) ? shop : throw new KeyNotFoundException($"No shop named '{name}'.");

    public bool TryGetShop(string name, [NotNullWhen(true)] out SimPrestaShop? shop) => _shops.TryGetValue(name, out shop);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex ShopNamePattern();
}
