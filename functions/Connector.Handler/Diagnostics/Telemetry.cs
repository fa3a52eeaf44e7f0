using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Connector.Diagnostics;

/// <summary>Connector's own traces and metrics (exported through OpenTelemetry when configured).</summary>
public static class Telemetry
{
    public const string Name = "Connector";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> OrdersImported = Meter.CreateCounter<long>("connector.orders.imported", description: "Orders created in a store");
    public static readonly Counter<long> OrdersFailed = Meter.CreateCounter<long>("connector.orders.failed", description: "Orders that could not be imported");
    public static readonly Counter<long> QueueSendFailures = Meter.CreateCounter<long>("connector.queue.send_failures", description: "Service Bus sends that failed");
    public static readonly Counter<long> QueueMessagesSent = Meter.CreateCounter<long>("connector.queue.messages_sent", description: "Messages accepted by Service Bus, tagged with the queue");
    public static readonly Histogram<double> QueueSendDuration = Meter.CreateHistogram<double>("connector.queue.send_duration", "ms", "Time for Service Bus to accept one batch");
    public static readonly Counter<long> QueueSnapshotsDropped = Meter.CreateCounter<long>("connector.queue.snapshots_dropped", description: "Orders sent without their search snapshot because it would not fit in a message");
    public static readonly Histogram<double> WebhookToStore = Meter.CreateHistogram<double>("connector.webhook_to_store", "ms", "From webhook receipt to the store order created");
    public static readonly Histogram<double> StoreCallDuration = Meter.CreateHistogram<double>("connector.store.import_duration", "ms", "Time to find or create the store order");
}
