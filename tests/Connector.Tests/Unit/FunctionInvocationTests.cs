using System.Text.Json;
using Connector.Functions;

namespace Connector.Tests.Unit;

/// <summary>Host payloads as they really arrive (reference/azure-functions-custom-handler.md §1.5).</summary>
public sealed class FunctionInvocationTests
{
    // The captured Service Bus sample (anthonychu/functions-dotnet5-custom-handler test.http), trimmed.
    private const string CapturedServiceBusPayload = """
        { "Data": { "myQueueItem": "\"{\\\"hello\\\":\\\"world\\\"}\"" },
          "Metadata": {
            "MessageReceiver": { "ClientId": "MessageReceiver1orders" },
            "DeliveryCount": "1",
            "LockToken": "\"4223106e-36f4-45ed-b1ab-96ead73e225b\"",
            "ExpiresAtUtc": "\"2020-10-22T21:49:35.809Z\"",
            "EnqueuedTimeUtc": "\"2020-10-08T21:49:35.809Z\"",
            "MessageId": "\"088fb2b9aede42e7a154dbc7f803a566\"",
            "ContentType": "\"application/json\"",
            "SequenceNumber": "1",
            "UserProperties": { "Sec-Fetch-Site": "cross-site" },
            "sys": { "MethodName": "ServiceBusTrigger", "UtcNow": "2020-10-08T21:49:36.123Z", "RandGuid": "c0d2e37c-0d2f-4a5b-b8d9-2d1f4ba1c7a4" },
            "hello": "\"world\"" } }
        """;

    [Fact]
    public void Double_encoded_service_bus_body_and_metadata_strings_are_unwrapped()
    {
        using var payload = JsonDocument.Parse(CapturedServiceBusPayload);

        var invocation = FunctionInvocation.Parse(payload.RootElement);

        var body = invocation.TriggerData("myQueueItem");
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal("world", body.GetProperty("hello").GetString());
        Assert.Equal("088fb2b9aede42e7a154dbc7f803a566", invocation.MetadataString("MessageId"));
        Assert.Equal("4223106e-36f4-45ed-b1ab-96ead73e225b", invocation.MetadataString("LockToken"));
        Assert.Equal(1, invocation.MetadataInt("DeliveryCount"));
        Assert.Equal("cross-site", invocation.ApplicationProperties()["Sec-Fetch-Site"]);
    }

    [Fact]
    public void Single_encoded_and_plain_object_bodies_are_accepted_too()
    {
        using var asString = JsonDocument.Parse("""{"Data":{"msg":"{\"a\":1}"},"Metadata":{"DeliveryCount":3}}""");
        using var asObject = JsonDocument.Parse("""{"Data":{"msg":{"a":1}},"Metadata":{}}""");

        Assert.Equal(1, FunctionInvocation.Parse(asString.RootElement).TriggerData("msg").GetProperty("a").GetInt32());
        Assert.Equal(3, FunctionInvocation.Parse(asString.RootElement).MetadataInt("DeliveryCount"));
        Assert.Equal(1, FunctionInvocation.Parse(asObject.RootElement).TriggerData("msg").GetProperty("a").GetInt32());
    }

    [Fact]
    public void Timer_payload_data_is_read_whether_object_or_string()
    {
        const string timer = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-22T10:00:00Z","Next":"2026-11-22T10:05:00Z","LastUpdated":"2026-11-22T10:00:00Z"},"IsPastDue":false}""";
        using var asObject = JsonDocument.Parse("{\"Data\":{\"timer\":" + timer + "},\"Metadata\":{\"sys\":{\"MethodName\":\"FetchOrdersTimer\"}}}");
        using var asString = JsonDocument.Parse("{\"Data\":{\"timer\":" + JsonSerializer.Serialize(timer) + "},\"Metadata\":{}}");

        Assert.False(FunctionInvocation.Parse(asObject.RootElement).TriggerData("timer").GetProperty("IsPastDue").GetBoolean());
        Assert.False(FunctionInvocation.Parse(asString.RootElement).TriggerData("timer").GetProperty("IsPastDue").GetBoolean());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"Data":"x"}""")]
    [InlineData("""{"Metadata":{}}""")]
    public void Payloads_that_are_not_invocations_are_rejected_with_a_reason(string json)
    {
        using var payload = JsonDocument.Parse(json);

        var error = Assert.Throws<InvalidInvocationException>(() => FunctionInvocation.Parse(payload.RootElement));

        Assert.Contains("Data", error.Message, StringComparison.Ordinal);
    }
}
