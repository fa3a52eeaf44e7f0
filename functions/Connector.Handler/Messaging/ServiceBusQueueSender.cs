using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Connector.Diagnostics;
using Microsoft.Extensions.Options;

namespace Connector.Messaging;

/// <summary>
/// Sends with the official SDK (design §2; reference/azure-service-bus-amqp.md §2): one cached sender per queue, batches
/// sized by the link (<see cref="ServiceBusMessageBatch.TryAddMessage"/>), so no batch can exceed the broker's limit. An order
/// whose search snapshot makes its message too large goes without it (the processor re-reads the order from TikTok).
/// </summary>
public sealed class ServiceBusQueueSender(ServiceBusClient client, IOptions<QueueOptions> options, ILogger<ServiceBusQueueSender> logger) : IQueueSender
{
    /// <summary>The application property carrying the W3C trace parent; the SDK sets it from <see cref="Activity.Current"/>.</summary>
    public const string DiagnosticIdProperty = "Diagnostic-Id";

    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    public async Task SendAsync(IReadOnlyCollection<QueueMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var lane in messages.GroupBy(m => m.Lane))
        {
            await SendToQueueAsync(options.Value.QueueFor(lane.Key), [.. lane], cancellationToken);
        }
    }

    private async Task SendToQueueAsync(string queueName, List<QueueMessage> messages, CancellationToken cancellationToken)
    {
        var sender = _senders.GetOrAdd(queueName, client.CreateSender);
        ServiceBusMessageBatch? batch = null;
        try
        {
            foreach (var message in messages)
            {
                var encoded = Encode(message);
                batch ??= await sender.CreateMessageBatchAsync(cancellationToken);
                if (batch.TryAddMessage(encoded))
                {
                    continue;
                }

                if (batch.Count > 0)
                {
                    await SendBatchAsync(sender, batch, cancellationToken);
                    batch.Dispose();
                    batch = await sender.CreateMessageBatchAsync(cancellationToken);
                    if (batch.TryAddMessage(encoded))
                    {
                        continue;
                    }
                }

                // Alone in an empty batch it still does not fit (Standard tier: 256 KB).
                if (!batch.TryAddMessage(Shrink(message, encoded)))
                {
                    Log.QueueMessageTooLarge(logger, message.ShopId, message.ServiceBusMessageId, encoded.Body.ToMemory().Length);
                    throw new QueueMessageTooLargeException(message.ServiceBusMessageId, encoded.Body.ToMemory().Length);
                }
            }

            if (batch is { Count: > 0 })
            {
                await SendBatchAsync(sender, batch, cancellationToken);
            }
        }
        catch (ServiceBusException e)
        {
            Log.QueueSendFailed(logger, queueName, messages.Count, e.Reason.ToString(), e.IsTransient, e.Message);
            Telemetry.QueueSendFailures.Add(1, new KeyValuePair<string, object?>("queue", queueName));
            throw;
        }
        finally
        {
            batch?.Dispose();
        }
    }

    private static async Task SendBatchAsync(ServiceBusSender sender, ServiceBusMessageBatch batch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await sender.SendMessagesAsync(batch, cancellationToken);
        var queue = new KeyValuePair<string, object?>("queue", sender.EntityPath);
        Telemetry.QueueSendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, queue);
        Telemetry.QueueMessagesSent.Add(batch.Count, queue);
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
