using System.Text.Json;
using Azure;
using Connector.Diagnostics;
using Connector.Messaging;
using Connector.Orders;
using Connector.Stores;
using Connector.TikTok;
using Connector.Web;

namespace Connector.Functions;

/// <summary>
/// The non-HTTP functions: the host POSTs <c>/{FunctionName}</c> with <c>{Data, Metadata}</c> and reads back
/// <see cref="InvocationResult"/>. Triggers stay thin: parse, call the feature, shape the answer.
/// Non-2xx only when a retry can help; a message that can never succeed is recorded and answered 2xx (design §2).
/// </summary>
public static class TriggerEndpoints
{
    public static void MapTriggerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/FetchOrdersTimer", FetchOrdersTimerAsync).ForFunction("FetchOrdersTimer");
        app.MapPost("/ProcessOrderMessage", ProcessOrderMessageAsync).ForFunction("ProcessOrderMessage");
        app.MapPost("/ProcessBulkMessage", ProcessBulkMessageAsync).ForFunction("ProcessBulkMessage");
        app.MapPost("/HousekeepingTimer", HousekeepingTimerAsync).ForFunction("HousekeepingTimer");
    }

    private static Task<IResult> FetchOrdersTimerAsync(HttpRequest request, OrderFetcher fetcher, TimeProvider time, CancellationToken cancellationToken) =>
        RunTimerAsync(request, async ct => $"Queued a fetch for each of {await fetcher.FanOutAsync(time.GetUtcNow(), ct)} connected shops.", cancellationToken);

    private static Task<IResult> HousekeepingTimerAsync(HttpRequest request, Housekeeping housekeeping, CancellationToken cancellationToken) =>
        RunTimerAsync(request, async ct => $"Queued housekeeping for {await housekeeping.FanOutAsync(ct)} shops.", cancellationToken);

    /// <summary>A timer invocation: check the payload, fan the work out through the queue, report what was queued.</summary>
    private static async Task<IResult> RunTimerAsync(HttpRequest request, Func<CancellationToken, Task<string>> fanOut, CancellationToken cancellationToken)
    {
        var (invocation, problem) = await ReadInvocationAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            _ = invocation!.TriggerData("timer");
            return TypedResults.Ok(InvocationResult.Completed(await fanOut(cancellationToken)));
        }
        catch (InvalidInvocationException e)
        {
            return Problems.BadRequest(e.Message);
        }
        catch (Exception e) when (IsTransient(e))
        {
            return Problems.Unavailable($"The timer run could not queue its jobs: {e.Message}");
        }
    }

    private static Task<IResult> ProcessOrderMessageAsync(
        HttpRequest request, OrderFetcher fetcher, OrderImporter importer, ShopEvents shopEvents, Housekeeping housekeeping,
        StoreChangeScanner scanner, StoreWriteBack writeBack, TransientRetries retries, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ProcessMessageAsync("ProcessOrderMessage", request, fetcher, importer, shopEvents, housekeeping, scanner, writeBack, retries, loggers, cancellationToken);

    /// <summary>The bulk queue: the same work, at most <see cref="QueueOptions.BulkConcurrency"/> at once on this instance.</summary>
    private static async Task<IResult> ProcessBulkMessageAsync(
        HttpRequest request, BulkLane lane, OrderFetcher fetcher, OrderImporter importer, ShopEvents shopEvents, Housekeeping housekeeping,
        StoreChangeScanner scanner, StoreWriteBack writeBack, TransientRetries retries, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var slot = await lane.EnterAsync(cancellationToken);
        return await ProcessMessageAsync("ProcessBulkMessage", request, fetcher, importer, shopEvents, housekeeping, scanner, writeBack, retries, loggers, cancellationToken);
    }

    private static async Task<IResult> ProcessMessageAsync(
        string functionName, HttpRequest request, OrderFetcher fetcher, OrderImporter importer, ShopEvents shopEvents, Housekeeping housekeeping,
        StoreChangeScanner scanner, StoreWriteBack writeBack, TransientRetries retries, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (invocation, problem) = await ReadInvocationAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var logger = loggers.CreateLogger("Connector." + functionName);
        var messageId = invocation!.MetadataString("MessageId") ?? "";
        var deliveryCount = invocation.MetadataInt("DeliveryCount") ?? 1;
        QueueMessage? message;
        try
        {
            var body = invocation.TriggerData("msg");
            message = body.Deserialize<QueueMessage>(QueueMessage.JsonOptions);
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

        // The trace that queued this message continues here (trace context travels in the message's properties).
        using var activity = StartConsumerActivity(invocation, message, messageId);
        try
        {
            var log = message switch
            {
                FetchJob job => await fetcher.RunPageAsync(job, cancellationToken),
                OrderWork work => await importer.ProcessAsync(work, Delivery.Of(work, messageId, deliveryCount), cancellationToken),
                ShopEvent shopEvent => await shopEvents.ApplyAsync(shopEvent, cancellationToken),
                CleanupJob cleanup => await housekeeping.RunAsync(cleanup, cancellationToken),
                StoreScanJob scan => await scanner.RunPageAsync(scan, cancellationToken),
                StoreChangeWork change => await writeBack.ProcessAsync(change, Delivery.Of(change, messageId, deliveryCount), cancellationToken),
                _ => $"Ignored message kind {message.GetType().Name}.",
            };
            return TypedResults.Ok(InvocationResult.Completed(log));
        }
        catch (TikTokApiException e) when (!e.IsTransient && message is FetchJob)
        {
            // The fetch cannot go on (authorisation expired, scope missing...): the shop's status says why; the timer tries again next run.
            Log.FetchFailed(logger, message.ShopId, e.Message);
            await fetcher.StopAsync((FetchJob)message, $"TikTok refused: {e.TikTokMessage} (code {e.Code}).", cancellationToken);
            return TypedResults.Ok(InvocationResult.Completed($"Fetch for shop {message.ShopId} stopped: {e.TikTokMessage} (code {e.Code})."));
        }
        catch (TikTokApiException e) when (!e.IsTransient && e.Code != TikTokErrorCodes.ExpiredAccessToken && message is OrderWork work)
        {
            // TikTok refuses this shop's calls (authorisation revoked or expired): redelivering cannot help; the order says why.
            var reason = $"TikTok refused the call: {e.TikTokMessage} (code {e.Code}). Reconnect the shop, then retry the order.";
            await importer.RecordProblemAsync(work, "TIKTOK_REFUSED", reason, cancellationToken);
            return TypedResults.Ok(InvocationResult.Completed($"Order {work.OrderId}: {reason}"));
        }
        catch (QueueMessageTooLargeException e)
        {
            // Sending the same oversized message again cannot succeed: complete it and say so, rather than dead-letter it unchanged.
            Log.PoisonMessage(logger, messageId, e.Message);
            if (message is FetchJob stopped)
            {
                await fetcher.StopAsync(stopped, e.Message, cancellationToken);
            }

            if (message is OrderWork tooLarge)
            {
                await importer.RecordProblemAsync(tooLarge, "QUEUE_REFUSED", $"Connector could not queue this order's work: {e.Message} Retry the order.", cancellationToken);
            }

            return TypedResults.Ok(InvocationResult.Completed($"Message {messageId} completed without its follow-up work: {e.Message}"));
        }
        catch (Exception e) when (IsTransient(e) && e is not ImportBusyException && message is OrderWork or StoreChangeWork)
        {
            // An order must never be dropped: instead of burning its deliveries in seconds, it comes back later and later.
            return await retries.RescheduleAsync(message, e, cancellationToken);
        }
        catch (Exception e) when (IsTransient(e))
        {
            Log.TransientFailure(logger, functionName, deliveryCount, e.Message);
            return Problems.Unavailable(e.Message);
        }
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

    /// <summary>Worth a redelivery: throttling, timeouts, 5xx, lost connections, another delivery holding the order.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        TikTokApiException t => t.IsTransient || t.Code == TikTokErrorCodes.ExpiredAccessToken,
        StoreUnavailableException or ImportBusyException or HttpRequestException or TimeoutException => true,
        Azure.Messaging.ServiceBus.ServiceBusException b => b.IsTransient,
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        TaskCanceledException => true,
        Polly.CircuitBreaker.BrokenCircuitException => true,
        _ => false,
    };

    private static async Task<(FunctionInvocation? Invocation, IResult? Problem)> ReadInvocationAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (payload, problem) = await Problems.ReadJsonAsync<JsonDocument>(request, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        using (payload)
        {
            try
            {
                return (FunctionInvocation.Parse(payload!.RootElement), null);
            }
            catch (InvalidInvocationException e)
            {
                return (null, Problems.BadRequest(e.Message));
            }
        }
    }
}
