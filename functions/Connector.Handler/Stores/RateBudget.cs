namespace Connector.Stores;

/// <summary>
/// One store's request budget as this process sees it: a token bucket (capacity, points restored per second) mirrored
/// from what the store reports — Shopify's <c>throttleStatus</c> (store-apis.md §2.5), Etsy's per-second headers (§3.4) —
/// so that calls wait in-process for the points they need instead of being refused and retried later.
/// A call reserves its cost first (the balance may go below zero: later calls queue behind it in arrival order) and waits
/// until the balance it reserved from has been restored; when the answer comes, the part of the reservation the store did
/// not charge is given back and the store's own figures correct the mirror (only ever downwards: an answer cannot know
/// about calls of ours still on their way).
/// </summary>
public sealed class RateBudget(double capacity, double restorePerSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _capacity = Math.Max(1, capacity);
    private double _restorePerSecond = Math.Max(0.001, restorePerSecond);
    private double _balance = Math.Max(1, capacity);
    private long _stamp = time.GetTimestamp();

    /// <summary>The points the mirror holds now; negative when calls are queued for points still to be restored.</summary>
    public double Balance
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _balance;
            }
        }
    }

    public double Capacity
    {
        get { lock (_gate) { return _capacity; } }
    }

    public double RestorePerSecond
    {
        get { lock (_gate) { return _restorePerSecond; } }
    }

    /// <summary>
    /// Reserves <paramref name="cost"/> points and says how long to wait before using them; false (nothing reserved) when
    /// that wait would exceed <paramref name="maxWait"/>, so the caller gives the work back rather than hold it too long.
    /// </summary>
    public bool TryReserve(double cost, TimeSpan maxWait, out TimeSpan wait)
    {
        lock (_gate)
        {
            Refill();
            cost = Math.Clamp(cost, 0, _capacity); // a call costing more than the bucket still runs once the bucket is full
            var after = _balance - cost;
            wait = after >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-after / _restorePerSecond);
            if (wait > maxWait)
            {
                return false;
            }

            _balance = after;
            return true;
        }
    }

    /// <summary>Reserves <paramref name="cost"/> points and waits until they are there (on the budget's clock).</summary>
    public async ValueTask<bool> AcquireAsync(double cost, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (!TryReserve(cost, maxWait, out var wait))
        {
            return false;
        }

        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Return(cost);
                throw;
            }
        }

        return true;
    }

    /// <summary>
    /// Gives back points reserved but not spent (the store charged less, or did not run the call); a negative figure takes
    /// what the store charged beyond the reservation.
    /// </summary>
    public void Return(double points)
    {
        lock (_gate)
        {
            Refill();
            _balance = Math.Min(_capacity, _balance + points);
        }
    }

    /// <summary>
    /// The store's own figures from an answer: its bucket size and restore rate are adopted; what it says is available now
    /// caps the mirror (someone else — another instance, another app of the merchant's — may have spent points), never raises it.
    /// </summary>
    public void Observe(double capacity, double available, double restorePerSecond)
    {
        lock (_gate)
        {
            Refill();
            if (capacity > 0)
            {
                _capacity = capacity;
            }

            if (restorePerSecond > 0)
            {
                _restorePerSecond = restorePerSecond;
            }

            _balance = Math.Min(Math.Min(_balance, _capacity), available);
        }
    }

    /// <summary>The store said "nothing before <paramref name="retryAfter"/>" (HTTP 429 with Retry-After): no call is let through before then.</summary>
    public void Pause(TimeSpan retryAfter)
    {
        if (retryAfter <= TimeSpan.Zero)
        {
            return;
        }

        lock (_gate)
        {
            Refill();
            _balance = Math.Min(_balance, -retryAfter.TotalSeconds * _restorePerSecond);
        }
    }

    private void Refill()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_stamp, now);
        _stamp = now;
        if (elapsed > TimeSpan.Zero)
        {
            _balance = Math.Min(_capacity, _balance + (elapsed.TotalSeconds * _restorePerSecond));
        }
    }
}
