using Microsoft.Extensions.Options;

namespace Connector.Messaging;

/// <summary>
/// Bounds how many bulk messages one instance works on at once (<see cref="QueueOptions.BulkConcurrency"/>). The host's
/// <c>maxConcurrentCalls</c> counts per function, so the orders queue keeps its own slots; this gate keeps a backfill from
/// also taking the store's rate budget and the instance's threads from work somebody is waiting for.
/// </summary>
public sealed class BulkLane(IOptions<QueueOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.BulkConcurrency, options.Value.BulkConcurrency);

    public async Task<Slot> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    public readonly struct Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
