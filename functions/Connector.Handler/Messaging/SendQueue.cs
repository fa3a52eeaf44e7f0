using Azure.Messaging.ServiceBus;

namespace Connector.Messaging;

/// <summary>
/// Group commit for one queue: messages sent while a batch is on its way wait and leave together in the next batch, so a
/// burst of webhooks costs a few round trips to Service Bus instead of one each. When nothing is in flight a message goes
/// at once (no waiting for company). Each caller learns the fate of its own messages only.
/// </summary>
internal sealed class SendQueue(Func<IReadOnlyList<SendQueue.Pending>, Task> sendBatches)
{
    private readonly Lock _gate = new();
    private List<Pending> _waiting = [];
    private bool _draining;

    /// <summary>One message on its way and the caller awaiting it.</summary>
    internal sealed class Pending(QueueMessage message, ServiceBusMessage encoded)
    {
        public QueueMessage Message { get; } = message;
        public ServiceBusMessage Encoded { get; } = encoded;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task SendAsync(IReadOnlyList<Pending> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        bool start;
        lock (_gate)
        {
            _waiting.AddRange(messages);
            start = !_draining;
            _draining = true;
        }

        if (start)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        // The send itself is not cancelled with one caller: others' messages share its batch.
        return Task.WhenAll(messages.Select(m => m.Done.Task)).WaitAsync(cancellationToken);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<Pending> taken;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _draining = false;
                    return;
                }

                taken = _waiting;
                _waiting = [];
            }

            try
            {
                await sendBatches(taken);
            }
            catch (Exception e)
            {
                // sendBatches settles each message it can; whatever is left shares the failure.
                foreach (var pending in taken)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }
    }
}
