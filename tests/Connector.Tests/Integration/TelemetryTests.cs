using System.Diagnostics;
using System.Text;
using Connector.Testing;
using Connector.TikTok;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>One trace follows an order from the webhook through the queue to the store call (issue "Deploy to Azure", telemetry).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class TelemetryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task One_trace_follows_an_order_from_webhook_through_the_queue_to_shopify()
    {
        var spans = new List<Activity>();
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            Output = output,
            ConfigureHandler = b => b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)),
        });
        var (_, store) = await sandbox.ConnectShopAsync("trace1");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("trace1", TestOrders.Spec(("CAP-1", 1, 12m)));
        var body = "{\"type\":1,\"tts_notification_id\":\"tr-1\",\"shop_id\":\"trace1\",\"timestamp\":" + order.UpdateTime
            + ",\"data\":{\"order_id\":\"" + order.Id + "\",\"order_status\":\"AWAITING_SHIPMENT\",\"update_time\":" + order.UpdateTime + "}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/tiktok") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", TikTokSigner.SignWebhook(TestSandbox.AppKey, TestSandbox.AppSecret, Encoding.UTF8.GetBytes(body)));

        using var response = await sandbox.Api.SendAsync(request);
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        Assert.Single(store.Orders);
        List<Activity> snapshot;
        lock (spans)
        {
            snapshot = [.. spans];
        }

        // The host emulation's public listener and the handler both serve the request (same process here): one trace.
        var webhookSpans = snapshot.Where(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("url.path"), "/api/webhooks/tiktok")).ToList();
        Assert.NotEmpty(webhookSpans);
        var webhook = Assert.Single(webhookSpans.Select(s => s.TraceId).Distinct());
        var consumer = Assert.Single(snapshot, s => s.Kind == ActivityKind.Consumer && Equals(s.GetTagItem("connector.order_id"), order.Id));
        // Shopify calls made for this order (the connection check at PUT /api/shops came earlier, in its own trace).
        var webhookStart = webhookSpans.Min(s => s.StartTimeUtc);
        var storeCalls = snapshot.Where(s => s.Kind == ActivityKind.Client && s.StartTimeUtc > webhookStart
            && (s.GetTagItem("url.full") as string ?? "").Contains("/graphql.json", StringComparison.Ordinal)).ToList();
        Assert.Equal(webhook, consumer.TraceId);
        Assert.NotEmpty(storeCalls);
        Assert.All(storeCalls, c => Assert.Equal(webhook, c.TraceId));
    }

    [Fact]
    public async Task Traces_carry_no_secret_even_when_tokens_are_refreshed()
    {
        var spans = new List<Activity>();
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            Output = output,
            ConfigureHandler = b => b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)),
        });
        var (tiktokShop, store) = await sandbox.ConnectShopAsync("trace2");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.TikTok.CreateOrder("trace2", TestOrders.Spec(("CAP-1", 1, 12m)));
        sandbox.TikTok.ExpireAccessToken("trace2");

        await sandbox.FetchAndWaitAsync("trace2");

        Assert.Contains(sandbox.TikTok.Requests, r => r.Path == "/api/v2/token/refresh");
        List<Activity> snapshot;
        lock (spans)
        {
            snapshot = [.. spans];
        }

        var refreshed = sandbox.TikTok.GetShop("trace2");
        var secrets = new[] { TestSandbox.AppSecret, tiktokShop.AccessToken, tiktokShop.RefreshToken, refreshed.AccessToken, refreshed.RefreshToken, store.AccessToken };
        var text = string.Join("\n", snapshot.SelectMany(s => s.TagObjects.Select(t => $"{s.DisplayName} {t.Key}={t.Value}")));
        Assert.Contains("/api/v2/token/refresh", text, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
