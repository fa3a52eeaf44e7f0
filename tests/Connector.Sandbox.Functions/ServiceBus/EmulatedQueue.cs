using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Connector.Sandbox.Functions;

/// <summary>
/// An in-memory Service Bus queue with peek-lock semantics (§1.9, §4.1): a delivery locks a message (new LockToken,
/// DeliveryCount + 1); success completes it; failure abandons it so it is delivered again; a failure of the
/// <c>MaxDeliveryCount</c>-th delivery moves it to the dead-letter list with reason <c>MaxDeliveryCountExceeded</c>.
/// Duplicate detection drops a MessageId seen within the window. With sessions, one message per SessionId is
/// in flight at a time, in sequence order.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It emulates a Service Bus queue; the name is part of the sandbox API.")]
public sealed class EmulatedQueue
{
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";

    private readonly Lock _gate = new();
    private readonly List<EmulatedMessage> _pending = [];
    private readonly List<EmulatedMessage> _sent = [];
    private readonly List<EmulatedMessage> _completed = [];
    private readonly List<EmulatedMessage> _deadLetters = [];
    private readonly List<EmulatedMessage> _expired = [];
    private readonly Dictionary<string, DateTimeOffset> _seenMessageIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lockedSessions = new(StringComparer.Ordinal);
    private readonly int _maxDeliveryCount;
    private readonly TimeSpan _duplicateDetectionWindow;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private TaskCompletionSource _changed = NewSignal();
    private long _sequence;
    private int _duplicatesDropped;

