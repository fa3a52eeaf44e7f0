using System.Collections.Concurrent;

namespace Connector.State;

/// <summary>
/// Rows read moments ago, kept in memory for <see cref="Lifetime"/> so that a burst of orders does not read the same shop
/// settings or SKU mapping from Table Storage for each one. Writes through the owning store replace or drop the entry on
/// this instance; another instance's write is seen after at most <see cref="Lifetime"/> (bounded staleness).
/// </summary>
public sealed class RecentReads<TValue>(TimeProvider time, bool keepNotFound, int capacity = 10_000)
    where TValue : class
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (TValue? Value, DateTimeOffset ReadAt)> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// The value read within the lifetime, or <paramref name="read"/>'s answer, remembered; "not found" is remembered only
    /// with <c>keepNotFound</c> (a shop connected on another instance must be seen at once).
    /// </summary>
    public async Task<TValue?> GetAsync(string key, Func<CancellationToken, Task<TValue?>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && now - entry.ReadAt < Lifetime)
        {
            return entry.Value;
        }

        var value = await read(cancellationToken);
        if (value is not null || keepNotFound)
        {
            Set(key, value, now);
        }

        return value;
    }

    /// <summary>Remembers what this instance just wrote.</summary>
    public void Set(string key, TValue? value) => Set(key, value, time.GetUtcNow());

    public void Forget(string key) => _entries.TryRemove(key, out _);

    private void Set(string key, TValue? value, DateTimeOffset readAt)
    {
        if (_entries.Count >= capacity)
        {
            // Bounded memory: start over rather than track recency (a full cache only costs reads again).
            _entries.Clear();
        }

        _entries[key] = (value, readAt);
    }
}
