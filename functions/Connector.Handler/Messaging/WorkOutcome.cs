namespace Connector.Messaging;

/// <summary>
/// What handling one queue message came to. The dispatcher turns it into the answer the Functions host needs: complete
/// the message, or answer non-2xx so Service Bus delivers it again.
/// </summary>
public abstract record WorkOutcome(string Summary)
{
    /// <summary>The work is done (or there was nothing to do): complete the message.</summary>
    public sealed record Done(string Summary) : WorkOutcome(Summary);

    /// <summary>Another delivery holds the same order right now: let Service Bus deliver this one again shortly.</summary>
    public sealed record Busy(string Summary) : WorkOutcome(Summary);

    /// <summary>The work can never succeed as it is; the order (or shop) already shows why. Complete the message.</summary>
    public sealed record Failed(string Code, string Reason) : WorkOutcome(Reason);

    public static WorkOutcome Completed(string summary) => new Done(summary);
}