    internal EmulatedQueue(string name, bool requiresSession, int maxDeliveryCount, TimeSpan duplicateDetectionWindow, TimeProvider timeProvider, ILogger logger)
    {
        Name = name;
        RequiresSession = requiresSession;
        _maxDeliveryCount = maxDeliveryCount;
        _duplicateDetectionWindow = duplicateDetectionWindow;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Name { get; }

    /// <summary>Sessions enabled (a serviceBusTrigger on it has <c>isSessionsEnabled: true</c>): every message needs a SessionId.</summary>
    public bool RequiresSession { get; private set; }

    /// <summary>Messages waiting for delivery (visible now, not locked).</summary>
    public int ActiveCount => Count(EmulatedMessageState.Active);

    /// <summary>Messages scheduled for later.</summary>
    public int ScheduledCount => Count(EmulatedMessageState.Scheduled);

    /// <summary>Messages locked by a delivery that has not finished.</summary>
    public int InFlightCount => Count(EmulatedMessageState.Locked);

    /// <summary>No message waiting, scheduled or in flight.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count == 0;
            }
        }
    }

    /// <summary>Every message accepted onto the queue, in send order (duplicates that were dropped are not here; see <see cref="DuplicatesDropped"/>).</summary>
    public IReadOnlyList<EmulatedMessage> Sent => Snapshot(_sent);

    /// <summary>MessageIds of completed messages, in completion order.</summary>
    public IReadOnlyList<string> Completed
    {
        get
        {
            lock (_gate)
            {
                return [.. _completed.Select(m => m.MessageId)];
            }
        }
    }

    /// <summary>Completed messages, in completion order.</summary>
    public IReadOnlyList<EmulatedMessage> CompletedMessages => Snapshot(_completed);

    /// <summary>The dead-letter sub-queue: <see cref="EmulatedMessage.DeadLetterReason"/> is <c>MaxDeliveryCountExceeded</c>.</summary>
    public IReadOnlyList<EmulatedMessage> DeadLetters => Snapshot(_deadLetters);

    /// <summary>Messages whose TimeToLive ran out before delivery (dropped, as without dead-lettering on expiration).</summary>
    public IReadOnlyList<EmulatedMessage> Expired => Snapshot(_expired);

    /// <summary>Sends whose MessageId was seen within the duplicate detection window: accepted and dropped.</summary>
    public int DuplicatesDropped => Volatile.Read(ref _duplicatesDropped);

    /// <summary>Puts a message on the queue as a send through the broker would; returns null when it was dropped as a duplicate.</summary>
    public EmulatedMessage? Send(QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Enqueue(Encoding.UTF8.GetBytes(message.Body), message);
    }

    internal void EnableSessions() => RequiresSession = true;

    /// <summary>Service Bus's refusal of a message without SessionId on a session queue.</summary>
    internal string MissingSessionIdError =>
        $"The SessionId was not set on a message, and it cannot be sent to the entity '{Name}'. Entities that have session support enabled can only receive messages that have the SessionId set to a valid value.";

    internal EmulatedMessage? Enqueue(ReadOnlyMemory<byte> body, QueueMessage properties)
    {
        if (RequiresSession && string.IsNullOrEmpty(properties.SessionId))
        {
            throw new ArgumentException(MissingSessionIdError, nameof(properties));
        }

        var now = _timeProvider.GetUtcNow();
        var messageId = string.IsNullOrEmpty(properties.MessageId) ? Guid.NewGuid().ToString("N") : properties.MessageId;
        lock (_gate)
        {
            if (_seenMessageIds.TryGetValue(messageId, out var seen) && now - seen < _duplicateDetectionWindow)
            {
                _duplicatesDropped++;
                Log.DuplicateDropped(_logger, messageId, Name);
                return null;
            }

            if (_seenMessageIds.Count > 10_000)
            {
                foreach (var old in _seenMessageIds.Where(p => now - p.Value >= _duplicateDetectionWindow).Select(p => p.Key).ToList())
                {
                    _seenMessageIds.Remove(old);
                }
            }

            _seenMessageIds[messageId] = now;
            var message = new EmulatedMessage(body, properties, messageId, ++_sequence, now)
            {
                State = properties.ScheduledEnqueueTimeUtc > now ? EmulatedMessageState.Scheduled : EmulatedMessageState.Active,
            };
            _pending.Add(message);
            _sent.Add(message);
            Signal();
            return message;
        }
    }

    /// <summary>Waits for the next deliverable message and locks it (DeliveryCount + 1, new LockToken).</summary>
    internal async Task<EmulatedMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            DateTimeOffset? wakeAt;
            lock (_gate)
            {
                var now = _timeProvider.GetUtcNow();
                wakeAt = Refresh(now);
                var message = FirstDeliverable();
                if (message is not null)
                {
                    message.State = EmulatedMessageState.Locked;
                    message.DeliveryCount++;
                    message.LockToken = Guid.NewGuid();
                    if (RequiresSession)
                    {
                        _lockedSessions.Add(message.SessionId!);
                    }

                    Signal();
                    return message;
                }

                changed = _changed.Task;
            }

            if (wakeAt is { } at)
            {
                using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = at - _timeProvider.GetUtcNow();
                var clamped = delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : delay;
                var timer = Task.Delay(clamped, _timeProvider, delayCancellation.Token);
                await Task.WhenAny(changed, timer).WaitAsync(cancellationToken);
                await delayCancellation.CancelAsync();
            }
            else
            {
                await changed.WaitAsync(cancellationToken);
            }
        }
    }

    internal void Complete(EmulatedMessage message)
    {
        lock (_gate)
        {
            Unlock(message);
            message.State = EmulatedMessageState.Completed;
            message.LastError = null;
            _pending.Remove(message);
            _completed.Add(message);
            Signal();
        }
    }

    /// <summary>Abandons a failed delivery; returns true when the message was dead-lettered instead.</summary>
    internal bool Abandon(EmulatedMessage message, string error)
    {
        lock (_gate)
        {
            Unlock(message);
            message.LastError = error;
            if (message.DeliveryCount >= _maxDeliveryCount)
            {
                message.State = EmulatedMessageState.DeadLettered;
                message.DeadLetterReason = MaxDeliveryCountExceeded;
                message.DeadLetterErrorDescription = string.Create(
                    CultureInfo.InvariantCulture, $"Message could not be consumed after {_maxDeliveryCount} delivery attempts. Last failure: {error}");
                _pending.Remove(message);
                _deadLetters.Add(message);
                Signal();
                Log.DeadLettered(_logger, message.MessageId, Name, message.DeliveryCount, error);
                return true;
            }

            // Abandon: the message keeps its place (sequence order) and is visible again at once.
            message.State = EmulatedMessageState.Active;
            Signal();
            return false;
        }
    }

    /// <summary>Returns a message whose delivery was interrupted by shutdown, without counting it as a failure.</summary>
    internal void Release(EmulatedMessage message)
    {
        lock (_gate)
        {
            if (message.State == EmulatedMessageState.Locked)
            {
                Unlock(message);
                message.State = EmulatedMessageState.Active;
                Signal();
            }
        }
    }

    private void Unlock(EmulatedMessage message)
    {
        if (message.State != EmulatedMessageState.Locked)
        {
            throw new InvalidOperationException($"Message {message.MessageId} is not locked (state {message.State}).");
        }

        if (RequiresSession)
        {
            _lockedSessions.Remove(message.SessionId!);
        }
    }

    /// <summary>Activates due scheduled messages and drops expired ones; returns when the next scheduled message or expiry is due.</summary>
    private DateTimeOffset? Refresh(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        for (var i = 0; i < _pending.Count; i++)
        {
            var message = _pending[i];
            if (message.State == EmulatedMessageState.Scheduled)
            {
                if (message.EnqueuedTime <= now)
                {
                    message.State = EmulatedMessageState.Active;
                }
                else
                {
                    next = next is { } n && n < message.EnqueuedTime ? n : message.EnqueuedTime;
                    continue;
                }
            }

            if (message.State == EmulatedMessageState.Active && message.ExpiresAt <= now)
            {
                message.State = EmulatedMessageState.Expired;
                _pending.RemoveAt(i--);
                _expired.Add(message);
                Log.Expired(_logger, message.MessageId, Name);
            }
        }

        return next;
    }

    private EmulatedMessage? FirstDeliverable()
    {
        HashSet<string>? sessionsWithEarlierMessage = RequiresSession ? new(StringComparer.Ordinal) : null;
        foreach (var message in _pending)
        {
            if (sessionsWithEarlierMessage is not null)
            {
                // Sessions: FIFO per SessionId, one message of a session in flight at a time.
                var session = message.SessionId!;
                if (message.State == EmulatedMessageState.Scheduled)
                {
                    continue;
                }

                if (_lockedSessions.Contains(session) || !sessionsWithEarlierMessage.Add(session))
                {
                    continue;
                }
            }

            if (message.State == EmulatedMessageState.Active)
            {
                return message;
            }
        }

        return null;
    }

    private int Count(EmulatedMessageState state)
    {
        lock (_gate)
        {
            Refresh(_timeProvider.GetUtcNow());
            return _pending.Count(m => m.State == state);
        }
    }

    private List<EmulatedMessage> Snapshot(List<EmulatedMessage> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override string ToString()
    {
        lock (_gate)
        {
            return $"{Name}: {_pending.Count(m => m.State == EmulatedMessageState.Active)} active, {_pending.Count(m => m.State == EmulatedMessageState.Scheduled)} scheduled, "
                + $"{_pending.Count(m => m.State == EmulatedMessageState.Locked)} in flight, {_completed.Count} completed, {_deadLetters.Count} dead-lettered, {_duplicatesDropped} duplicates dropped";
        }
    }
}
