using System.Text.Json;
using Connector.Diagnostics;
using Connector.Messaging;
using Connector.Web;

namespace Connector.Functions;

/// <summary>
/// Runs one Service Bus invocation (design §2): reads the message (an unreadable one is completed, never redelivered),
/// continues the sender's trace, finds the handler of its kind, and turns the outcome into the host's answer — 2xx to
/// complete, 503 to let Service Bus redeliver. Failures are classified once, here: work that must never be dropped is
/// rescheduled with growing pauses; other transient failures are redelivered.
/// </summary>
public sealed class QueueWorkDispatcher(IEnumerable<QueueWorkRegistration> registrations, IServiceProvider services, TransientRetries retries, ILogger<QueueWorkDispatcher> logger)
{
    private readonly Dictionary<Type, QueueWorkRegistration> _handlers = registrations.ToDictionary(r => r.MessageType);

    public sealed record Context(string FunctionName, QueueMessage Message, Delivery Delivery, int DeliveryCount, string MessageId, CancellationToken CancellationToken);

    public async Task<IResult> DispatchAsync(string functionName, FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var messageId = invocation.MetadataString("MessageId") ?? "";
        var deliveryCount = invocation.MetadataInt("DeliveryCount") ?? 1;
        QueueMessage? message;
        try
        {
            message = invocation.TriggerData("msg").Deserialize<QueueMessage>(QueueMessage.JsonOptions);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidInvocationException)
        {
            // Redelivering cannot fix a body we cannot read: record it and complete the message.
            Log.PoisonMessage(logger, messageId, e.Message);
            return TypedResults.Ok(InvocationResult.Completed($"Discarded unreadable message {messageId}: {e.Message}"));
        }

        if (message is null || !ShopIds.IsValid(message.ShopId))
        {
            Log.PoisonMessage(logger, messageId, "no valid shop id");
            return TypedResults.Ok(InvocationResult.Completed($"Discarded message {messageId} without a valid shop id."));
        }

        if (message.Problem() is { } problem)
        {
            Log.PoisonMessage(logger, messageId, problem);
            return TypedResults.Ok(InvocationResult.Completed($"Discarded message {messageId}: {problem}"));
        }

        if (!_handlers.TryGetValue(message.GetType(), out var registration))
        {
            Log.PoisonMessage(logger, messageId, $"no handler for {message.Kind}");
            return TypedResults.Ok(InvocationResult.Completed($"Ignored message kind {message.Kind}."));
        }

        // The trace that queued this message continues here (trace context travels in the message's properties).
        using var activity = StartConsumerActivity(invocation, message, messageId);
        var context = new Context(functionName, message, Delivery.Of(message, messageId, deliveryCount), deliveryCount, messageId, cancellationToken);
        return await registration.Run(this, services, context);
    }

    /// <summary>Runs the handler and shapes its outcome or failure into the host's answer.</summary>
    public async Task<IResult> RunAsync<TMessage>(IQueueWorkHandler<TMessage> handler, TMessage message, Context context)
        where TMessage : QueueMessage
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        try
        {
            var outcome = await handler.HandleAsync(message, context.Delivery, cancellationToken);
            if (outcome is WorkOutcome.Busy busy)
            {
                Log.TransientFailure(logger, context.FunctionName, context.DeliveryCount, busy.Summary);
                return Problems.Unavailable(busy.Summary);
            }

            return TypedResults.Ok(InvocationResult.Completed(outcome.Summary));
        }
        catch (QueueMessageTooLargeException e)
        {
            // Sending the same oversized follow-up again cannot succeed: complete the message rather than dead-letter it unchanged.
            Log.PoisonMessage(logger, context.MessageId, e.Message);
            return TypedResults.Ok(InvocationResult.Completed($"Message {context.MessageId} completed without its follow-up work: {e.Message}"));
        }
        catch (Exception e) when (TransientErrors.IsTransient(e) && handler.Reschedules)
        {
            return await RescheduleAsync(handler, message, e, context);
        }
        catch (Exception e) when (TransientErrors.IsTransient(e))
        {
            Log.TransientFailure(logger, context.FunctionName, context.DeliveryCount, e.Message);
            return Problems.Unavailable(e.Message);
        }
    }

    private async Task<IResult> RescheduleAsync<TMessage>(IQueueWorkHandler<TMessage> handler, TMessage message, Exception error, Context context)
        where TMessage : QueueMessage
    {
        Rescheduled next;
        try
        {
            next = await retries.RescheduleAsync(message, error, context.CancellationToken);
        }
        catch (Exception e) when (TransientErrors.IsTransient(e))
        {
            // Could not even reschedule: let Service Bus redeliver this one.
            return Problems.Unavailable($"{error.Message} (and rescheduling failed: {e.Message})");
        }

        if (next.Visible)
        {
            try
            {
                await handler.RecordWaitingAsync(message, next.Reason, context.CancellationToken);
            }
            catch (Exception e) when (TransientErrors.IsTransient(e))
            {
                // The next attempt is already queued: failing now would deliver this one again beside it. The note is
                // written again by that attempt if it has to wait too.
                Log.WaitingNotRecorded(logger, message.ShopId, message.GetType().Name, e.Message);
            }
        }

        return TypedResults.Ok(InvocationResult.Completed($"Rescheduled (attempt {next.Attempt}) for {next.At:O}: {next.Reason}"));
    }

    private static System.Diagnostics.Activity? StartConsumerActivity(FunctionInvocation invocation, QueueMessage message, string messageId)
    {
        var parent = invocation.ApplicationProperties().TryGetValue(ServiceBusQueueSender.DiagnosticIdProperty, out var traceParent)
            && System.Diagnostics.ActivityContext.TryParse(traceParent.Trim('"'), null, out var context)
                ? context
                : default;
        var activity = Telemetry.Source.StartActivity($"process {message.GetType().Name}", System.Diagnostics.ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "servicebus");
        activity?.SetTag("messaging.message.id", messageId);
        activity?.SetTag("connector.shop_id", message.ShopId);
        if (message is OrderWork work)
        {
            activity?.SetTag("connector.order_id", work.OrderId);
        }

        return activity;
    }
}
