using Connector.Messaging;
using Connector.State;
using Connector.TikTok;

namespace Connector.Orders.Import;

/// <summary>What one delivery of an order does with the order's row as read (the importer's decision table).</summary>
public abstract record ImportStep
{
    /// <summary>The order is in the store already: bring TikTok's status along (only if newer).</summary>
    public sealed record ApplyStatus(bool IsNewer) : ImportStep;

    /// <summary>Failed, skipped or waiting, and TikTok shows nothing newer: a hint repeated, nothing to do.</summary>
    public sealed record NothingNewer : ImportStep;

    /// <summary>The row is COMPLETED or CANCELLED and the order is not newer: terminal states never move back.</summary>
    public sealed record KeepTerminal : ImportStep;

    /// <summary>On hold at TikTok, cancelled, or a status the merchant does not import: record it, create nothing.</summary>
    public sealed record NotImported(string Status) : ImportStep;

    /// <summary>The merchant's hold period is not over: wait until then.</summary>
    public sealed record Hold(DateTimeOffset Until, bool ResumedEarly) : ImportStep;

    /// <summary>Another delivery holds the claim: read the row again, later.</summary>
    public sealed record ClaimedByOther : ImportStep;

    /// <summary>Claim the row and import; <see cref="RecentAttempt"/>: this message was inside the import moments ago.</summary>
    public sealed record Claim(bool RecentAttempt) : ImportStep;
}

public static class ImportDecision
{
    /// <summary>Newer means a later update_time, or the same second with a status further along the lifecycle.</summary>
    public static bool IsNewer(OrderEntity row, TikTokOrder order)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(order);
        return order.UpdateTime > row.TikTokUpdateTime
            || (order.UpdateTime == row.TikTokUpdateTime && TikTokStatus.Rank(TikTokStatus.Normalize(order.Status)) > TikTokStatus.Rank(row.TikTokStatus));
    }

    public static ImportStep Decide(OrderEntity row, TikTokOrder order, OrderWork work, Delivery delivery, ShopSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(settings);
        var status = TikTokStatus.Normalize(order.Status);
        var isNewer = IsNewer(row, order);
        var known = row.ETag != default;
        if (row.StoreOrderId is not null)
        {
            return new ImportStep.ApplyStatus(isNewer);
        }

        if (known && !isNewer && work.Reason is not ("retry" or "hold") && work.Retry == 0
            && row.ImportState is ImportStates.Failed or ImportStates.Skipped or ImportStates.Waiting
            && order.UpdateTime <= row.TikTokUpdateTime)
        {
            return new ImportStep.NothingNewer();
        }

        if (known && TikTokStatus.IsTerminal(row.TikTokStatus) && !isNewer && row.ImportState != ImportStates.Failed)
        {
            return new ImportStep.KeepTerminal();
        }

        if (TikTokStatus.IsHeld(status) || status == TikTokStatus.Cancelled || !settings.ImportStatuses.Contains(status))
        {
            return new ImportStep.NotImported(status);
        }

        if (settings.OrderHoldMinutes > 0 && order.PaidTime is { } paid
            && DateTimeOffset.FromUnixTimeSeconds(paid).AddMinutes(settings.OrderHoldMinutes) is var until && until > now)
        {
            return new ImportStep.Hold(until, ResumedEarly: work.Reason == "hold");
        }

        var mine = row.ClaimMessageId == delivery.MessageId;
        if (row.ImportState == ImportStates.Importing && row.ClaimUntil > now && !(mine && delivery.DeliveryCount > row.ClaimDelivery))
        {
            return new ImportStep.ClaimedByOther();
        }

        // A previous delivery of this message was inside the import moments ago (it failed or died, maybe after the store
        // created the order): the store's search may not show that order yet, so the look-up waits for it to settle.
        return new ImportStep.Claim(RecentAttempt: row.ImportState == ImportStates.Importing && mine && row.ClaimUntil > now);
    }
}
