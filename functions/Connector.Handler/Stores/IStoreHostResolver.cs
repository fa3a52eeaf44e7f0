using System.Net;

namespace Connector.Stores;

/// <summary>DNS for store host names: the boundary <see cref="StoreAddressPolicy"/> checks before connecting.</summary>
public interface IStoreHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system resolver.</summary>
public sealed class DnsStoreHostResolver : IStoreHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
