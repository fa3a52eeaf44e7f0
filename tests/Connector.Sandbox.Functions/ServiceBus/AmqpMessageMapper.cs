using System.Globalization;
using System.Text;
using Amqp;
using Amqp.Framing;
using Amqp.Types;

namespace Connector.Sandbox.Functions;

/// <summary>
/// Turns a received transfer into queue messages (azure-service-bus-amqp.md §3.6, §3.10): a plain AMQP message is one message;
/// message format <c>0x80013700</c> is a batch whose body is one Data section per encoded message. Throws <see cref="AmqpException"/>
/// with the condition the broker rejects the whole transfer with.
/// </summary>
internal static class AmqpMessageMapper
{
    public const uint BatchFormat = 0x80013700;
    public const int MaxMessageIdLength = 128;

    private static readonly Symbol ScheduledEnqueueTime = new("x-opt-scheduled-enqueue-time");
    private static readonly Symbol PartitionKey = new("x-opt-partition-key");
    private const string DateTimeOffsetDescriptor = "com.microsoft:datetime-offset";
    private const string TimeSpanDescriptor = "com.microsoft:timespan";
    private const string UriDescriptor = "com.microsoft:uri";

    public static IReadOnlyList<(byte[] Body, QueueMessage Properties)> Map(Message transfer, uint messageFormat)
    {
        if (messageFormat != BatchFormat)
        {
            return [MapOne(transfer)];
        }

        var sections = transfer.BodySection switch
        {
            DataList list => Enumerable.Range(0, list.Count).Select(i => list[i].Binary).ToList(),
            Data data => [data.Binary],
            _ => throw new AmqpException(ErrorCode.DecodeError, "A batch (message format 0x80013700) needs one Data section per encoded message."),
        };

        var messages = new List<(byte[], QueueMessage)>(sections.Count);
        foreach (var section in sections)
        {
            Message inner;
            try
            {
                inner = Message.Decode(new ByteBuffer(section, 0, section.Length, section.Length));
            }
            catch (Exception ex) when (ex is AmqpException or InvalidCastException or ArgumentException or IndexOutOfRangeException)
            {
                throw new AmqpException(ErrorCode.DecodeError, $"Batch message {messages.Count} is not an encoded AMQP message: {ex.Message}");
            }

            messages.Add(MapOne(inner));
        }

        return messages;
    }

    private static (byte[] Body, QueueMessage Properties) MapOne(Message message)
    {
        var properties = message.Properties;
        var messageId = Id(properties?.GetMessageId());
        if (messageId is { Length: > MaxMessageIdLength })
        {
            throw new AmqpException(
                new Symbol("com.microsoft:argument-out-of-range"),
                string.Create(CultureInfo.InvariantCulture, $"The MessageId is {messageId.Length} characters long; the limit is {MaxMessageIdLength}."));
        }

        var annotations = message.MessageAnnotations?.Map;
        var ttl = message.Header is { Ttl: > 0 } header ? TimeSpan.FromMilliseconds(header.Ttl) : (TimeSpan?)null;
        var scheduled = annotations?[ScheduledEnqueueTime] switch
        {
            DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
            null => (DateTimeOffset?)null,
            var other => throw new AmqpException(ErrorCode.InvalidField, $"x-opt-scheduled-enqueue-time must be a timestamp (got {other.GetType().Name})."),
        };

        return (Body(message), new QueueMessage
        {
            Body = string.Empty,
            MessageId = messageId,
            ContentType = properties?.ContentType,
            CorrelationId = Id(properties?.GetCorrelationId()),
            SessionId = properties?.GroupId,
            Subject = properties?.Subject,
            To = properties?.To,
            ReplyTo = properties?.ReplyTo,
            ReplyToSessionId = properties?.ReplyToGroupId,
            PartitionKey = annotations?[PartitionKey] as string,
            TimeToLive = ttl,
            ScheduledEnqueueTimeUtc = scheduled,
            UserProperties = UserProperties(message.ApplicationProperties),
        });
    }

    // The SDK sends the body as one Data section; AmqpValue string/binary bodies come from other AMQP clients.
    private static byte[] Body(Message message) => message.BodySection switch
    {
        null => [],
        Data data => data.Binary ?? [],
        DataList list => [.. Enumerable.Range(0, list.Count).SelectMany(i => list[i].Binary ?? [])],
        AmqpValue { Value: string text } => Encoding.UTF8.GetBytes(text),
        AmqpValue { Value: byte[] bytes } => bytes,
        AmqpValue { Value: null } => [],
        _ => throw new AmqpException(ErrorCode.NotAllowed, "The emulation accepts a Data body, or an AmqpValue body holding a string or binary."),
    };

    private static string? Id(object? id) => id switch
    {
        null => null,
        string text => text,
        byte[] bytes => Convert.ToHexString(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => id.ToString(),
    };

    private static Dictionary<string, object?> UserProperties(ApplicationProperties? section)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (section?.Map is not { } map)
        {
            return result;
        }

        foreach (var key in map.Keys)
        {
            result[key.ToString()!] = map[key] switch
            {
                DescribedValue { Descriptor: var d, Value: long ticks } when IsDescriptor(d, DateTimeOffsetDescriptor) => new DateTimeOffset(ticks, TimeSpan.Zero),
                DescribedValue { Descriptor: var d, Value: long ticks } when IsDescriptor(d, TimeSpanDescriptor) => TimeSpan.FromTicks(ticks),
                DescribedValue { Descriptor: var d, Value: string uri } when IsDescriptor(d, UriDescriptor) => uri,
                DescribedValue other => other.Value,
                Symbol symbol => (string)symbol,
                DateTime at => DateTime.SpecifyKind(at, DateTimeKind.Utc),
                var value => value,
            };
        }

        return result;
    }

    private static bool IsDescriptor(object descriptor, string name) =>
        descriptor is Symbol symbol && string.Equals(symbol, name, StringComparison.Ordinal);
}
