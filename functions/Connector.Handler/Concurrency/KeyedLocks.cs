using System.Collections.Concurrent;

namespace Connector.Concurrency;

/// <summary>
/// One async lock per key (a shop id), shared by the whole process: a singleton of its own, so that the services using it
/// can be transient and get typed HttpClients whose handlers rotate (a singleton holding a typed client keeps one forever).
/// <typeparamref name="TOwner"/> keeps each owner's locks apart.
/// </summary>
public sealed class KeyedLocks<TOwner>
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public SemaphoreSlim For(string key) => _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
}
