using Connector.Diagnostics;
using Connector.Messaging;
using Connector.Orders;
using Microsoft.Extensions.Options;

namespace Connector.Functions;

/// <summary>
/// When TikTok, the store or Azure does not answer, work that must never be dropped goes back on its queue as a scheduled
/// message, each wait three times the last (5 s, 15 s, 45 s ... up to an hour), for as long as it takes: Service Bus alone
/// would spend its ten deliveries within seconds and dead-letter it.
/// </summary>
public sealed class TransientRetries(IQueueSender sender, IOptions<FetchOptions> options, TimeProvider time, ILogger<TransientRetries> logger)
{
    /// <summary>Sends the next attempt; returns it with the merchant-facing reason and whether the merchant should see it yet.</summary>
    public async Task<Rescheduled> RescheduleAsync(QueueMessage message, Exception error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(error);
        var settings = options.Value;
        var attempt = message.Retry + 1;
        var at = time.GetUtcNow() + Delay(attempt, settings);

        // A later attempt re-reads the order from TikTok: the search snapshot may be stale by then (cancelled meanwhile).
        var next = message is OrderWork work ? work with { Order = null } : message;
        await sender.SendAsync(next with { Retry = attempt, NotBefore = at }, cancellationToken);
        var reason = $"{TransientErrors.Source(error)} did not answer ({Trim(error.Message)}). Connector tries again at {at:HH:mm:ss} UTC and keeps trying.";
        Log.WorkRescheduled(logger, message.ShopId, message.GetType().Name, attempt, at, error.Message);
        return new Rescheduled(attempt, at, reason, Visible: attempt >= settings.RetryVisibleFromAttempt);
    }

    /// <summary>base × 3^(attempt-1), capped, with ±20% jitter so many orders failing together do not return together.</summary>
    public static TimeSpan Delay(int attempt, FetchOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var exponential = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(3, Math.Min(attempt - 1, 20));
        var capped = Math.Min(exponential, settings.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    private static string Trim(string message) => message.Length <= 200 ? message : message[..200] + "…";
}

public sealed record Rescheduled(int Attempt, DateTimeOffset At, string Reason, bool Visible);
