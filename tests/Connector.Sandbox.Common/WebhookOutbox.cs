using System.Diagnostics;
using System.Threading.Channels;

namespace Connector.Sandbox;

/// <summary>
/// A simulator's queue of outgoing webhooks (TikTok's and Shopify's alike): one background reader hands each item to the
/// dispatcher in publish order, and a pending count (each item until its dispatcher calls <see cref="Done"/>) lets tests
/// wait until every webhook was answered or gave up.
/// </summary>
public sealed class WebhookOutbox<T> : IAsyncDisposable
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _pending;
    private int _disposed;

    /// <param name="consume">Called for each item, one at a time, in publish order; it calls <see cref="Done"/> when the item is settled.</param>
    public WebhookOutbox(Func<T, CancellationToken, Task> consume)
    {
        ArgumentNullException.ThrowIfNull(consume);
        _loop = Task.Run(() => RunAsync(consume, _stop.Token));
    }

    public void Enqueue(T item)
    {
        Interlocked.Increment(ref _pending);
        _channel.Writer.TryWrite(item);
    }

    /// <summary>One enqueued item was answered 2xx or used up its retries.</summary>
    public void Done() => Interlocked.Decrement(ref _pending);

    /// <summary>Completes when nothing is pending; <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.</summary>
    public async Task WaitForIdleAsync(TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (Volatile.Read(ref _pending) > 0)
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{Volatile.Read(ref _pending)} {what} still pending after {timeout}.");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _channel.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(Func<T, CancellationToken, Task> consume, CancellationToken stop)
    {
        await foreach (var item in _channel.Reader.ReadAllAsync(stop))
        {
            await consume(item, stop);
        }
    }
}
