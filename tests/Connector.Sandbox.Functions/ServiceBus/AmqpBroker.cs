using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;
using Microsoft.Extensions.Logging;

namespace Connector.Sandbox.Functions;

/// <summary>
/// The Service Bus broker side of the SDK's sending path, over plain AMQP 1.0 on AMQPNetLite's listener
/// (azure-service-bus-amqp.md §3, §4): SASL <c>MSSBCBS</c>, <c>$cbs</c> put-token with per-connection grants, sender links on
/// queues (refused without a grant, <c>amqp:not-found</c> for an unknown queue, <c>max-message-size</c> 262144 announced),
/// single and batch transfers mapped onto <see cref="EmulatedQueue"/> all-or-nothing. Receiver links and <c>$management</c>
/// are refused: delivery to the handler is the host's own dispatcher, and scheduling travels as a message annotation.
/// AMQPNetLite calls in on its I/O threads; anything more than a lookup is handed to a task.
/// </summary>
internal sealed class AmqpBroker : IContainer, IDisposable
{
    public const int MaxMessageSize = 262144;
    private const uint LinkCredit = 100;

    private readonly ConnectionListener _listener;
    private readonly Func<string, EmulatedQueue?> _findQueue;
    private readonly CbsNode _cbs;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ListenerConnection, BrokerConnection> _connections = new();
    private readonly ConcurrentDictionary<string, int> _dropsArmed = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConditionalWeakTable<Message, StrongBox<int>> _encodedSizes = [];
    private int _disposed;

    private AmqpBroker(int port, Func<string, EmulatedQueue?> findQueue, CbsTokenValidator validator, ILogger logger)
    {
        Port = port;
        _findQueue = findQueue;
        _cbs = new CbsNode(validator, logger);
        _logger = logger;
        _listener = new ConnectionListener(string.Create(CultureInfo.InvariantCulture, $"amqp://127.0.0.1:{port}"), this);
        _listener.SASL.EnableMechanism(new Symbol(MssbcbsSaslProfile.Name), new MssbcbsSaslProfile());
        _listener.AMQP.ContainerId = "connector-sandbox-servicebus";
    }

