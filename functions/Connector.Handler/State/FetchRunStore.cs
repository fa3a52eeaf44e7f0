using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>
/// A shop's current fetch run (row <c>run</c> of its Cursors partition): which run is in progress, so that Fetch Order
/// presses and timer runs join it instead of starting another (design §3, "waiting work first"), and its progress.
/// </summary>
public sealed class FetchRunEntity : ITableEntity
{
    public const string Row = "run";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string RunId { get; set; } = "";
    public string Trigger { get; set; } = "";
    public long? Since { get; set; }
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Last sign of life: every page writes it; a run silent for longer than the join window is over, whatever it says.</summary>
    public DateTimeOffset ProgressAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
    public int Pages { get; set; }
    public int OrdersSeen { get; set; }
    public int OrdersQueued { get; set; }

    /// <summary>Why the run stopped early, if it did (TikTok refused, the work could not be queued).</summary>
    public string? StoppedBecause { get; set; }

    public bool IsInProgress(DateTimeOffset now, TimeSpan joinWindow) => FinishedAt is null && now - ProgressAt < joinWindow;
}

public sealed class FetchRunStore(StateTables tables)
{
    public async Task<FetchRunEntity?> GetAsync(string shopId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Cursors, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<FetchRunEntity>(shopId, FetchRunEntity.Row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Makes <paramref name="run"/> the shop's current run if the row is still <paramref name="expected"/> (null: no row yet).
    /// Returns the new ETag, or null when another run got there first.
    /// </summary>
    public async Task<ETag?> TryStartAsync(FetchRunEntity run, FetchRunEntity? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var table = await tables.GetAsync(StateTables.Cursors, cancellationToken);
        try
        {
            var response = expected is null
                ? await table.AddEntityAsync(run, cancellationToken)
                : await table.UpdateEntityAsync(run, expected.ETag, TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>
    /// Records a page's progress (and, with <paramref name="finishedAt"/>, the end) if <paramref name="runId"/> is still the
    /// shop's current run; false when a newer run replaced it or the row changed meanwhile (progress is informative only).
    /// </summary>
    public async Task<bool> TryRecordAsync(
        string shopId, string runId, int pages, int ordersSeen, int ordersQueued, DateTimeOffset at, DateTimeOffset? finishedAt, string? stoppedBecause,
        CancellationToken cancellationToken)
    {
        var current = await GetAsync(shopId, cancellationToken);
        if (current is null || current.RunId != runId)
        {
            return false;
        }

        var table = await tables.GetAsync(StateTables.Cursors, cancellationToken);
        var progress = new TableEntity(shopId, FetchRunEntity.Row)
        {
            [nameof(FetchRunEntity.ProgressAt)] = at,
            [nameof(FetchRunEntity.Pages)] = pages,
            [nameof(FetchRunEntity.OrdersSeen)] = ordersSeen,
            [nameof(FetchRunEntity.OrdersQueued)] = ordersQueued,
        };
        if (finishedAt is { } finished)
        {
            progress[nameof(FetchRunEntity.FinishedAt)] = finished;
            progress[nameof(FetchRunEntity.StoppedBecause)] = stoppedBecause;
        }

        try
        {
            await table.UpdateEntityAsync(progress, current.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }
}
