namespace Connector.Sandbox.Functions;

/// <summary>A message to put on an emulated queue directly (<see cref="EmulatedQueue.Send"/>), bypassing the AMQP broker.</summary>
public sealed record QueueMessage
{
    public required string Body { get; init; }

    /// <summary>Null = a generated one (the broker does the same for a message without message-id).</summary>
    public string? MessageId { get; init; }

    public string? ContentType { get; init; } = "application/json";

    public string? CorrelationId { get; init; }

    public string? SessionId { get; init; }

    /// <summary>Subject (v4 <c>Label</c>).</summary>
    public string? Subject { get; init; }

    public string? To { get; init; }

    public string? ReplyTo { get; init; }

    public string? ReplyToSessionId { get; init; }

    public string? PartitionKey { get; init; }

    public TimeSpan? TimeToLive { get; init; }

    public DateTimeOffset? ScheduledEnqueueTimeUtc { get; init; }

    /// <summary>Application (user) properties: string, long, double, bool or null values.</summary>
    public IReadOnlyDictionary<string, object?> UserProperties { get; init; } = new Dictionary<string, object?>();
}
