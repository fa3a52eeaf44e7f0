using System.Globalization;
using Amqp;
using Amqp.Framing;
using Amqp.Sasl;
using Amqp.Types;
using Connector.Sandbox.Functions.TestHandler;

namespace Connector.Sandbox.Functions.Tests;

/// <summary>
/// A hand-driven AMQPNetLite client for what the SDK never sends (hand-built tokens, over-size transfers, long MessageIds):
/// SASL MSSBCBS, a <c>$cbs</c> request/reply link pair, and sender links with their outcomes.
/// </summary>
internal sealed class RawAmqpClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly Connection _connection;
    private readonly Session _session;
    private readonly FunctionsHost _host;
    private int _links;

    private RawAmqpClient(FunctionsHost host, Connection connection)
    {
        _host = host;
        _connection = connection;
        _session = new Session(connection);
    }

    public static async Task<RawAmqpClient> ConnectAsync(FunctionsHost host)
    {
        var factory = new ConnectionFactory();
        factory.SASL.Profile = new ClientMssbcbsProfile();
        var connection = await factory.CreateAsync(new Address(string.Create(CultureInfo.InvariantCulture, $"amqp://127.0.0.1:{host.ServiceBusEndpoint.Port}")));
        return new RawAmqpClient(host, connection);
    }

    /// <summary>A token as the SDK builds it: resource <c>amqps://HOST/</c>, signed with the host's key unless told otherwise.</summary>
    public string Token(DateTimeOffset? expiresAt = null, string? key = null, string keyName = FunctionsHost.SharedAccessKeyName, string resource = "amqps://127.0.0.1/") =>
        SasToken.Create(resource, keyName, key ?? _host.SharedAccessKey, expiresAt ?? DateTimeOffset.UtcNow.AddMinutes(30));

    /// <summary>Puts <paramref name="token"/> for <c>amqp://127.0.0.1/{entity}</c>; returns the reply's status-code (as sent) and description.</summary>
    public async Task<(object? StatusCode, string? Description)> PutTokenAsync(
        string entity, string token, string type = "servicebus.windows.net:sastoken", string operation = "put-token")
    {
        var replyTo = Guid.NewGuid().ToString();
        var n = Interlocked.Increment(ref _links);
        var sender = new SenderLink(_session, $"cbs-sender-{n}", CbsAddress);
        var receiver = new ReceiverLink(_session, $"cbs-receiver-{n}", new Attach
        {
            Source = new Source { Address = CbsAddress },
            Target = new Target { Address = replyTo },
        }, null);
        try
        {
            var request = new Message(token)
            {
                Properties = new Properties { MessageId = $"request{n}", ReplyTo = replyTo },
                ApplicationProperties = new ApplicationProperties(),
            };
            request.ApplicationProperties.Map["operation"] = operation;
            request.ApplicationProperties.Map["type"] = type;
            request.ApplicationProperties.Map["name"] = $"amqp://127.0.0.1/{entity}";
            request.ApplicationProperties.Map["expiration"] = DateTime.UtcNow.AddMinutes(30);
            await sender.SendAsync(request);
            var reply = await receiver.ReceiveAsync(Wait) ?? throw new TimeoutException("No $cbs reply.");
            receiver.Accept(reply);
            Assert.Equal($"request{n}", reply.Properties.GetCorrelationId());
            return (reply.ApplicationProperties.Map["status-code"], reply.ApplicationProperties.Map["status-description"] as string);
        }
        finally
        {
            await sender.CloseAsync();
            await receiver.CloseAsync();
        }
    }

    /// <summary>Sends one transfer to <c>/{queue}</c> and returns the broker's outcome (Accepted, Rejected with its error, ...).</summary>
    public async Task<Outcome> SendAsync(string queue, Message message)
    {
        var sender = new SenderLink(_session, $"sender-{Interlocked.Increment(ref _links)}", "/" + queue);
        try
        {
            var outcome = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            sender.Send(message, (_, _, result, _) => outcome.TrySetResult(result), null);
            return await outcome.Task.WaitAsync(Wait);
        }
        finally
        {
            await sender.CloseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _session.CloseAsync();
        await _connection.CloseAsync();
    }

    private const string CbsAddress = "$cbs";

    /// <summary>The client side of SASL MSSBCBS: an empty init; the broker answers with the outcome.</summary>
    private sealed class ClientMssbcbsProfile() : SaslProfile(new Symbol("MSSBCBS"))
    {
        protected override ITransport UpgradeTransport(ITransport transport) => transport;

        protected override DescribedList GetStartCommand(string hostname) =>
            new SaslInit { Mechanism = new Symbol("MSSBCBS"), InitialResponse = [], HostName = hostname };

        protected override DescribedList OnCommand(DescribedList command) => null!;
    }
}
