using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>A webhook endpoint on 127.0.0.1:0 (Kestrel) that records each POST and answers planned status codes (else 200).</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _plannedStatuses = new();
    private readonly ConcurrentQueue<Received> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredStatus)
    {
        public string Topic => Headers["X-Shopify-Topic"];

        public JsonObject Json => (JsonObject)JsonNode.Parse(Body)!;

        /// <summary>What a Shopify app computes: base64 HMAC-SHA256 of the raw body with the client secret.</summary>
        public bool HmacValid(string secret) =>
            Headers.TryGetValue("X-Shopify-Hmac-Sha256", out var header)
            && CryptographicOperations.FixedTimeEquals(
                Convert.FromBase64String(header),
                HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Body));
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<Received> All => [.. _received];

    public IReadOnlyList<Received> At(string path) => [.. _received.Where(r => r.Path == path)];

    public string Url(string path) => $"{BaseUrl.AbsoluteUri.TrimEnd('/')}{path}";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", (RequestDelegate)(async http =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var status = receiver._plannedStatuses.TryDequeue(out var planned) ? planned : 200;
            receiver._received.Enqueue(new Received(http.Request.Path.Value!, headers, buffer.ToArray(), status));
            http.Response.StatusCode = status;
        }));
        receiver.BaseUrl = await LoopbackApp.StartAsync(app);
        return receiver;
    }

    /// <summary>The next <paramref name="times"/> requests (any path) answer <paramref name="status"/>.</summary>
    public void Answer(int status, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _plannedStatuses.Enqueue(status);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
