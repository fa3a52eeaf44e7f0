using System.Net;
using System.Text.Json;
using Connector.Sandbox.Functions.TestHandler;
using Xunit.Abstractions;

namespace Connector.Sandbox.Functions.Tests;

public sealed class ServiceBusTests(ITestOutputHelper output)
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_message_sent_with_a_valid_SAS_arrives_with_the_double_encoded_body_and_the_hosts_metadata()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);

        using var sent = await Bus.SendAsync(
            host,
            "orders",
            """{"hello":"world","count":5,"shop":{"id":"s1"}}""",
            """{"MessageId":"m-1","CorrelationId":"c-1","Label":"order","TimeToLive":3600}""",
            headers: new Dictionary<string, string> { ["Priority"] = "\"High\"", ["Attempt"] = "2" });
        await host.WaitForIdleAsync(IdleTimeout);

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
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

    [Fact]
    public async Task Sends_with_a_missing_wrong_expired_or_foreign_token_are_rejected_with_401()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        var badTokens = new (string Case, string? Token)[]
        {
            ("missing", null),
            ("wrong key", Bus.Token(host, key: Convert.ToBase64String(new byte[32]))),
            ("expired", Bus.Token(host, expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1))),
            ("unknown key name", Bus.Token(host, keyName: "SendOnly")),
            ("other queue", Bus.Token(host, resourcePath: "other")),
            ("bearer", "Bearer eyJhbGciOi"),
            ("tampered", Bus.Token(host).Replace("&se=", "&se=9", StringComparison.Ordinal)),
        };

        foreach (var (name, token) in badTokens)
        {
            using var response = await Bus.SendAsync(host, "orders", "{}", authorization: token);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await Bus.SendOkAsync(host, "orders", "{}");
        Assert.Single(host.GetQueue("orders").Sent);
    }

    [Fact]
    public async Task Tokens_for_the_namespace_or_the_queue_with_http_https_or_sb_schemes_are_accepted_and_an_unknown_queue_is_410()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        var port = host.ServiceBusUrl.Port;
        var key = host.SharedAccessKey;
        var expiry = DateTimeOffset.UtcNow.AddMinutes(5);
        var goodTokens = new[]
        {
            SasToken.Create($"http://127.0.0.1:{port}/", FunctionsHost.SharedAccessKeyName, key, expiry),
            SasToken.Create($"https://127.0.0.1:{port}/orders", FunctionsHost.SharedAccessKeyName, key, expiry),
            SasToken.Create($"sb://127.0.0.1:{port}/", FunctionsHost.SharedAccessKeyName, key, expiry),
            SasToken.Create($"http://localhost:{port}/orders/messages", FunctionsHost.SharedAccessKeyName, key, expiry),
            ServiceBusSas.CreateToken($"https://127.0.0.1:{port}/ORDERS", FunctionsHost.SharedAccessKeyName, key, expiry), // WebUtility.UrlEncode flavour
            host.CreateSasToken(),
        };

        foreach (var token in goodTokens)
        {
            using var response = await Bus.SendAsync(host, "orders", "{}", authorization: token);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{token}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        using var unknown = await Bus.SendAsync(host, "nope", "{}", authorization: host.CreateSasToken());
        Assert.Equal(HttpStatusCode.Gone, unknown.StatusCode);
        await host.WaitForIdleAsync(IdleTimeout);
        Assert.Equal(goodTokens.Length, host.GetQueue("orders").Completed.Count);
    }

    [Fact]
    public async Task The_same_MessageId_sent_twice_is_accepted_twice_and_delivered_once()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);

        await Bus.SendOkAsync(host, "orders", "{\"n\":1}", """{"MessageId":"dup-1"}""");
        await Bus.SendOkAsync(host, "orders", "{\"n\":2}", """{"MessageId":"dup-1"}""");
        await Bus.SendOkAsync(host, "orders", "{\"n\":3}");
        await Bus.SendOkAsync(host, "orders", "{\"n\":3}"); // no MessageId: a generated one each time
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

        await Bus.SendOkAsync(host, "orders", "{\"order\":\"o-1\"}", """{"MessageId":"poison-1"}""");
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

        await Bus.SendOkAsync(host, "orders", "{}", """{"MessageId":"m-empty"}""");
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

    [Fact]
    public async Task A_batch_send_delivers_every_message_with_its_properties()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        const string Batch = """
            [
              { "Body": "{\"n\":1}", "BrokerProperties": { "MessageId": "b-1", "ContentType": "application/json" }, "UserProperties": { "kind": "order", "n": 1 } },
              { "Body": "{\"n\":2}", "BrokerProperties": { "MessageId": "b-2", "ContentType": "application/json" }, "UserProperties": { "kind": "order", "n": 2 } },
              { "Body": "plain text", "BrokerProperties": { "MessageId": "b-3", "ContentType": "text/plain" } }
            ]
            """;

        using var response = await Bus.SendAsync(host, "orders", Batch, contentType: "application/vnd.microsoft.servicebus.json");
        await host.WaitForIdleAsync(IdleTimeout);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["b-1", "b-2", "b-3"], host.GetQueue("orders").Completed.Order());
        var payloads = (await handler.InvocationsOfAsync("ProcessOrderMessage"))
            .Select(i => JsonDocument.Parse(i.Body).RootElement)
            .ToDictionary(p => Payload.Unwrap(p.GetProperty("Metadata").GetProperty("MessageId")));
        Assert.Equal("{\"n\":2}", Payload.Unwrap(payloads["b-2"].GetProperty("Data").GetProperty("msg")));
        Assert.Equal("order", payloads["b-2"].GetProperty("Metadata").GetProperty("UserProperties").GetProperty("kind").GetString());
        Assert.Equal(2, payloads["b-2"].GetProperty("Metadata").GetProperty("UserProperties").GetProperty("n").GetInt32());
        Assert.Equal("plain text", Payload.Unwrap(payloads["b-3"].GetProperty("Data").GetProperty("msg")));
        Assert.Equal("\"text/plain\"", payloads["b-3"].GetProperty("Metadata").GetProperty("ContentType").GetString());
    }

    [Fact]
    public async Task A_scheduled_message_is_delivered_only_after_its_ScheduledEnqueueTimeUtc()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        var at = DateTimeOffset.UtcNow.AddSeconds(3); // RFC 1123 keeps whole seconds: due 2-3 s from now

        await Bus.SendOkAsync(host, "orders", "{}", $$"""{"MessageId":"later","ScheduledEnqueueTimeUtc":"{{at.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}"}""");
        await Task.Delay(300);
        Assert.Equal((1, 0), (host.GetQueue("orders").ScheduledCount, host.GetQueue("orders").ActiveCount));
        Assert.Empty(await handler.InvocationsOfAsync("ProcessOrderMessage"));
        await host.WaitForIdleAsync(IdleTimeout);

        var invocation = Assert.Single(await handler.InvocationsOfAsync("ProcessOrderMessage"));
        Assert.True(invocation.ReceivedAt >= at.AddSeconds(-1), $"delivered at {invocation.ReceivedAt:O}, scheduled for {at:O}");
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

        using var withoutSession = await Bus.SendAsync(host, "sessions", "{}", """{"MessageId":"x"}""");
        foreach (var n in Enumerable.Range(1, 3))
        {
            foreach (var session in new[] { "a", "b" })
            {
                await Bus.SendOkAsync(host, "sessions", $$"""{"session":"{{session}}","n":{{n}}}""", $$"""{"SessionId":"{{session}}"}""");
            }
        }

        await host.WaitForIdleAsync(IdleTimeout);

        Assert.Equal(HttpStatusCode.BadRequest, withoutSession.StatusCode);
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

        for (var i = 0; i < 6; i++)
        {
            await Bus.SendOkAsync(host, "orders", "{}");
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

        var status = await handler.SendThroughHandlerAsync("orders", "{\"from\":\"handler\"}", """{"MessageId":"from-handler"}""");
        await host.WaitForIdleAsync(IdleTimeout);

        Assert.Equal(201, status);
        Assert.Equal(["from-handler"], host.GetQueue("orders").Completed);
    }

    [Fact]
    public async Task WaitForIdleAsync_times_out_while_a_delivery_runs_and_returns_once_the_queue_drained()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        await handler.ScriptAsync(new Script("ProcessOrderMessage", Responses: [new ScriptedResponse(DelayMs: 1500)]));

        await Bus.SendOkAsync(host, "orders", "{}", """{"MessageId":"slow"}""");
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