    public int Port { get; }

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/> (0 = a free port, retried if another socket takes it first).</summary>
    public static AmqpBroker Start(int port, Func<string, EmulatedQueue?> findQueue, CbsTokenValidator validator, ILogger logger)
    {
        for (var attempt = 1; ; attempt++)
        {
            var broker = new AmqpBroker(port != 0 ? port : Sandbox.FreePort.Next(), findQueue, validator, logger);
            try
            {
                broker._listener.Open();
                return broker;
            }
            catch (SocketException ex) when (port == 0 && attempt < 5 && ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                broker.Dispose();
            }
            catch
            {
                broker.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Fault knob (§3.9): the next transfer accepted on <paramref name="queue"/> is stored, then its connection is closed before the
    /// outcome is sent, as when an acknowledgement is lost. The SDK reconnects and resends; duplicate detection drops the copy.
    /// </summary>
    public void DropConnectionAfterNextAccept(string queue) => _dropsArmed.AddOrUpdate(queue, 1, (_, n) => n + 1);

    X509Certificate2 IContainer.ServiceCertificate => throw new NotSupportedException("The emulated broker speaks plain AMQP (no TLS).");

    IDictionary<string, TransportProvider> IContainer.CustomTransports { get; } = new Dictionary<string, TransportProvider>();

    // The encoded size is only known here, before decoding: the size limit applies to what travelled.
    Message IContainer.CreateMessage(ByteBuffer buffer)
    {
        var size = buffer.Length;
        var message = Message.Decode(buffer);
        _encodedSizes.AddOrUpdate(message, new StrongBox<int>(size));
        return message;
    }

    Link IContainer.CreateLink(ListenerConnection connection, ListenerSession session, Attach attach) => new ListenerLink(session, attach);

    bool IContainer.AttachLink(ListenerConnection connection, ListenerSession session, Link link, Attach attach)
    {
        var listenerLink = (ListenerLink)link;
        var client = Track(connection);
        var peerReceives = attach.Role; // the attach comes from the peer: role true = it receives, we send
        var address = peerReceives ? (attach.Source as Source)?.Address : (attach.Target as Target)?.Address;
        try
        {
            if (string.IsNullOrWhiteSpace(address))
            {
                throw new AmqpException(ErrorCode.InvalidField, "The link's address (target for a sender, source for a receiver) is missing.");
            }

            if (string.Equals(address, CbsNode.Address, StringComparison.OrdinalIgnoreCase))
            {
                AttachCbs(listenerLink, attach, client, peerReceives);
                return true;
            }

            var path = address.Trim('/');
            if (path.EndsWith("$management", StringComparison.OrdinalIgnoreCase))
            {
                throw new AmqpException(
                    ErrorCode.NotImplemented,
                    $"'{address}' is not emulated: ScheduleMessageAsync and other management operations are not used by Connector, which sets ServiceBusMessage.ScheduledEnqueueTime instead.");
            }

            if (peerReceives)
            {
                throw new AmqpException(
                    ErrorCode.NotImplemented,
                    $"Receiving from '{address}' is not emulated: the emulated Functions host delivers queued messages to serviceBusTrigger functions itself.");
            }

            if (!client.IsGranted(path, DateTimeOffset.UtcNow))
            {
                throw new AmqpException(
                    ErrorCode.UnauthorizedAccess,
                    $"Unauthorized access: no valid token for '{path}' was put on $cbs on this connection ('Send' claim required).");
            }

            var queue = _findQueue(path) ?? throw new AmqpException(
                ErrorCode.NotFound,
                $"The messaging entity '{path}' could not be found (queues come from serviceBusTrigger bindings and FunctionsHostOptions.Queues).");

            attach.MaxMessageSize = MaxMessageSize; // the reply echoes this attach; without it the SDK cannot size a message
            listenerLink.InitializeReceiver(LinkCredit, OnQueueTransfer, new QueueLink(queue, client));
            return true;
        }
        catch (AmqpException ex)
        {
            Log.LinkRefused(_logger, address ?? "(none)", ex.Error.Condition.ToString(), ex.Error.Description);
            throw;
        }
    }

    private void AttachCbs(ListenerLink link, Attach attach, BrokerConnection client, bool peerReceives)
    {
        if (!peerReceives)
        {
            link.InitializeReceiver(LinkCredit, OnCbsRequest, client);
            return;
        }

        // The reply link's target is the address the requests name as reply-to.
        var replyTo = (attach.Target as Target)?.Address
            ?? throw new AmqpException(ErrorCode.InvalidField, "A $cbs reply link needs a target address (the requests' reply-to).");
        var replyLink = new CbsReplyLink(link);
        client.AddReplyLink(replyTo, replyLink);
        link.AddClosedCallback((_, _) => client.RemoveReplyLink(replyTo, replyLink));
    }

    private BrokerConnection Track(ListenerConnection connection) =>
        _connections.GetOrAdd(connection, c =>
        {
            c.AddClosedCallback((sender, error) => _connections.TryRemove((ListenerConnection)sender, out var _));
            return new BrokerConnection(c);
        });

    private void OnCbsRequest(ListenerLink link, Message request, DeliveryState state, object linkState)
    {
        var client = (BrokerConnection)linkState;
        _ = Task.Run(() =>
        {
            try
            {
                if (client.FindReplyLink(request.Properties?.ReplyTo) is not { } replyLink)
                {
                    link.DisposeMessage(request, Rejection(ErrorCode.NotFound, "No reply link is attached whose target is the request's reply-to."), true);
                    return;
                }

                var reply = _cbs.Handle(request, client);
                link.DisposeMessage(request, new Accepted(), true);
                replyLink.Send(reply);
            }
            catch (AmqpException ex)
            {
                Log.BrokerOperationFailed(_logger, "$cbs put-token", ex);
            }
        });
    }

    private void OnQueueTransfer(ListenerLink link, Message transfer, DeliveryState state, object linkState)
    {
        var target = (QueueLink)linkState;
        target.Post(() => Accept(link, transfer, target));
    }

    private void Accept(ListenerLink link, Message transfer, QueueLink target)
    {
        var queue = target.Queue;
        try
        {
            var size = _encodedSizes.TryGetValue(transfer, out var box) ? box.Value : 0;
            if (size > MaxMessageSize)
            {
                throw new AmqpException(
                    ErrorCode.MessageSizeExceeded,
                    string.Create(CultureInfo.InvariantCulture, $"The received message (size {size} bytes) exceeds the limit ({MaxMessageSize} bytes) currently allowed on the link."));
            }

            var messages = AmqpMessageMapper.Map(transfer, transfer.Format);
            if (queue.RequiresSession && messages.Any(m => string.IsNullOrEmpty(m.Properties.SessionId)))
            {
                throw new AmqpException(ErrorCode.NotAllowed, queue.MissingSessionIdError);
            }

            foreach (var (body, properties) in messages)
            {
                queue.Enqueue(body, properties);
            }

            if (TryDisarmDrop(queue.Name))
            {
                Log.ConnectionDropped(_logger, queue.Name, messages.Count);
                target.Client.Connection.Close(TimeSpan.Zero, new Error(ErrorCode.ConnectionForced) { Description = "Fault knob: the connection dropped before the outcome was sent." });
                return;
            }

            link.DisposeMessage(transfer, new Accepted(), true);
        }
        catch (AmqpException ex)
        {
            Log.TransferRejected(_logger, queue.Name, ex.Error.Condition.ToString(), ex.Error.Description);
            Settle(link, transfer, new Rejected { Error = ex.Error });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.BrokerOperationFailed(_logger, $"a transfer to '{queue.Name}'", ex);
            Settle(link, transfer, Rejection(ErrorCode.InternalError, ex.Message));
        }
    }

    private void Settle(ListenerLink link, Message transfer, DeliveryState outcome)
    {
        try
        {
            link.DisposeMessage(transfer, outcome, true);
        }
        catch (AmqpException ex)
        {
            Log.BrokerOperationFailed(_logger, "settling a transfer", ex);
        }
    }

    private bool TryDisarmDrop(string queue)
    {
        while (_dropsArmed.TryGetValue(queue, out var armed) && armed > 0)
        {
            if (_dropsArmed.TryUpdate(queue, armed - 1, armed))
            {
                return true;
            }
        }

        return false;
    }

    private static Rejected Rejection(Symbol condition, string description) => new() { Error = new Error(condition) { Description = description } };

    /// <summary>Stops listening and closes every client connection.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _listener.Close();
        foreach (var connection in _connections.Keys)
        {
            try
            {
                connection.Close(TimeSpan.Zero, new Error(ErrorCode.ConnectionForced) { Description = "The emulated host is stopping." });
            }
            catch (AmqpException ex)
            {
                Log.BrokerOperationFailed(_logger, "closing a connection", ex);
            }
        }
    }

    /// <summary>A sender link on a queue: its transfers are handled one after another, off AMQPNetLite's I/O thread.</summary>
    private sealed class QueueLink(EmulatedQueue queue, BrokerConnection client)
    {
        private readonly Lock _gate = new();
        private Task _tail = Task.CompletedTask;

        public EmulatedQueue Queue { get; } = queue;

        public BrokerConnection Client { get; } = client;

        public void Post(Action work)
        {
            lock (_gate)
            {
                _tail = _tail.ContinueWith(_ => work(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
    }
}
