namespace Connector.Messaging;

/// <summary>A message that does not fit in a Service Bus message even alone and cannot be made smaller: sending it again cannot help.</summary>
public sealed class QueueMessageTooLargeException(string messageId, long bytes)
    : Exception($"Message {messageId} is {bytes} bytes, over the Service Bus message limit.")
{
    public string MessageId { get; } = messageId;

    public long Bytes { get; } = bytes;
}
