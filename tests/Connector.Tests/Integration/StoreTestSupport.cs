using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Connector.Testing;

namespace Connector.Tests.Integration;

/// <summary>What the import tests of every platform share: raw host invocations and retries.</summary>
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
