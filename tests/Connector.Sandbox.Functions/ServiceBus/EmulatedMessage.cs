using System.Text;

namespace Connector.Sandbox.Functions;

/// <summary>A message on an emulated queue. Read-only for callers; the queue updates its delivery state.</summary>
public sealed class EmulatedMessage
{
    internal EmulatedMessage(ReadOnlyMemory<byte> body, QueueMessage properties, string messageId, long sequenceNumber, DateTimeOffset enqueuedTime)
    {
        BodyBytes = body;
        MessageId = messageId;
        ContentType = properties.ContentType;
        CorrelationId = properties.CorrelationId;
        SessionId = properties.SessionId;
        Subject = properties.Subject;
        To = properties.To;
        ReplyTo = properties.ReplyTo;
        ReplyToSessionId = properties.ReplyToSessionId;
        PartitionKey = properties.PartitionKey;
        TimeToLive = properties.TimeToLive;
        ScheduledEnqueueTimeUtc = properties.ScheduledEnqueueTimeUtc;
        UserProperties = new Dictionary<string, object?>(properties.UserProperties);
        SequenceNumber = sequenceNumber;
        EnqueuedTime = properties.ScheduledEnqueueTimeUtc is { } scheduled && scheduled > enqueuedTime ? scheduled : enqueuedTime;
        ExpiresAt = TimeToLive is { } ttl && ttl < DateTimeOffset.MaxValue - EnqueuedTime ? EnqueuedTime + ttl : DateTimeOffset.MaxValue;
    }

    /// <summary>The body as sent.</summary>
    public ReadOnlyMemory<byte> BodyBytes { get; }

    /// <summary>The body decoded as UTF-8.</summary>
    public string Body => Encoding.UTF8.GetString(BodyBytes.Span);

    public string MessageId { get; }

    public string? ContentType { get; }

    public string? CorrelationId { get; }

    public string? SessionId { get; }

    public string? Subject { get; }

    public string? To { get; }

    public string? ReplyTo { get; }

    public string? ReplyToSessionId { get; }

    public string? PartitionKey { get; }

    public TimeSpan? TimeToLive { get; }

    public DateTimeOffset? ScheduledEnqueueTimeUtc { get; }

    public IReadOnlyDictionary<string, object?> UserProperties { get; }

    public long SequenceNumber { get; }

    /// <summary>When the message became (or becomes) visible: the send time, or the scheduled enqueue time.</summary>
    public DateTimeOffset EnqueuedTime { get; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Deliveries so far (the first delivery carries 1).</summary>
    public int DeliveryCount { get; internal set; }

    /// <summary>The lock token of the current or last delivery.</summary>
    public Guid? LockToken { get; internal set; }

    public EmulatedMessageState State { get; internal set; }

    /// <summary><c>MaxDeliveryCountExceeded</c> once dead-lettered.</summary>
    public string? DeadLetterReason { get; internal set; }

    /// <summary>Why the last delivery failed (status code and body, or the exception).</summary>
    public string? DeadLetterErrorDescription { get; internal set; }

    /// <summary>Why the last delivery failed; null when it succeeded or none happened.</summary>
    public string? LastError { get; internal set; }

    public override string ToString() => $"{MessageId} (#{SequenceNumber}, {State}, deliveries {DeliveryCount})";
}

public enum EmulatedMessageState
{
    Scheduled,
    Active,
    Locked,
    Completed,
    DeadLettered,
    Expired,
}
