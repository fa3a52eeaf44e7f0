using System.ComponentModel.DataAnnotations;

namespace Connector.Orders;

/// <summary>How order fetching runs (settings <c>Fetch__*</c>; the queues are in <see cref="Messaging.QueueOptions"/>).</summary>
public sealed class FetchOptions
{
    public const string Section = "Fetch";

    /// <summary>
    /// Each search starts this far before the cursor: TikTok warns update times may land outside the searched range
    /// (reference/tiktok-shop-api.md §4.2, pitfall 14), and a lost webhook is caught here.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far back the first fetch of a new shop looks.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromDays(7);

    [Range(1, 100)] public int PageSize { get; set; } = 100;

    /// <summary>A run that wrote no progress for this long is over (its page failed for good): a new press starts a new run.</summary>
    public TimeSpan RunJoinWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// First wait before an order's work is tried again when TikTok, the store or Azure did not answer; each later wait is
    /// three times longer, up to <see cref="RetryMaxDelay"/>, for as long as it takes.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>From this attempt on, the merchant sees the order waiting and why.</summary>
    [Range(1, 100)] public int RetryVisibleFromAttempt { get; set; } = 3;

    /// <summary>How long the look-up before a create keeps asking after a recent failed attempt (store search lag).</summary>
    public TimeSpan StoreLookupSettle { get; set; } = TimeSpan.FromSeconds(10);
}
