using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Connector.Sandbox.Functions;

/// <summary>
/// The serviceBusTrigger listener of one function (§1.9, §4.1): receives from its queue in peek-lock mode with up to
/// <c>maxConcurrentCalls</c> deliveries in flight (<c>maxConcurrentSessions</c> for a session queue, one per session),
/// POSTs each to <c>/{FunctionName}</c>, completes on success and abandons on failure (redelivery; dead-letter after
/// MaxDeliveryCount, done by the queue).
/// </summary>
internal sealed class ServiceBusDispatcher(
    FunctionDefinition function,
    EmulatedQueue queue,
    int concurrency,
    HandlerInvoker invoker,
    string namespaceHost,
    TimeProvider timeProvider,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var running = new List<Task>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await slots.WaitAsync(stopping);
                EmulatedMessage message;
                try
                {
                    message = await queue.ReceiveAsync(stopping);
                }
                catch
                {
                    slots.Release();
                    throw;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(
                    async () =>
                    {
                        try
                        {
                            await DeliverAsync(message, stopping);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    },
                    CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.DispatcherFailed(logger, function.Name, ex);
            throw;
        }
        finally
        {
            await Task.WhenAll(running);
        }
    }

    private async Task DeliverAsync(EmulatedMessage message, CancellationToken stopping)
    {
        try
        {
            var payload = InvocationPayloads.ServiceBus(function, message, namespaceHost, timeProvider.GetUtcNow());
            var detail = string.Create(CultureInfo.InvariantCulture, $", queue '{queue.Name}', MessageId {message.MessageId}, DeliveryCount {message.DeliveryCount}");
            var outcome = await invoker.InvokeAsync(function.Name, "serviceBus", payload, detail, stopping);
            if (outcome.Succeeded)
            {
                queue.Complete(message);
            }
            else
            {
                queue.Abandon(message, outcome.Error!);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            queue.Release(message);
        }
    }
}
