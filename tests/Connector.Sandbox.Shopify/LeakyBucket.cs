namespace Connector.Sandbox.Shopify;

/// <summary>The throttle state Shopify reports in <c>extensions.cost.throttleStatus</c> (store-apis.md §2.5).</summary>
public sealed record ShopifyThrottleStatus(int MaximumAvailable, int CurrentlyAvailable, int RestoreRate);

/// <summary>
/// Shopify's leaky bucket for GraphQL cost points (store-apis.md §2.5): a request needs its requested cost in the
/// bucket before it runs, the difference between requested and actual cost is refunded afterwards, and points come
/// back at <c>restoreRate</c> per second up to <c>maximumAvailable</c>. Not thread-safe: the shop serialises access.
/// </summary>
internal sealed class LeakyBucket(int size, int restorePerSecond, TimeProvider time)
{
    private double _available = size;
    private long _lastTimestamp = time.GetTimestamp();

    public bool TryTake(int cost)
    {
        Refill();
        if (cost > _available)
        {
            return false;
        }

        _available -= cost;
        return true;
    }

    public void Refund(int points)
    {
        Refill();
        _available = Math.Min(size, _available + points);
    }

    public ShopifyThrottleStatus Status()
    {
        Refill();
        return new ShopifyThrottleStatus(size, (int)Math.Floor(_available), restorePerSecond);
    }

    private void Refill()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_lastTimestamp, now);
        _lastTimestamp = now;
        if (elapsed > TimeSpan.Zero)
        {
            _available = Math.Min(size, _available + (elapsed.TotalSeconds * restorePerSecond));
        }
    }
}
