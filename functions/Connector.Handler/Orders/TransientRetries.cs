using Azure;
using Connector.Diagnostics;
using Connector.Messaging;
using Connector.TikTok;
using Connector.Web;
using Microsoft.Extensions.Options;

namespace Connector.Orders;

/// <summary>
/// When TikTok, the store or Azure does not answer, an order's work goes back on the queue as a scheduled message, each
/// wait three times the last (5 s, 15 s, 45 s ... up to an hour), for as long as it takes: Service Bus alone would spend
/// its ten deliveries within seconds and dead-letter the order. From the third attempt the merchant sees the order
/// waiting and why.
/// </summary>
public sealed class TransientRetries(
    IQueueSender sender,
    OrderImporter importer,
    StoreWriteBack writeBack,
    IOptions<FetchOptions> options,
    TimeProvider time,
    ILogger<TransientRetries> logger)
{
    public async Task<IResult> RescheduleAsync(QueueMessage message, Exception error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(error);
        var settings = options.Value;
        var attempt = message.Retry + 1;
        var at = time.GetUtcNow() + Delay(attempt, settings);
        try
        {
            // A later attempt re-reads the order from TikTok: the search snapshot may be stale by then (cancelled meanwhile).
            var next = message is OrderWork work ? work with { Order = null } : message;
            await sender.SendAsync(next with { Retry = attempt, NotBefore = at }, cancellationToken);
        }
        catch (Exception e) when (TriggerEndpointsTransient(e))
        {
            // Could not even reschedule: let Service Bus redeliver this one.
            return Problems.Unavailable($"{error.Message} (and rescheduling failed: {e.Message})");
        }

        var reason = $"{Source(error)} did not answer ({Trim(error.Message)}). Connector tries again at {at:HH:mm:ss} UTC and keeps trying.";
        Log.WorkRescheduled(logger, message.ShopId, message.GetType().Name, attempt, at, error.Message);
        if (attempt >= settings.RetryVisibleFromAttempt)
        {
            switch (message)
            {
                case OrderWork work:
                    await importer.RecordProblemAsync(work, "UNAVAILABLE", reason, cancellationToken);
                    break;
                case StoreChangeWork change:
                    await writeBack.RecordWaitingAsync(change, reason, cancellationToken);
                    break;
            }
        }

        return TypedResults.Ok(Functions.InvocationResult.Completed($"Rescheduled (attempt {attempt}) for {at:O}: {reason}"));
    }

    /// <summary>base × 3^(attempt-1), capped, with ±20% jitter so many orders failing together do not return together.</summary>
    public static TimeSpan Delay(int attempt, FetchOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var exponential = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(3, Math.Min(attempt - 1, 20));
        var capped = Math.Min(exponential, settings.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    private static bool TriggerEndpointsTransient(Exception e) => Functions.TriggerEndpoints.IsTransient(e);

    private static string Source(Exception error) => error switch
    {
        TikTokApiException => "TikTok",
        Stores.StoreUnavailableException => "Your store",
        RequestFailedException => "Azure Table Storage",
        Azure.Messaging.ServiceBus.ServiceBusException => "Azure Service Bus",
        _ => "A service Connector depends on",
    };

    private static string Trim(string message) => message.Length <= 200 ? message : message[..200] + "…";
}
