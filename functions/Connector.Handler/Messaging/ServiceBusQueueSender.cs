using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Connector.Diagnostics;
using Microsoft.Extensions.Options;

namespace Connector.Messaging;

/// <summary>
/// Sends with the official SDK (design §2; reference/azure-service-bus-amqp.md §2): one cached sender per queue, batches
/// sized by the link (<see cref="ServiceBusMessageBatch.TryAddMessage"/>), so no batch can exceed the broker's limit; messages
/// sent while a batch is in flight leave together in the next (<see cref="SendQueue"/>). An order
/// whose search snapshot makes its message too large goes without it (the processor re-reads the order from TikTok).
/// </summary>
public sealed class ServiceBusQueueSender(ServiceBusClient client, IOptions<QueueOptions> options, ILogger<ServiceBusQueueSender> logger) : IQueueSender
{
    /// <summary>The application property carrying the W3C trace parent; the SDK sets it from <see cref="Activity.Current"/>.</summary>
    public const string DiagnosticIdProperty = "Diagnostic-Id";

    private readonly ConcurrentDictionary<string, (ServiceBusSender Sender, SendQueue Queue)> _queues = new(StringComparer.Ordinal);

    public async Task SendAsync(IReadOnlyCollection<QueueMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var lane in messages.GroupBy(m => m.Lane))
        {
            var (_, queue) = _queues.GetOrAdd(options.Value.QueueFor(lane.Key), name =>
            {
                var sender = client.CreateSender(name);
                return (sender, new SendQueue(pending => SendBatchesAsync(sender, pending)));
            });
            await queue.SendAsync([.. lane.Select(m => new SendQueue.Pending(m, Encode(m)))], cancellationToken);
        }
    }

    /// <summary>
    /// Sends what waited, in as few batches as the link allows; settles each message: sent, too large on its own, or the
    /// batch's failure. The SDK's retry options bound each send (ServiceBusClientFactory).
    /// </summary>
    private async Task SendBatchesAsync(ServiceBusSender sender, IReadOnlyList<SendQueue.Pending> messages)
    {
        var batch = await sender.CreateMessageBatchAsync();
        var inBatch = new List<SendQueue.Pending>();
        try
        {
            foreach (var pending in messages)
            {
                if (batch.TryAddMessage(pending.Encoded))
                {
                    inBatch.Add(pending);
                    continue;
                }

                if (batch.Count > 0)
                {
                    await SendBatchAsync(sender, batch, inBatch);
                    batch.Dispose();
                    batch = await sender.CreateMessageBatchAsync();
                    inBatch.Clear();
                    if (batch.TryAddMessage(pending.Encoded))
                    {
                        inBatch.Add(pending);
                        continue;
                    }
                }

                // Alone in an empty batch it still does not fit (Standard tier: 256 KB).
                var message = pending.Message;
                if (batch.TryAddMessage(Shrink(message, pending.Encoded)))
                {
                    inBatch.Add(pending);
                    continue;
                }

                var bytes = pending.Encoded.Body.ToMemory().Length;
                Log.QueueMessageTooLarge(logger, message.ShopId, message.ServiceBusMessageId, bytes);
                pending.Done.TrySetException(new QueueMessageTooLargeException(message.ServiceBusMessageId, bytes));
            }

            if (batch.Count > 0)
            {
                await SendBatchAsync(sender, batch, inBatch);
            }
        }
        finally
        {
            batch.Dispose();
        }
    }

    private async Task SendBatchAsync(ServiceBusSender sender, ServiceBusMessageBatch batch, List<SendQueue.Pending> inBatch)
    {
        var started = Stopwatch.GetTimestamp();
        var queue = new KeyValuePair<string, object?>("queue", sender.EntityPath);
        try
        {
            await sender.SendMessagesAsync(batch);
        }
        catch (ServiceBusException e)
        {
            Log.QueueSendFailed(logger, sender.EntityPath, batch.Count, e.Reason.ToString(), e.IsTransient, e.Message);
            Telemetry.QueueSendFailures.Add(1, queue);
            foreach (var pending in inBatch)
            {
                pending.Done.TrySetException(e);
            }

            return;
        }

        Telemetry.QueueSendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, queue);
        Telemetry.QueueMessagesSent.Add(batch.Count, queue);
        foreach (var pending in inBatch)
        {
            pending.Done.TrySetResult();
        }
    }

    /// <summary>The smaller form of a message that does not fit: an order without its snapshot (same MessageId, same work).</summary>
    private ServiceBusMessage Shrink(QueueMessage message, ServiceBusMessage encoded)
    {
        if (message is OrderWork { Order: not null } work)
        {
            Log.SnapshotDropped(logger, work.ShopId, work.OrderId, encoded.Body.ToMemory().Length);
            Telemetry.QueueSnapshotsDropped.Add(1);
            return Encode(work with { Order = null });
        }

        return encoded;
    }

    public static ServiceBusMessage Encode(QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var encoded = new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(message, QueueMessage.JsonOptions))
        {
            MessageId = message.ServiceBusMessageId,
            ContentType = "application/json",
            Subject = message.Kind,
        };
        if (message.NotBefore is { } notBefore)
        {
            encoded.ScheduledEnqueueTime = notBefore;
        }

        return encoded;
    }
}
