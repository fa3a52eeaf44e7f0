namespace Connector.Sandbox;

/// <summary>
/// How a platform retries a webhook its receiver did not take (TikTok and Shopify alike): the first attempt at once, the
/// retries on a schedule in the background, so later webhooks are not held up behind a failing one.
/// </summary>
public static class WebhookRetries
{
    /// <summary>
    /// Runs <paramref name="attempt"/> (0 = the first) now and, while it fails, after each pause of <paramref name="schedule"/>.
    /// <paramref name="finished"/> runs once: when an attempt succeeded or the schedule ran out (or the simulator stopped).
    /// </summary>
    public static async Task DeliverAsync(
        Func<int, CancellationToken, Task<bool>> attempt, IReadOnlyList<TimeSpan> schedule, TimeProvider time, Action finished, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(finished);
        if (await attempt(0, stop) || schedule.Count == 0)
        {
            finished();
            return;
        }

        _ = Task.Run(() => RetryAsync(attempt, schedule, time, finished, stop), stop);
    }

    private static async Task RetryAsync(
        Func<int, CancellationToken, Task<bool>> attempt, IReadOnlyList<TimeSpan> schedule, TimeProvider time, Action finished, CancellationToken stop)
    {
        try
        {
            for (var i = 0; i < schedule.Count; i++)
            {
                await Task.Delay(schedule[i], time, stop);
                if (await attempt(i + 1, stop))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while waiting for the next retry.
        }
        finally
        {
            finished();
        }
    }

    /// <summary>
    /// One attempt: sends the request and gives the status, or why there is none (no connection, no answer within
    /// <paramref name="timeout"/>). A stop of the simulator itself is not an answer and is thrown.
    /// </summary>
    public static async Task<(int? Status, string? Error)> PostAsync(HttpClient http, HttpRequestMessage request, TimeSpan timeout, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, deadline.Token);
            return ((int)response.StatusCode, null);
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return (null, $"no answer within {timeout}");
        }
    }
}
