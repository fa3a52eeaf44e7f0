using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.Functions.Tests;

public sealed class PayloadTests
{
    private static readonly FunctionDefinition Processor = FunctionLoader.Parse(
        "ProcessOrderMessage",
        "/x/ProcessOrderMessage",
        """{ "bindings": [ { "name": "myQueueItem", "type": "serviceBusTrigger", "direction": "in", "queueName": "%Q%" } ] }""",
        new Dictionary<string, string> { ["Q"] = "orders" },
        enableProxying: true);

    private static async Task<(EmulatedMessage Message, string Payload)> DeliverAsync(QueueMessage message)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 10, 8, 21, 49, 35, 809, TimeSpan.Zero));
        var queue = new EmulatedQueue("orders", false, 10, TimeSpan.FromMinutes(10), clock, NullLogger.Instance);
        queue.Send(message);
        var received = await queue.ReceiveAsync(CancellationToken.None);
        return (received, InvocationPayloads.ServiceBus(Processor, received, "127.0.0.1", clock.GetUtcNow()));
    }

    [Fact]
    public async Task The_service_bus_payload_reproduces_the_captured_samples_encoding()
    {
        var (message, payload) = await DeliverAsync(new QueueMessage
        {
            Body = """{"hello":"world"}""",
            MessageId = "088fb2b9aede42e7a154dbc7f803a566",
            TimeToLive = TimeSpan.FromDays(14),
            UserProperties = new Dictionary<string, object?> { ["Sec-Fetch-Site"] = "cross-site" },
        });

        // Fragments of the captured sample (§1.5), byte for byte.
        Assert.StartsWith("""{"Data":{"myQueueItem":"\"{\\\"hello\\\":\\\"world\\\"}\""},"Metadata":{"MessageReceiver":{""", payload, StringComparison.Ordinal);
        Assert.Contains("\"DeliveryCount\":\"1\"", payload, StringComparison.Ordinal);
        Assert.Contains($"\"LockToken\":\"\\\"{message.LockToken}\\\"\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"ExpiresAtUtc\":\"\\\"2020-10-22T21:49:35.809Z\\\"\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"EnqueuedTimeUtc\":\"\\\"2020-10-08T21:49:35.809Z\\\"\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"EnqueuedTime\":\"\\\"2020-10-08T21:49:35.809+00:00\\\"\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"MessageId\":\"\\\"088fb2b9aede42e7a154dbc7f803a566\\\"\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"ContentType\":\"\\\"application/json\\\"\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"SequenceNumber\":\"1\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"UserProperties\":{\"Sec-Fetch-Site\":\"cross-site\"}", payload, StringComparison.Ordinal);
        Assert.EndsWith("\"hello\":\"\\\"world\\\"\"}}", payload, StringComparison.Ordinal);
        var metadataKeys = JsonDocument.Parse(payload).RootElement.GetProperty("Metadata").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(
            ["MessageReceiver", "MessageActions", "ReceiveActions", "Client", "DeliveryCount", "LockToken", "ExpiresAtUtc", "ExpiresAt", "EnqueuedTimeUtc",
             "EnqueuedTime", "MessageId", "ContentType", "SequenceNumber", "ApplicationProperties", "UserProperties", "sys", "hello"],
            metadataKeys);
    }

    [Fact]
    public async Task Non_object_bodies_are_not_promoted_and_never_expiring_messages_expire_at_max_value()
    {
        var (_, payload) = await DeliverAsync(new QueueMessage { Body = "plain \"text\" é <b>", MessageId = "m", ContentType = null });

        using var document = JsonDocument.Parse(payload);
        Assert.Equal("\"plain \\\"text\\\" é <b>\"", document.RootElement.GetProperty("Data").GetProperty("myQueueItem").GetString());
        var metadata = document.RootElement.GetProperty("Metadata");
        Assert.False(metadata.TryGetProperty("ContentType", out _));
        Assert.Equal("\"9999-12-31T23:59:59.9999999Z\"", metadata.GetProperty("ExpiresAtUtc").GetString());
        Assert.Contains("é <b>", payload, StringComparison.Ordinal); // not \u-escaped, like Newtonsoft
    }

    [Fact]
    public async Task Promoted_body_properties_do_not_override_the_triggers_own_metadata()
    {
        var (_, payload) = await DeliverAsync(new QueueMessage { Body = """{"MessageId":"spoof","sys":1,"items":[1,2],"flag":true,"none":null}""", MessageId = "real" });

        var metadata = JsonDocument.Parse(payload).RootElement.GetProperty("Metadata");
        Assert.Equal("\"real\"", metadata.GetProperty("MessageId").GetString());
        Assert.Equal(JsonValueKind.Object, metadata.GetProperty("sys").ValueKind);
        Assert.Equal("[1,2]", metadata.GetProperty("items").GetString());
        Assert.Equal("true", metadata.GetProperty("flag").GetString());
        Assert.Equal("null", metadata.GetProperty("none").GetString());
    }

    // azure-service-bus-amqp.md §3.4: the SDK signs amqps://HOST/ while the audience is amqp://HOST/queue; encoders differ in case.
    [Fact]
    public void A_SAS_token_is_checked_by_host_and_path_ignoring_scheme_port_and_percent_encoding_case()
    {
        const string Key = "secret-key";
        var validator = new CbsTokenValidator("RootManageSharedAccessKey", Key);
        var now = DateTimeOffset.UtcNow;
        var token = TestHandler.SasToken.Create("amqps://127.0.0.1/", "RootManageSharedAccessKey", Key, now.AddMinutes(1));
        var lowerCased = System.Text.RegularExpressions.Regex.Replace(token, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());
        var forQueue = TestHandler.SasToken.Create("sb://127.0.0.1:5672/orders", "RootManageSharedAccessKey", Key, now.AddMinutes(1));

        Assert.Equal(("orders", true), (validator.Validate(token, "amqp://127.0.0.1/orders", now).Path, validator.Validate(token, "amqp://127.0.0.1/orders", now).IsGranted));
        Assert.True(validator.Validate(lowerCased, "amqp://127.0.0.1/orders", now).IsGranted);
        Assert.True(validator.Validate(forQueue, "amqp://127.0.0.1/ORDERS", now).IsGranted);
        Assert.True(validator.Validate(forQueue, "amqp://127.0.0.1/orders/$management", now).IsGranted);
        Assert.StartsWith("InvalidAudience", validator.Validate(forQueue, "amqp://127.0.0.1/orders2", now).Error, StringComparison.Ordinal);
        Assert.StartsWith("InvalidAudience", validator.Validate(token, "amqp://localhost/orders", now).Error, StringComparison.Ordinal);
        Assert.StartsWith("ExpiredToken", validator.Validate(token, "amqp://127.0.0.1/orders", now.AddMinutes(2)).Error, StringComparison.Ordinal);
        Assert.StartsWith("InvalidSignature", new CbsTokenValidator("RootManageSharedAccessKey", "other").Validate(token, "amqp://127.0.0.1/orders", now).Error, StringComparison.Ordinal);
        Assert.StartsWith("InvalidSignature", new CbsTokenValidator("SendOnly", Key).Validate(token, "amqp://127.0.0.1/orders", now).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_json_settings_are_expanded_and_schedules_validated()
    {
        var error = Assert.Throws<FunctionsHostStartupException>(() => FunctionLoader.Parse(
            "Timer", "/x/Timer", """{ "bindings": [ { "name": "t", "type": "timerTrigger", "direction": "in", "schedule": "%S%" } ] }""",
            new Dictionary<string, string> { ["S"] = "*/5 * * * *" }, enableProxying: true));
        Assert.Contains("six fields", error.Message, StringComparison.Ordinal);

        var http = FunctionLoader.Parse(
            "WithQueueOutput", "/x/W", """
            { "bindings": [ { "name": "req", "type": "httpTrigger", "direction": "in" }, { "name": "res", "type": "http", "direction": "out" },
                            { "name": "out", "type": "serviceBus", "direction": "out", "queueName": "orders" } ] }
            """, new Dictionary<string, string>(), enableProxying: true);
        Assert.Equal(("WithQueueOutput", "function", false), (http.Route, http.AuthLevel, http.IsProxied)); // §1.7: not "HTTP in and out"
        Assert.Empty(http.Methods);
    }
}
