using Amqp.Listener;

namespace Connector.Sandbox.Functions;

/// <summary>
/// What the broker knows about one client connection: the audiences its <c>$cbs</c> tokens granted (until their expiry), and
/// the <c>$cbs</c> reply links by their target address (the requests' reply-to). Service Bus scopes both to the connection.
/// </summary>
internal sealed class BrokerConnection(ListenerConnection connection)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _grants = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CbsReplyLink> _replyLinks = new(StringComparer.Ordinal);

    public ListenerConnection Connection { get; } = connection;

    /// <summary>Records a granted audience (an entity path, "" for the namespace); a renewed token replaces the expiry.</summary>
    public void Grant(string path, DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            _grants[path] = expiresAt;
        }
    }

    /// <summary>True when an unexpired grant on this connection covers <paramref name="entityPath"/>.</summary>
    public bool IsGranted(string entityPath, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _grants.Any(g => g.Value > now && CbsTokenValidator.Covers(g.Key, entityPath));
        }
    }

    public void AddReplyLink(string address, CbsReplyLink link)
    {
        lock (_gate)
        {
            _replyLinks[address] = link;
        }
    }

    public void RemoveReplyLink(string address, CbsReplyLink link)
    {
        lock (_gate)
        {
            if (_replyLinks.TryGetValue(address, out var current) && ReferenceEquals(current, link))
            {
                _replyLinks.Remove(address);
            }
        }
    }

    public CbsReplyLink? FindReplyLink(string? address)
    {
        if (address is null)
        {
            return null;
        }

        lock (_gate)
        {
            return _replyLinks.GetValueOrDefault(address);
        }
    }
}
