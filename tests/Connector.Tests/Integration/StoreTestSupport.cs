using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Connector.Testing;

namespace Connector.Tests.Integration;

/// <summary>What the PrestaShop and Etsy import tests share: raw host invocations and the "crash before the state write" fault.</summary>
internal static class StoreTestSupport
{
    /// <summary>The payload the host sends for a Service Bus message (double-encoded body, JSON-encoded metadata strings).</summary>
    public static string Invocation(string shopId, string orderId, long updateTime, string messageId, int deliveryCount = 1) => JsonSerializer.Serialize(new
    {
        Data = new { msg = JsonSerializer.Serialize(JsonSerializer.Serialize(new { kind = "order", shopId, orderId, updateTime, reason = "webhook" })) },
        Metadata = new Dictionary<string, object>
        {
            ["MessageId"] = JsonSerializer.Serialize(messageId),
            ["DeliveryCount"] = deliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LockToken"] = JsonSerializer.Serialize(Guid.NewGuid().ToString()),
            ["sys"] = new { MethodName = "ProcessOrderMessage" },
        },
    });

    public static async Task<JsonElement> RetryAndWaitAsync(TestSandbox sandbox, string shopId, string orderId)
    {
        using var response = await sandbox.Api.PostAsync(new Uri($"/api/orders/{orderId}/retry?shopId={shopId}", UriKind.Relative), null);
        Assert.True(response.IsSuccessStatusCode, $"retry answered {(int)response.StatusCode}");
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(60));
        return await sandbox.GetOrderAsync(shopId, orderId);
    }

    public static async Task<string> ProblemTextAsync(HttpResponseMessage response) => await response.Content.ReadAsStringAsync();
}

/// <summary>Fails the first write that records an order as imported, as if the instance died right after the store answered.</summary>
internal sealed class FailFirstImportedWrite : HttpPipelinePolicy
{
    private int _failures;

    public int Failures => _failures;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Check(HttpMessage message)
    {
        var request = message.Request;
        if (request.Method != RequestMethod.Put || !request.Uri.Path.Contains("Orders(", StringComparison.Ordinal) || request.Content is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        var body = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        if (body.Contains("\"ImportState\":\"Imported\"", StringComparison.Ordinal) && Interlocked.CompareExchange(ref _failures, 1, 0) == 0)
        {
            throw new RequestFailedException(503, "Injected: the instance died before the state write.");
        }
    }
}
