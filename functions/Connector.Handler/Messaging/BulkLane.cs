using Microsoft.Extensions.Options;

namespace Connector.Messaging;

/// <summary>
/// Keeps bulk work from slowing work somebody waits for on the same instance. The host's <c>maxConcurrentCalls</c>
/// counts per function, so the orders queue keeps its own slots; this lane bounds how many bulk messages run at once
/// (<see cref="QueueOptions.BulkConcurrency"/>) and holds new bulk work back, briefly, while waiting work is in flight,
/// so the instance's threads and the store's rate budget go to the waiting order first. The hold is capped so a steady
/// stream of webhooks never starves a backfill.
/// </summary>
public sealed class BulkLane(IOptions<QueueOptions> options, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan MaxYield = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan YieldStep = TimeSpan.FromMilliseconds(10);
    private readonly SemaphoreSlim _slots = new(options.Value.BulkConcurrency, options.Value.BulkConcurrency);
    private int _waitingInFlight;

    /// <summary>Marks a waiting-lane message as running until the returned scope ends.</summary>
    public WaitingScope EnterWaiting()
    {
        Interlocked.Increment(ref _waitingInFlight);
        return new WaitingScope(this);
    }

    public async Task<Slot> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            var until = time.GetUtcNow() + MaxYield;
            while (Volatile.Read(ref _waitingInFlight) > 0 && time.GetUtcNow() < until)
            {
                await Task.Delay(YieldStep, time, cancellationToken);
            }
        }
        catch
        {
            _slots.Release();
            throw;
        }

        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>A bulk slot; disposing it twice releases it once.</summary>
    public sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }

    /// <summary>A running waiting-lane message; disposing it twice counts once.</summary>
    public sealed class WaitingScope(BulkLane lane) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                Interlocked.Decrement(ref lane._waitingInFlight);
            }
        }
    }
}
