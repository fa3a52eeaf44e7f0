using Amqp;
using Amqp.Listener;

namespace Connector.Sandbox.Functions;

/// <summary>
/// The sending end of a <c>$cbs</c> reply link. A reply goes out only against link credit the client granted; replies that find
/// none wait for its next flow (a client may send a request before its receiver has granted credit).
/// </summary>
internal sealed class CbsReplyLink
{
    private readonly Lock _gate = new();
    private readonly Queue<Message> _waiting = new();
    private readonly ListenerLink _link;
    private int _credit;

    public CbsReplyLink(ListenerLink link)
    {
        _link = link;
        link.InitializeSender((delta, _, _) => OnCredit(delta), (_, _, _, _) => { }, this);
    }

    public void Send(Message reply)
    {
        lock (_gate)
        {
            if (_credit > 0)
            {
                _credit--;
                _link.SendMessage(reply);
            }
            else
            {
                _waiting.Enqueue(reply);
            }
        }
    }

    private void OnCredit(int delta)
    {
        lock (_gate)
        {
            _credit = Math.Max(0, _credit + delta);
            while (_credit > 0 && _waiting.TryDequeue(out var reply))
            {
                _credit--;
                _link.SendMessage(reply);
            }
        }
    }
}
