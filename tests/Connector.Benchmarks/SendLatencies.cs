using System.Diagnostics.Metrics;

/// <summary>Listens to the handler's own Service Bus metrics (it runs in this process): batch send latency and messages sent.</summary>
internal sealed class SendLatencies : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<double> _latencies = [];
    private long _messages;

    public SendLatencies()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Connector" && instrument.Name is "connector.queue.send_duration" or "connector.queue.messages_sent")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (_latencies)
            {
                _latencies.Add(value);
            }
        });
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _messages, value));
        _listener.Start();
    }

    public int Count
    {
        get
        {
            lock (_latencies)
            {
                return _latencies.Count;
            }
        }
    }

    public long Messages => Interlocked.Read(ref _messages);

    public double Percentile(double p)
    {
        lock (_latencies)
        {
            if (_latencies.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _latencies.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        }
    }

    public void Dispose() => _listener.Dispose();
}
