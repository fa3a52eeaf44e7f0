using System.Net;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Connector.Sandbox.Functions.TestHandler;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Connector.Sandbox.Functions.Tests;

public sealed class ServiceBusTests(ITestOutputHelper output)
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);

    // Reference §3 (the whole sending path: SASL, $cbs, sender link, transfer) and §3.10 (application property types).
    [Fact]
    public async Task A_message_sent_with_the_SDK_arrives_with_the_double_encoded_body_and_the_hosts_metadata()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        var message = Bus.Json("""{"hello":"world","count":5,"shop":{"id":"s1"}}""", "m-1");
        message.CorrelationId = "c-1";
        message.Subject = "order";
        message.TimeToLive = TimeSpan.FromHours(1);
        message.ApplicationProperties["Priority"] = "High";
        message.ApplicationProperties["Attempt"] = 2;

        await Bus.SendAsync(host, "orders", message);
        await host.WaitForIdleAsync(IdleTimeout);

        var invocation = Assert.Single(await handler.InvocationsOfAsync("ProcessOrderMessage"));
        output.WriteLine(invocation.Body);
        // The captured sample's double encoding: Data.msg is a JSON string whose content is the JSON-encoded body.
        Assert.Contains("""{"Data":{"msg":"\"{\\\"hello\\\":\\\"world\\\",\\\"count\\\":5,\\\"shop\\\":{\\\"id\\\":\\\"s1\\\"}}\""},""", invocation.Body, StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(invocation.Body);
        var data = payload.RootElement.GetProperty("Data").GetProperty("msg");
        Assert.Equal("""{"hello":"world","count":5,"shop":{"id":"s1"}}""", Payload.Unwrap(data));
        var metadata = payload.RootElement.GetProperty("Metadata");
        Assert.Equal("\"m-1\"", metadata.GetProperty("MessageId").GetString());
        Assert.Equal("1", metadata.GetProperty("DeliveryCount").GetString());
        Assert.Equal("1", metadata.GetProperty("SequenceNumber").GetString());
        Assert.Equal("\"application/json\"", metadata.GetProperty("ContentType").GetString());
        Assert.Equal("\"c-1\"", metadata.GetProperty("CorrelationId").GetString());
        Assert.Equal("\"order\"", metadata.GetProperty("Label").GetString());
        Assert.Equal("\"order\"", metadata.GetProperty("Subject").GetString());
        Assert.Matches("^\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"$", metadata.GetProperty("LockToken").GetString());
        Assert.Matches("""^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"$""", metadata.GetProperty("EnqueuedTimeUtc").GetString());
        Assert.Matches("""^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00"$""", metadata.GetProperty("EnqueuedTime").GetString());
        var enqueued = DateTimeOffset.Parse(JsonSerializer.Deserialize<string>(metadata.GetProperty("EnqueuedTimeUtc").GetString()!)!, System.Globalization.CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse(JsonSerializer.Deserialize<string>(metadata.GetProperty("ExpiresAtUtc").GetString()!)!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(1), expires - enqueued);
        Assert.True(metadata.TryGetProperty("ExpiresAt", out _));
        Assert.Equal("High", metadata.GetProperty("UserProperties").GetProperty("Priority").GetString());
        Assert.Equal(2, metadata.GetProperty("UserProperties").GetProperty("Attempt").GetInt32());
        Assert.Equal("High", metadata.GetProperty("ApplicationProperties").GetProperty("Priority").GetString());
        Assert.Equal(JsonValueKind.Object, metadata.GetProperty("MessageReceiver").ValueKind);
        Assert.Equal(JsonValueKind.Object, metadata.GetProperty("MessageActions").ValueKind);
        Assert.Equal(JsonValueKind.Object, metadata.GetProperty("Client").ValueKind);
        Assert.Equal("ProcessOrderMessage", metadata.GetProperty("sys").GetProperty("MethodName").GetString());
        Assert.True(Guid.TryParse(metadata.GetProperty("sys").GetProperty("RandGuid").GetString(), out _));
        // Top-level body properties promoted into Metadata: scalars JSON-encoded, objects as objects.
        Assert.Equal("\"world\"", metadata.GetProperty("hello").GetString());
        Assert.Equal("5", metadata.GetProperty("count").GetString());
        Assert.Equal("s1", metadata.GetProperty("shop").GetProperty("id").GetString());
        Assert.False(metadata.TryGetProperty("SessionId", out _)); // null values are left out
        Assert.True(Guid.TryParse(invocation.Headers["X-Azure-Functions-InvocationId"], out _));
        Assert.StartsWith("application/json", invocation.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(["m-1"], host.GetQueue("orders").Completed);
    }

    // Reference §2 and §3.9: duplicate detection by MessageId; both sends succeed, one message is kept.
    [Fact]
    public async Task The_same_MessageId_sent_twice_is_accepted_twice_and_delivered_once()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        await using var client = Bus.Client(host);
        await using var sender = client.CreateSender("orders");

        await sender.SendMessageAsync(Bus.Json("{\"n\":1}", "dup-1"));
        await sender.SendMessageAsync(Bus.Json("{\"n\":2}", "dup-1"));
        await sender.SendMessageAsync(Bus.Json("{\"n\":3}"));
        await sender.SendMessageAsync(Bus.Json("{\"n\":3}")); // no MessageId: a generated one each time
        await host.WaitForIdleAsync(IdleTimeout);

        var queue = host.GetQueue("orders");
        Assert.Equal(1, queue.DuplicatesDropped);
        Assert.Equal(3, queue.Sent.Count);
        Assert.Equal(3, (await handler.InvocationsOfAsync("ProcessOrderMessage")).Count);
        Assert.Single(queue.Completed, id => id == "dup-1");
        Assert.Equal("{\"n\":1}", queue.CompletedMessages.Single(m => m.MessageId == "dup-1").Body);
        Assert.All(queue.Sent, m => Assert.False(string.IsNullOrEmpty(m.MessageId)));
    }

    [Fact]
    public async Task A_handler_answering_500_gets_redeliveries_with_increasing_DeliveryCount_then_the_message_is_dead_lettered()
    {
        using var root = ScriptRoot.Create();
        var options = root.Options(output);
        options.MaxDeliveryCount = 3;
        await using var host = await FunctionsHost.StartAsync(options);
        using var handler = new HandlerControl(host.HandlerUrl);
        await handler.ScriptAsync(new Script("ProcessOrderMessage", Always: new ScriptedResponse(500, "boom")));

        await Bus.SendAsync(host, "orders", "{\"order\":\"o-1\"}", "poison-1");
        await host.WaitForIdleAsync(IdleTimeout);

        var invocations = await handler.InvocationsOfAsync("ProcessOrderMessage");
        var metadata = invocations.Select(i => JsonDocument.Parse(i.Body).RootElement.GetProperty("Metadata")).ToList();
        Assert.Equal(["1", "2", "3"], metadata.Select(m => m.GetProperty("DeliveryCount").GetString()));
        Assert.Equal(3, metadata.Select(m => m.GetProperty("LockToken").GetString()).Distinct().Count()); // a new lock per delivery
        var queue = host.GetQueue("orders");
        var dead = Assert.Single(queue.DeadLetters);
        Assert.Equal(("poison-1", 3, "MaxDeliveryCountExceeded", "{\"order\":\"o-1\"}"), (dead.MessageId, dead.DeliveryCount, dead.DeadLetterReason, dead.Body));
        Assert.Contains("500", dead.DeadLetterErrorDescription, StringComparison.Ordinal);
        Assert.Contains("boom", dead.DeadLetterErrorDescription, StringComparison.Ordinal);
        Assert.Empty(queue.Completed);
        Assert.Equal((0, 0), (queue.ActiveCount, queue.InFlightCount));
        Assert.All(host.Invocations, i => Assert.False(i.Succeeded));
    }

    [Fact]
    public async Task An_empty_or_non_json_or_non_result_2xx_body_counts_as_a_failed_delivery()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        await handler.ScriptAsync(new Script("ProcessOrderMessage", Responses:
        [
            new ScriptedResponse(200, string.Empty),
            new ScriptedResponse(200, "OK", ContentType: "text/plain"),
            new ScriptedResponse(204, string.Empty),
            new ScriptedResponse(200, "{\"ok\":true}"),
        ]));

        await Bus.SendAsync(host, "orders", "{}", "m-empty");
        await host.WaitForIdleAsync(IdleTimeout);

        // The four scripted answers each fail a delivery; the next (default JSON result) completes the message.
        // On a loaded machine a delivery can also fail in transport, which only adds a redelivery.
        var deliveries = await handler.InvocationsOfAsync("ProcessOrderMessage");
        Assert.True(deliveries.Count >= 5, $"expected at least 5 deliveries, saw {deliveries.Count}");
        var lastDeliveryCount = int.Parse(
            JsonDocument.Parse(deliveries[^1].Body).RootElement.GetProperty("Metadata").GetProperty("DeliveryCount").GetString()!,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(lastDeliveryCount >= deliveries.Count, $"the last delivery says {lastDeliveryCount}, the handler saw {deliveries.Count}");
        Assert.Equal(["m-empty"], host.GetQueue("orders").Completed);
        Assert.Equal(lastDeliveryCount, host.GetQueue("orders").CompletedMessages[0].DeliveryCount);
        Assert.Equal([false, false, false, false], host.Invocations.Take(4).Select(i => i.Succeeded));
        Assert.True(host.Invocations[^1].Succeeded);
    }

    // Reference §2 (CreateMessageBatchAsync/TryAddMessage) and §3.6: several messages travel as one transfer of format 0x80013700.
    [Fact]
    public async Task A_batch_built_with_TryAddMessage_arrives_as_one_message_each_in_order_with_its_properties()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        await using var client = Bus.Client(host);
        await using var sender = client.CreateSender("orders");
        using var batch = await sender.CreateMessageBatchAsync();
        for (var n = 1; n <= 5; n++)
        {
            var message = Bus.Json($$"""{"n":{{n}}}""", $"b-{n}");
            message.ApplicationProperties["kind"] = "order";
            message.ApplicationProperties["n"] = n;
            Assert.True(batch.TryAddMessage(message));
        }

        Assert.True(batch.TryAddMessage(new ServiceBusMessage("plain text") { MessageId = "b-6", ContentType = "text/plain" }));

        await sender.SendMessagesAsync(batch);
        await host.WaitForIdleAsync(IdleTimeout);

        var queue = host.GetQueue("orders");
        Assert.Equal(["b-1", "b-2", "b-3", "b-4", "b-5", "b-6"], queue.Sent.OrderBy(m => m.SequenceNumber).Select(m => m.MessageId));
        Assert.Equal(["b-1", "b-2", "b-3", "b-4", "b-5", "b-6"], queue.Completed.Order());
        var payloads = (await handler.InvocationsOfAsync("ProcessOrderMessage"))
            .Select(i => JsonDocument.Parse(i.Body).RootElement)
            .ToDictionary(p => Payload.Unwrap(p.GetProperty("Metadata").GetProperty("MessageId")));
        Assert.Equal("{\"n\":2}", Payload.Unwrap(payloads["b-2"].GetProperty("Data").GetProperty("msg")));
        Assert.Equal("order", payloads["b-2"].GetProperty("Metadata").GetProperty("UserProperties").GetProperty("kind").GetString());
        Assert.Equal(2, payloads["b-2"].GetProperty("Metadata").GetProperty("UserProperties").GetProperty("n").GetInt32());
        Assert.Equal("plain text", Payload.Unwrap(payloads["b-6"].GetProperty("Data").GetProperty("msg")));
        Assert.Equal("\"text/plain\"", payloads["b-6"].GetProperty("Metadata").GetProperty("ContentType").GetString());
    }

    // Reference §2 and §3.6: ScheduledEnqueueTime travels as the x-opt-scheduled-enqueue-time annotation; the emulation's clock decides.
    [Fact]
    public async Task A_message_with_ScheduledEnqueueTime_stays_invisible_until_the_hosts_clock_reaches_it()
    {
        using var root = ScriptRoot.Create();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = root.Options(output);
        options.TimeProvider = clock;
        await using var host = await FunctionsHost.StartAsync(options);
        using var handler = new HandlerControl(host.HandlerUrl);
        var message = Bus.Json("{}", "later");
        message.ScheduledEnqueueTime = clock.GetUtcNow().AddMinutes(5);

        await Bus.SendAsync(host, "orders", message);
        await Task.Delay(300);
        var queue = host.GetQueue("orders");
        Assert.Equal((1, 0), (queue.ScheduledCount, queue.ActiveCount));
        Assert.Equal(message.ScheduledEnqueueTime.ToUnixTimeMilliseconds(), queue.Sent.Single().ScheduledEnqueueTimeUtc?.ToUnixTimeMilliseconds());
        clock.Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(300);
        Assert.Empty(await handler.InvocationsOfAsync("ProcessOrderMessage"));
        clock.Advance(TimeSpan.FromMinutes(1));
        await host.WaitForIdleAsync(IdleTimeout);

        Assert.Single(await handler.InvocationsOfAsync("ProcessOrderMessage"));
        Assert.Equal(["later"], queue.Completed);
    }

    [Fact]
    public async Task A_session_queue_delivers_each_session_in_order_one_message_at_a_time()
    {
        using var root = ScriptRoot.Create(standardFunctions: false);
        root.AddFunction("ProcessSession", """
            { "bindings": [ { "name": "msg", "type": "serviceBusTrigger", "direction": "in", "queueName": "sessions", "isSessionsEnabled": true, "connection": "ServiceBusConnection" } ] }
            """);
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        await handler.ScriptAsync(new Script("ProcessSession", Always: new ScriptedResponse(DelayMs: 100)));

        await using var client = Bus.Client(host);
        await using var sender = client.CreateSender("sessions");
        // Reference §3.7: Rejected amqp:not-allowed surfaces as InvalidOperationException, not retried.
        var withoutSession = await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendMessageAsync(Bus.Json("{}", "x")));
        foreach (var n in Enumerable.Range(1, 3))
        {
            foreach (var session in new[] { "a", "b" })
            {
                var message = Bus.Json($$"""{"session":"{{session}}","n":{{n}}}""");
                message.SessionId = session;
                await sender.SendMessageAsync(message);
            }
        }

        await host.WaitForIdleAsync(IdleTimeout);

        Assert.Contains("The SessionId was not set on a message, and it cannot be sent to the entity 'sessions'", withoutSession.Message, StringComparison.Ordinal);
        Assert.Equal(6, host.GetQueue("sessions").Sent.Count);
        var invocations = await handler.InvocationsOfAsync("ProcessSession");
        Assert.Equal(6, invocations.Count);
        foreach (var session in new[] { "a", "b" })
        {
            var ofSession = invocations
                .Where(i => JsonDocument.Parse(i.Body).RootElement.GetProperty("Metadata").GetProperty("SessionId").GetString() == $"\"{session}\"")
                .OrderBy(i => i.Sequence)
                .ToList();
            Assert.Equal([1, 2, 3], ofSession.Select(i => JsonDocument.Parse(Payload.Unwrap(JsonDocument.Parse(i.Body).RootElement.GetProperty("Data").GetProperty("msg"))).RootElement.GetProperty("n").GetInt32()));
            for (var i = 1; i < ofSession.Count; i++)
            {
                Assert.True(ofSession[i].ReceivedAt >= ofSession[i - 1].CompletedAt, $"session {session}: delivery {i + 1} started before delivery {i} finished");
            }
        }
    }

    [Fact]
    public async Task Deliveries_in_flight_never_exceed_maxConcurrentCalls()
    {
        using var root = ScriptRoot.Create();
        root.WriteHostJson(root.DefaultHostJson(maxConcurrentCalls: 2));
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        await handler.ScriptAsync(new Script("ProcessOrderMessage", Always: new ScriptedResponse(DelayMs: 300)));

        await using var client = Bus.Client(host);
        await using var sender = client.CreateSender("orders");
        for (var i = 0; i < 6; i++)
        {
            await sender.SendMessageAsync(Bus.Json("{}"));
        }

        await host.WaitForIdleAsync(IdleTimeout);

        var invocations = await handler.InvocationsOfAsync("ProcessOrderMessage");
        var maxOverlap = invocations.Max(a => invocations.Count(b => b.ReceivedAt <= a.ReceivedAt && b.CompletedAt > a.ReceivedAt));
        Assert.Equal(6, invocations.Count);
        Assert.Equal(2, maxOverlap);
    }

    [Fact]
    public async Task The_handler_can_send_with_the_ServiceBusConnection_setting_it_was_started_with()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);

        var (status, error) = await handler.SendThroughHandlerAsync("orders", "{\"from\":\"handler\"}", "from-handler");
        await host.WaitForIdleAsync(IdleTimeout);

        Assert.True(status == 201, error);
        Assert.Equal(["from-handler"], host.GetQueue("orders").Completed);
    }

    [Fact]
    public async Task WaitForIdleAsync_times_out_while_a_delivery_runs_and_returns_once_the_queue_drained()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        await handler.ScriptAsync(new Script("ProcessOrderMessage", Responses: [new ScriptedResponse(DelayMs: 1500)]));

        await Bus.SendAsync(host, "orders", "{}", "slow");
        var busy = await Assert.ThrowsAsync<TimeoutException>(() => host.WaitForIdleAsync(TimeSpan.FromMilliseconds(300)));
        await host.WaitForIdleAsync(IdleTimeout);

        Assert.Contains("orders", busy.Message, StringComparison.Ordinal);
        var queue = host.GetQueue("orders");
        Assert.Equal(["slow"], queue.Completed);
        Assert.Equal((0, 0, 0), (queue.ActiveCount, queue.InFlightCount, queue.ScheduledCount));
    }

    [Fact]
    public async Task Messages_put_on_a_queue_directly_are_delivered_like_sent_ones()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));

        var message = host.GetQueue("orders").Send(new QueueMessage { Body = "{\"direct\":true}", MessageId = "direct-1" });
        var duplicate = host.GetQueue("orders").Send(new QueueMessage { Body = "{\"direct\":true}", MessageId = "direct-1" });
        await host.WaitForIdleAsync(IdleTimeout);

        Assert.NotNull(message);
        Assert.Null(duplicate);
        Assert.Equal(["direct-1"], host.GetQueue("orders").Completed);
    }

    [Fact]
    public async Task InvokeRawAsync_posts_any_payload_to_the_function_with_the_host_headers()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);

        using var response = await host.InvokeRawAsync("ProcessOrderMessage", "{\"Data\":{\"msg\":42}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(await handler.InvocationsOfAsync("ProcessOrderMessage"));
        Assert.Equal("{\"Data\":{\"msg\":42}", received.Body);
        Assert.True(received.Headers.ContainsKey("X-Azure-Functions-InvocationId"));
    }
}
