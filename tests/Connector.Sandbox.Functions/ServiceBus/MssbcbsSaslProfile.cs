using Amqp;
using Amqp.Framing;
using Amqp.Sasl;
using Amqp.Types;

namespace Connector.Sandbox.Functions;

/// <summary>
/// The server side of SASL mechanism <c>MSSBCBS</c>, the only one the Service Bus SDK offers (azure-service-bus-amqp.md §3.1):
/// the handshake itself authenticates nothing; authorisation comes later from the tokens put on <c>$cbs</c>. One instance serves
/// every connection (AMQPNetLite reuses it), so it keeps no state.
/// </summary>
internal sealed class MssbcbsSaslProfile() : SaslProfile(Name)
{
    public const string Name = "MSSBCBS";

    protected override ITransport UpgradeTransport(ITransport transport) => transport;

    // Only a client starts a handshake with this profile; the listener sends the mechanism list itself.
    protected override DescribedList GetStartCommand(string hostname) => throw new NotSupportedException();

    protected override DescribedList OnCommand(DescribedList command)
    {
        if (command is SaslInit)
        {
            return new SaslOutcome { Code = SaslCode.Ok };
        }

        throw new AmqpException(ErrorCode.NotAllowed, $"Unexpected SASL frame {command.Descriptor.Name}.");
    }
}
