using System.Text;
using System.Text.Json;
using Amqp;
using Amqp.Framing;
using Azure.Messaging.ServiceBus;
using Xunit.Abstractions;

namespace Connector.Sandbox.Functions.Tests;

/// <summary>
/// What the emulated broker enforces, driven by the real SDK where it can send the case and by a raw AMQPNetLite client where it
/// cannot. Section numbers refer to shared/reference/azure-service-bus-amqp.md.
/// </summary>
public sealed class ServiceBusBrokerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);

    // §3.4 and §2: a wrong key fails put-token with 401, which the SDK surfaces as UnauthorizedAccessException.
    [Fact]
    public async Task A_sender_with_a_wrong_key_is_refused_and_nothing_is_enqueued()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        var wrongKey = host.ServiceBusConnectionString.Replace(host.SharedAccessKey, Convert.ToBase64String(new byte[32]), StringComparison.Ordinal);
        await using var client = new ServiceBusClient(wrongKey, Bus.Options());
        await using var sender = client.CreateSender("orders");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendMessageAsync(Bus.Json("{}", "never")));

        Assert.True(error is UnauthorizedAccessException or ServiceBusException, error.ToString());
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Empty(host.GetQueue("orders").Sent);
    }

    // §3.3 and §3.4: status-code is an AMQP int; a wrong key name, an expired token, a tampered one or a foreign host are 401.
    [Fact]
    public async Task Put_token_answers_401_as_an_int_for_a_wrong_key_name_an_expired_tampered_or_foreign_token()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        await using var amqp = await RawAmqpClient.ConnectAsync(host);
        var refused = new (string Case, string Token)[]
        {
            ("wrong key", amqp.Token(key: Convert.ToBase64String(new byte[32]))),
            ("wrong key name", amqp.Token(keyName: "SendOnly")),
            ("expired", amqp.Token(expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1))),
            ("tampered expiry", amqp.Token().Replace("&se=", "&se=9", StringComparison.Ordinal)),
            ("other host", amqp.Token(resource: "amqps://contoso.servicebus.windows.net/")),
            ("other queue", amqp.Token(resource: "amqps://127.0.0.1/other")),
            ("not a SAS", "Bearer eyJhbGciOi"),
        };

        foreach (var (name, token) in refused)
        {
            var (status, description) = await amqp.PutTokenAsync("orders", token);
            Assert.True(status is 401, $"{name}: {status} ({status?.GetType().Name}) {description}");
        }

        var (okStatus, okDescription) = await amqp.PutTokenAsync("orders", amqp.Token());
        Assert.True(okStatus is 200, $"valid: {okStatus} ({okStatus?.GetType().Name}) {okDescription}");
    }

    // §3.3: the $cbs node knows put-token with SAS tokens only; Entra (JWT) tokens cannot be checked locally.
    [Fact]
    public async Task Put_token_answers_400_for_another_operation_or_token_type_and_401_for_a_JWT()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        await using var amqp = await RawAmqpClient.ConnectAsync(host);

        var (otherOperation, _) = await amqp.PutTokenAsync("orders", amqp.Token(), operation: "get-token");
        var (otherType, _) = await amqp.PutTokenAsync("orders", amqp.Token(), type: "amqp:swt");
        var (jwt, jwtDescription) = await amqp.PutTokenAsync("orders", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", type: "jwt");
        var refusedLink = await Assert.ThrowsAsync<AmqpException>(() => amqp.SendAsync("orders", new Message("{}")));

        Assert.Equal((400, 400, 401), (otherOperation, otherType, jwt));
        Assert.Contains("Entra", jwtDescription, StringComparison.Ordinal);
        Assert.Equal("amqp:unauthorized-access", refusedLink.Error.Condition.ToString());
    }

    // §3.4: scheme and port are ignored, host and path compared; the resource may be the namespace or the queue itself.
    [Fact]
    public async Task Put_token_accepts_the_namespace_or_the_queue_with_any_scheme_or_port()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        await using var amqp = await RawAmqpClient.ConnectAsync(host);
        var port = host.ServiceBusEndpoint.Port;

        foreach (var resource in new[] { "amqps://127.0.0.1/", "amqp://127.0.0.1/orders", $"sb://127.0.0.1:{port}/", $"https://127.0.0.1:{port}/ORDERS" })
        {
            var (status, description) = await amqp.PutTokenAsync("orders", amqp.Token(resource: resource));
            Assert.True(status is 200, $"{resource}: {status} {description}");
        }
    }

    // §3.5: a sender link needs a token for its queue put on the same connection; otherwise amqp:unauthorized-access.
    [Fact]
    public async Task A_sender_link_without_a_token_for_its_queue_on_its_connection_is_refused()
    {
        using var root = ScriptRoot.Create(standardFunctions: false);
        var options = root.Options(output);
        options.Queues.Add("orders");
        options.Queues.Add("other");
        await using var host = await FunctionsHost.StartAsync(options);
        await using var amqp = await RawAmqpClient.ConnectAsync(host);

        var withoutToken = await Assert.ThrowsAsync<AmqpException>(() => amqp.SendAsync("orders", new Message("{}")));
        var (status, _) = await amqp.PutTokenAsync("other", amqp.Token(resource: "amqps://127.0.0.1/other"));
        var otherQueuesToken = await Assert.ThrowsAsync<AmqpException>(() => amqp.SendAsync("orders", new Message("{}")));
        await using var secondConnection = await RawAmqpClient.ConnectAsync(host);
        await amqp.PutTokenAsync("orders", amqp.Token());
        var tokenOnAnotherConnection = await Assert.ThrowsAsync<AmqpException>(() => secondConnection.SendAsync("orders", new Message("{}")));
        var granted = await amqp.SendAsync("orders", new Message("{}"));

        Assert.Equal(200, status);
        Assert.All([withoutToken, otherQueuesToken, tokenOnAnotherConnection], e => Assert.Equal("amqp:unauthorized-access", e.Error.Condition.ToString()));
        Assert.IsType<Accepted>(granted);
        Assert.Single(host.GetQueue("orders").Sent);
        Assert.Empty(host.GetQueue("other").Sent);
    }

    // §3.7: an unknown entity at attach is amqp:not-found, which the SDK reports as MessagingEntityNotFound.
    [Fact]
    public async Task Sending_to_an_unknown_queue_fails_with_MessagingEntityNotFound()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        await using var client = Bus.Client(host);
        await using var sender = client.CreateSender("nope");

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(Bus.Json("{}")));

        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, error.Reason);
    }

    // §3.5 and §4: max-message-size 262144 is announced, so the SDK refuses an over-size message before sending it.
    [Fact]
    public async Task A_message_over_256_KB_does_not_fit_an_empty_batch_and_SendMessageAsync_fails_with_MessageSizeExceeded()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        await using var client = Bus.Client(host);
        await using var sender = client.CreateSender("orders");
        var tooLarge = new ServiceBusMessage(new byte[300 * 1024]) { MessageId = "too-large" };

        using var batch = await sender.CreateMessageBatchAsync();
        var fits = batch.TryAddMessage(tooLarge);
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(tooLarge));

        Assert.False(fits);
        Assert.Equal(AmqpBroker.MaxMessageSize, batch.MaxSizeInBytes);
        Assert.Equal(ServiceBusFailureReason.MessageSizeExceeded, error.Reason);
        Assert.Empty(host.GetQueue("orders").Sent);
    }

    // §4: the broker itself enforces the limit on what travelled, for clients that do not size their messages.
    [Fact]
    public async Task A_raw_transfer_over_256_KB_is_rejected_with_message_size_exceeded()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        await using var amqp = await RawAmqpClient.ConnectAsync(host);
        await amqp.PutTokenAsync("orders", amqp.Token());

        var outcome = await amqp.SendAsync("orders", new Message { BodySection = new Data { Binary = new byte[AmqpBroker.MaxMessageSize + 1] } });

        var rejected = Assert.IsType<Rejected>(outcome);
        Assert.Equal("amqp:link:message-size-exceeded", rejected.Error.Condition.ToString());
        Assert.Empty(host.GetQueue("orders").Sent);
    }

    // §3.5: with 262144 announced, the largest body in an empty batch is about 262,120 bytes, and it is accepted.
    [Fact]
    public async Task The_largest_body_that_fits_an_empty_batch_is_accepted()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        await using var client = Bus.Client(host);
        await using var sender = client.CreateSender("orders");
        var (low, high) = (200_000, AmqpBroker.MaxMessageSize); // fits(low), !fits(high)
        while (high - low > 1)
        {
            var middle = (low + high) / 2;
            using var probe = await sender.CreateMessageBatchAsync();
            (low, high) = probe.TryAddMessage(new ServiceBusMessage(new byte[middle])) ? (middle, high) : (low, middle);
        }

        using var batch = await sender.CreateMessageBatchAsync();
        Assert.True(batch.TryAddMessage(new ServiceBusMessage(new byte[low])));
        await sender.SendMessagesAsync(batch);

        output.WriteLine($"largest body in an empty batch: {low} bytes");
        Assert.InRange(low, 262_100, AmqpBroker.MaxMessageSize);
        Assert.Equal(low, Assert.Single(host.GetQueue("orders").Sent).BodyBytes.Length);
    }

    // §4: MessageId is limited to 128 characters; a raw client (the SDK checks it itself) gets the transfer rejected.
    [Fact]
    public async Task A_raw_transfer_with_a_MessageId_over_128_characters_is_rejected_and_one_of_128_is_accepted()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        await using var amqp = await RawAmqpClient.ConnectAsync(host);
        await amqp.PutTokenAsync("orders", amqp.Token());

        var tooLong = await amqp.SendAsync("orders", new Message("{}") { Properties = new Properties { MessageId = new string('x', 129) } });
        var longest = await amqp.SendAsync("orders", new Message("{\"value\":true}") { Properties = new Properties { MessageId = new string('y', 128) } });

        var rejected = Assert.IsType<Rejected>(tooLong);
        Assert.Contains("128", rejected.Error.Description, StringComparison.Ordinal);
        Assert.IsType<Accepted>(longest);
        var stored = Assert.Single(host.GetQueue("orders").Sent);
        Assert.Equal(new string('y', 128), stored.MessageId);
        Assert.Equal("{\"value\":true}", stored.Body); // an AmqpValue string body is taken as UTF-8
    }

    // §3.6 and §2: a batch is all-or-nothing; one bad message rejects the whole transfer.
    [Fact]
    public async Task A_raw_batch_with_one_invalid_message_is_rejected_whole()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        await using var amqp = await RawAmqpClient.ConnectAsync(host);
        await amqp.PutTokenAsync("orders", amqp.Token());

        var good = Batch(Encoded("a", "{}"), Encoded("b", "{}"));
        var bad = Batch(Encoded("c", "{}"), Encoded(new string('d', 129), "{}"));
        var badOutcome = await amqp.SendAsync("orders", bad);
        var goodOutcome = await amqp.SendAsync("orders", good);

        Assert.IsType<Rejected>(badOutcome);
        Assert.IsType<Accepted>(goodOutcome);
        Assert.Equal(["a", "b"], host.GetQueue("orders").Sent.Select(m => m.MessageId));
    }

    // §3.9: the broker stored the message but the acknowledgement was lost; the SDK reconnects and resends, and duplicate
    // detection keeps one copy.
    [Fact]
    public async Task A_resend_after_a_lost_acknowledgement_leaves_exactly_one_message()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        host.DropConnectionAfterNextAccept("orders");
        await using var client = Bus.Client(host);
        await using var sender = client.CreateSender("orders");

        await sender.SendMessageAsync(Bus.Json("{\"once\":true}", "once"));
        await host.WaitForIdleAsync(IdleTimeout);

        var queue = host.GetQueue("orders");
        Assert.Single(queue.Sent);
        Assert.Equal(1, queue.DuplicatesDropped);
        Assert.Equal(["once"], queue.Completed);
        Assert.Single(await handler.InvocationsOfAsync("ProcessOrderMessage"));
    }

    // §3.10: a DateTimeOffset application property arrives as com.microsoft:datetime-offset (ticks); the usual types arrive plain.
    [Fact]
    public async Task Application_properties_keep_their_types_including_DateTimeOffset()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        var at = new DateTimeOffset(2026, 12, 7, 10, 30, 15, 123, TimeSpan.FromHours(2));
        var message = Bus.Json("{}", "typed");
        message.ApplicationProperties["at"] = at;
        message.ApplicationProperties["text"] = "x";
        message.ApplicationProperties["int"] = 7;
        message.ApplicationProperties["long"] = 9_000_000_000L;
        message.ApplicationProperties["flag"] = true;
        message.ApplicationProperties["when"] = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        message.PartitionKey = "p-1";

        await Bus.SendAsync(host, "orders", message);
        await host.WaitForIdleAsync(IdleTimeout);

        var stored = Assert.Single(host.GetQueue("orders").Sent);
        Assert.Equal(at, Assert.IsType<DateTimeOffset>(stored.UserProperties["at"]));
        Assert.Equal("x", stored.UserProperties["text"]);
        Assert.Equal(7, stored.UserProperties["int"]);
        Assert.Equal(9_000_000_000L, stored.UserProperties["long"]);
        Assert.Equal(true, stored.UserProperties["flag"]);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), stored.UserProperties["when"]);
        Assert.Equal("p-1", stored.PartitionKey);
        var invocation = Assert.Single(await handler.InvocationsOfAsync("ProcessOrderMessage"));
        var userProperties = JsonDocument.Parse(invocation.Body).RootElement.GetProperty("Metadata").GetProperty("UserProperties");
        Assert.Equal(at, userProperties.GetProperty("at").GetDateTimeOffset());
    }

    // Brief: receiving is the host's own dispatcher, and Connector never calls ScheduleMessageAsync, so both links are refused.
    [Fact]
    public async Task Receiver_links_and_the_management_node_are_refused_as_not_emulated()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        await using var client = Bus.Client(host);
        await using var receiver = client.CreateReceiver("orders");
        await using var sender = client.CreateSender("orders");

        var receive = await Assert.ThrowsAnyAsync<Exception>(() => receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5)));
        var schedule = await Assert.ThrowsAnyAsync<Exception>(() => sender.ScheduleMessageAsync(Bus.Json("{}"), DateTimeOffset.UtcNow.AddMinutes(1)));

        output.WriteLine(receive.ToString());
        output.WriteLine(schedule.ToString());
        Assert.Contains("not emulated", receive.Message, StringComparison.Ordinal);
        Assert.Contains("ScheduledEnqueueTime", schedule.Message, StringComparison.Ordinal);
        Assert.Empty(host.GetQueue("orders").Sent);
    }

    private static Message Batch(params byte[][] encoded)
    {
        var body = new DataList();
        foreach (var message in encoded)
        {
            body.Add(new Data { Binary = message });
        }

        return new Message { Format = 0x80013700, BodySection = body };
    }

    private static byte[] Encoded(string messageId, string body)
    {
        var message = new Message { Properties = new Properties { MessageId = messageId }, BodySection = new Data { Binary = Encoding.UTF8.GetBytes(body) } };
        var buffer = message.Encode();
        return buffer.Buffer.AsSpan(buffer.Offset, buffer.Length).ToArray();
    }
}
