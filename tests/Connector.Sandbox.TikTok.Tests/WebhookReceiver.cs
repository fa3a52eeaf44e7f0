using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>A loopback webhook endpoint that records raw bodies and headers and answers with a scripted status sequence.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Body, string? Authorization, string? ContentType)> Received { get; } = new();

    public Uri Url { get; private set; } = null!;

    /// <summary>Status codes for the next answers; afterwards 200.</summary>
    public void Script(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue(status);
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var app = LoopbackApp.CreateBuilder(0).Build();
        var receiver = new WebhookReceiver(app);
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.Received.Enqueue((body, http.Request.Headers.Authorization.ToString(), http.Request.ContentType));
            http.Response.StatusCode = receiver._script.TryDequeue(out var status) ? status : StatusCodes.Status200OK;
        });
        receiver.Url = new Uri(await LoopbackApp.StartAsync(app), "/api/webhooks/tiktok");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
