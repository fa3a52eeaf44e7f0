using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Connector.TikTok;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// A burst of webhooks is acknowledged with a few trips to Service Bus, not one each: messages sent while a batch is in
/// flight leave together in the next one, and every order still arrives once.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SendCoalescingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_burst_of_100_webhooks_goes_to_service_bus_in_far_fewer_batches_and_imports_each_order_once()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("burst1");
        store.AddProduct("Mug", ("MUG", 9.5m, 10_000));
        var orders = sandbox.TikTok.CreateOrders("burst1", 100, _ => new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "MUG", SalePrice = 9.5m }], ShippingType = "SELLER" });
        await sandbox.SettleAsync();
        using var batches = new BatchCounter();

        var answers = await Task.WhenAll(orders.Select((order, i) => PostWebhookAsync(sandbox,
            $"{{\"type\":1,\"tts_notification_id\":\"burst-{i}\",\"shop_id\":\"burst1\",\"timestamp\":{DateTimeOffset.UtcNow.ToUnixTimeSeconds()},\"data\":{{\"order_id\":\"{order.Id}\",\"order_status\":\"AWAITING_SHIPMENT\",\"update_time\":{order.UpdateTime}}}}}")));
        await sandbox.SettleAsync(TimeSpan.FromSeconds(60));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        output.WriteLine($"{batches.Messages} messages in {batches.Batches} batches");
        Assert.True(batches.Batches < batches.Messages, $"{batches.Messages} messages went in {batches.Batches} batches");
        Assert.Equal(100, store.Orders.Count);
        Assert.Equal(100, store.Orders.Select(o => o.SourceIdentifier).Distinct().Count());
    }

    private static async Task<HttpStatusCode> PostWebhookAsync(TestSandbox sandbox, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/tiktok") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", TikTokSigner.SignWebhook(TestSandbox.AppKey, TestSandbox.AppSecret, bytes));
        using var response = await sandbox.Api.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The handler's own Service Bus metrics (it runs in this process): one send_duration per batch.</summary>
    private sealed class BatchCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _batches;
        private long _messages;

        public BatchCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Connector" && instrument.Name is "connector.queue.send_duration" or "connector.queue.messages_sent")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _batches));
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _messages, value));
            _listener.Start();
        }

        public long Batches => Interlocked.Read(ref _batches);

        public long Messages => Interlocked.Read(ref _messages);

        public void Dispose() => _listener.Dispose();
    }
}
