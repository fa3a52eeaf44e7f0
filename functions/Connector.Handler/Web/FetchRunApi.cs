using System.Text.RegularExpressions;
using Connector.Orders;
using Connector.State;
using Microsoft.Extensions.Options;

namespace Connector.Web;

/// <summary>
/// <c>GET /api/orders/fetch/{runId}?shopId=</c>: where a Fetch Order run is, as data (the page used to read it from an
/// activity sentence). The shop's current run has its progress; an older one is known only if the orders cursor names it.
/// </summary>
public static partial class FetchRunApi
{
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Stopped = "stopped";

    /// <summary>Run ids as OrderFetcher makes them: 'm' + Unix milliseconds (a press), 't' + Unix seconds (the timer).</summary>
    public static bool IsValidRunId(string? runId) => runId is not null && RunIdPattern().IsMatch(runId);

    public static async Task<IResult> GetAsync(
        string runId, string? shopId, FetchRunStore runs, CursorStore cursors,
        IOptions<FetchOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IsValidRunId(runId))
        {
            return Problems.Invalid(new Dictionary<string, string[]>
            {
                ["runId"] = ["A run id is 'm' or 't' followed by 1–20 digits, as POST /api/orders/fetch answers it."],
            });
        }

        var current = await runs.GetAsync(shopId!, cancellationToken);
        if (current is not null && current.RunId == runId)
        {
            return TypedResults.Ok(FetchRunView.From(current, time.GetUtcNow(), options.Value.RunJoinWindow));
        }

        // A newer run replaced the row: a run that moved the cursor is remembered there, with its order count.
        var cursor = await cursors.GetAsync(shopId!, cancellationToken);
        if (cursor is not null && cursor.LastRunId == runId)
        {
            return TypedResults.Ok(FetchRunView.Remembered(shopId!, cursor));
        }

        return Problems.NotFound($"Fetch run {runId} is not known for shop '{shopId}' (it is not the shop's current or last finished run).");
    }

    [GeneratedRegex("^[mt][0-9]{1,20}$")]
    private static partial Regex RunIdPattern();
}

/// <summary>A fetch run as the page shows its progress. Pages and queued orders are null when only the cursor remembers the run.</summary>
public sealed record FetchRunView(
    string RunId, string ShopId, string Trigger, string Status, int? Pages, int OrdersSeen, int? OrdersQueued,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? StoppedBecause)
{
    public static FetchRunView From(FetchRunEntity run, DateTimeOffset now, TimeSpan joinWindow)
    {
        ArgumentNullException.ThrowIfNull(run);
        var (status, reason) = run switch
        {
            { FinishedAt: not null, StoppedBecause: { } because } => (FetchRunApi.Stopped, because),
            { FinishedAt: not null } => (FetchRunApi.Finished, null),
            _ when run.IsInProgress(now, joinWindow) => (FetchRunApi.Running, null),

            // OrderFetcher treats a run this silent as over (the next press starts a new one); say so instead of "running" forever.
            _ => (FetchRunApi.Stopped, $"No progress since {run.ProgressAt:u}; press Fetch Order to start a new run."),
        };
        return new FetchRunView(run.RunId, run.PartitionKey, run.Trigger, status, run.Pages, run.OrdersSeen, run.OrdersQueued,
            run.StartedAt, run.FinishedAt, reason);
    }

    public static FetchRunView Remembered(string shopId, CursorEntity cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var runId = cursor.LastRunId!;
        return new FetchRunView(runId, shopId, TriggerOf(runId), FetchRunApi.Finished, null, cursor.LastRunOrders, null,
            StartOf(runId), cursor.LastRunAt, null);
    }

    private static string TriggerOf(string runId) => runId[0] == 'm' ? "merchant" : "timer";

    /// <summary>The id carries its start: milliseconds for a press, seconds for the timer (null if out of range).</summary>
    private static DateTimeOffset? StartOf(string runId)
    {
        if (!long.TryParse(runId.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        try
        {
            return runId[0] == 'm' ? DateTimeOffset.FromUnixTimeMilliseconds(value) : DateTimeOffset.FromUnixTimeSeconds(value);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
